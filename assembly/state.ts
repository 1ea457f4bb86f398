/**
 * The scenario held by one kernel instance: sizes, input arrays copied from the host, derived per-element data,
 * the live fields and the committed/trial damage state. All pointers are into the arena (`memory.ts`), set in
 * `setup` and never reallocated until the next `setup`.
 */

// ---- sizes ----
export let nodeCount: i32 = 0;
export let triCount: i32 = 0;
export let materialCount: i32 = 0;
export let latticeTableLength: i32 = 0;
export let diffusionDofCount: i32 = 0;
export let interfaceCount: i32 = 0;
export let interfaceMaterialCount: i32 = 0;
export let fluxSegmentCount: i32 = 0;
export let fixedDofCount: i32 = 0;
/** 0 = plane strain, 1 = plane stress. */
export let planeStress: bool = false;

export function setSizes(
  nodes: i32,
  tris: i32,
  materials: i32,
  tableLength: i32,
  diffDofs: i32,
  interfaces: i32,
  interfaceMaterials: i32,
  fluxSegments: i32,
  fixed: i32,
  stress: bool,
): void {
  nodeCount = nodes;
  triCount = tris;
  materialCount = materials;
  latticeTableLength = tableLength;
  diffusionDofCount = diffDofs;
  interfaceCount = interfaces;
  interfaceMaterialCount = interfaceMaterials;
  fluxSegmentCount = fluxSegments;
  fixedDofCount = fixed;
  planeStress = stress;
}

// ---- inputs (host writes them between setupBegin and setupFinish) ----
/** f64[2 nodeCount] (µm). */
export let coords: usize = 0;
/** u32[3 triCount], counter-clockwise. */
export let triNodes: usize = 0;
/** u32[triCount]. */
export let triMaterial: usize = 0;
/** f64[triCount] c-axis angle (rad). */
export let triAngle: usize = 0;
/**
 * f64[MATERIAL_STRIDE materialCount]: D_ab, D_c, C11, C12, C13, C33, C44, table offset, table length
 * (the table lives in `latticeTable` as x[len], a[len], c[len] from the offset).
 */
export let materialParams: usize = 0;
export const MATERIAL_STRIDE: i32 = 9;
export let latticeTable: usize = 0;
/** u32[nodeCount]. */
export let diffusionDof: usize = 0;
/** u32[4 interfaceCount] [a0, a1, b0, b1]. */
export let interfaceNodes: usize = 0;
/** u32[interfaceCount]. */
export let interfaceMaterial: usize = 0;
/** f64[INTERFACE_STRIDE interfaceMaterialCount]: K, σmax, Gc, damageable (0/1), η, conductance. */
export let interfaceParams: usize = 0;
export const INTERFACE_STRIDE: i32 = 6;
/** u32[2 fluxSegmentCount]. */
export let fluxSegmentNodes: usize = 0;
/** u32[fixedDofCount]. */
export let fixedDofs: usize = 0;

// ---- per-step inputs written by the host ----
/** f64[fluxSegmentCount] q per segment (µm/s, > 0 leaving). */
export let segmentFlux: usize = 0;
/** f64[diffusionDofCount] extra diffusion load. */
export let diffusionExtra: usize = 0;
/** f64[fixedDofCount] prescribed values. */
export let prescribed: usize = 0;
/** f64[2 nodeCount] extra nodal forces. */
export let mechanicsExtra: usize = 0;

// ---- live fields ----
/** f64[diffusionDofCount] Li site fraction. */
export let li: usize = 0;
/** f64[2 nodeCount] displacement (µm). */
export let displacement: usize = 0;
/** f64[2 interfaceCount] committed damage and history κ. */
export let damage: usize = 0;
export let kappa: usize = 0;
/** f64[2 interfaceCount] trial damage and history of the last mechanics solve. */
export let trialDamage: usize = 0;
export let trialKappa: usize = 0;
/** u8 as i32[2 interfaceCount]: 1 when the integration point is in contact (δn < 0). */
export let contact: usize = 0;
/** f64[4 interfaceCount] [δn, δs] and [Tn, Ts] per integration point. */
export let opening: usize = 0;
export let traction: usize = 0;
/** f64[4 triCount] [σxx, σyy, σxy, σ33]. */
export let stress: usize = 0;

/**
 * f64[2 interfaceCount] IMPL-EX history rate κ̇ = (κ_n − κ_{n−1}) / Δt_n of the last committed step (0 after an
 * implicit solve), and the trial value the current solve would commit. Part of the state the next step needs.
 */
export let kappaRate: usize = 0;
export let trialKappaRate: usize = 0;

// ---- backup (saveState / restoreState) ----
export let backupLi: usize = 0;
export let backupDisplacement: usize = 0;
export let backupDamage: usize = 0;
export let backupKappa: usize = 0;
export let backupKappaRate: usize = 0;

export function setRatePointers(r: usize, tr: usize, br: usize): void {
  kappaRate = r;
  trialKappaRate = tr;
  backupKappaRate = br;
}

export function setInputPointers(
  c: usize,
  tn: usize,
  tm: usize,
  ta: usize,
  mp: usize,
  lt: usize,
  dd: usize,
  inn: usize,
  im: usize,
  ip: usize,
  fs: usize,
  fd: usize,
): void {
  coords = c;
  triNodes = tn;
  triMaterial = tm;
  triAngle = ta;
  materialParams = mp;
  latticeTable = lt;
  diffusionDof = dd;
  interfaceNodes = inn;
  interfaceMaterial = im;
  interfaceParams = ip;
  fluxSegmentNodes = fs;
  fixedDofs = fd;
}

export function setStepInputPointers(sf: usize, de: usize, pr: usize, me: usize): void {
  segmentFlux = sf;
  diffusionExtra = de;
  prescribed = pr;
  mechanicsExtra = me;
}

export function setFieldPointers(
  l: usize,
  u: usize,
  d: usize,
  k: usize,
  td: usize,
  tk: usize,
  ct: usize,
  op: usize,
  tr: usize,
  st: usize,
  bl: usize,
  bu: usize,
  bd: usize,
  bk: usize,
): void {
  li = l;
  displacement = u;
  damage = d;
  kappa = k;
  trialDamage = td;
  trialKappa = tk;
  contact = ct;
  opening = op;
  traction = tr;
  stress = st;
  backupLi = bl;
  backupDisplacement = bu;
  backupDamage = bd;
  backupKappa = bk;
}
