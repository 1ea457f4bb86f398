/**
 * The WASM kernel's binary interface as the host sees it: read from the instance's exported globals (defined once in
 * `assembly/abi.ts`), checked at load time, never re-typed here. The host knows only the *names* it needs; every
 * number (slot, stride, array id, error code) comes from the kernel, so a kernel built from another ABI is refused
 * with a message instead of misreading memory.
 */

/** The ABI version this host speaks (assembly/abi.ts ABI_VERSION). */
export const HOST_ABI_VERSION = 6;

/** Slots of the oriented material record (one per material and c-axis), by the host's field name. */
const MATERIAL_SLOTS = {
  D_xx: 'MATERIAL_D_XX',
  D_xy: 'MATERIAL_D_XY',
  D_yy: 'MATERIAL_D_YY',
  stiffness_xx_xx: 'MATERIAL_STIFFNESS_XX_XX',
  stiffness_xx_yy: 'MATERIAL_STIFFNESS_XX_YY',
  stiffness_xx_xy: 'MATERIAL_STIFFNESS_XX_XY',
  stiffness_yy_yy: 'MATERIAL_STIFFNESS_YY_YY',
  stiffness_yy_xy: 'MATERIAL_STIFFNESS_YY_XY',
  stiffness_xy_xy: 'MATERIAL_STIFFNESS_XY_XY',
  eigenstressA: 'MATERIAL_EIGENSTRESS_A',
  eigenstressC: 'MATERIAL_EIGENSTRESS_C',
  stressZz: 'MATERIAL_STRESS_ZZ',
  stressZzA: 'MATERIAL_STRESS_ZZ_A',
  stressZzC: 'MATERIAL_STRESS_ZZ_C',
  tableOffset: 'MATERIAL_TABLE_OFFSET',
  tableLength: 'MATERIAL_TABLE_LENGTH',
  stiffnessZz: 'MATERIAL_STIFFNESS_ZZ',
  stiffnessZzZz: 'MATERIAL_STIFFNESS_ZZ_ZZ',
  diffusivityFit: 'MATERIAL_D_FIT',
  diffusivityFitScale: 'MATERIAL_D_FIT_SCALE',
  diffusivityFitC0: 'MATERIAL_D_FIT_C0',
  diffusivityFitA: 'MATERIAL_D_FIT_A',
  diffusivityFitB: 'MATERIAL_D_FIT_B',
  diffusivityFitC: 'MATERIAL_D_FIT_C',
  diffusivityFitSMin: 'MATERIAL_D_FIT_S_MIN',
  diffusivityFitSMax: 'MATERIAL_D_FIT_S_MAX',
} as const;

/** Fields that span three consecutive slots (xx, yy, xy), so their first slot must leave room for two more. */
const TRIPLE_FIELDS = new Set([
  'eigenstressA',
  'eigenstressC',
  'stressZz',
  'stiffnessZz',
  'diffusivityFitA',
  'diffusivityFitB',
  'diffusivityFitC',
]);

/** Slots of the interface-material record, by the host's field name. */
const INTERFACE_SLOTS = {
  penalty_MPa_per_um: 'INTERFACE_PENALTY',
  strength_MPa: 'INTERFACE_STRENGTH',
  Gc_J_m2: 'INTERFACE_FRACTURE_ENERGY',
  damageable: 'INTERFACE_DAMAGEABLE',
  viscosity_s: 'INTERFACE_VISCOSITY',
  liConductance_um_s: 'INTERFACE_CONDUCTANCE',
  fatigueLength_um: 'INTERFACE_FATIGUE_LENGTH',
  fatigueEndurance_MPa: 'INTERFACE_FATIGUE_ENDURANCE',
} as const;

/** The arrays the host reads or writes: name → [kernel global, element type]. */
const ARRAYS = {
  coords: ['ARRAY_COORDS', 'f64'],
  triNodes: ['ARRAY_TRI_NODES', 'u32'],
  triMaterial: ['ARRAY_TRI_MATERIAL', 'u32'],
  materialParams: ['ARRAY_MATERIAL_PARAMS', 'f64'],
  latticeTable: ['ARRAY_LATTICE_TABLE', 'f64'],
  diffusionDof: ['ARRAY_DIFFUSION_DOF', 'u32'],
  interfaceNodes: ['ARRAY_INTERFACE_NODES', 'u32'],
  interfaceMaterial: ['ARRAY_INTERFACE_MATERIAL', 'u32'],
  interfaceParams: ['ARRAY_INTERFACE_PARAMS', 'f64'],
  fluxSegmentNodes: ['ARRAY_FLUX_SEGMENT_NODES', 'u32'],
  fixedDofs: ['ARRAY_FIXED_DOFS', 'u32'],
  segmentFlux: ['ARRAY_SEGMENT_FLUX', 'f64'],
  diffusionExtra: ['ARRAY_DIFFUSION_EXTRA', 'f64'],
  prescribed: ['ARRAY_PRESCRIBED', 'f64'],
  mechanicsExtra: ['ARRAY_MECHANICS_EXTRA', 'f64'],
  li: ['ARRAY_LI', 'f64'],
  displacement: ['ARRAY_DISPLACEMENT', 'f64'],
  damage: ['ARRAY_DAMAGE', 'f64'],
  trialDamage: ['ARRAY_TRIAL_DAMAGE', 'f64'],
  kappa: ['ARRAY_KAPPA', 'f64'],
  kappaRate: ['ARRAY_KAPPA_RATE', 'f64'],
  opening: ['ARRAY_OPENING', 'f64'],
  traction: ['ARRAY_TRACTION', 'f64'],
  stress: ['ARRAY_STRESS', 'f64'],
  lambda: ['ARRAY_LAMBDA', 'f64'],
} as const;

/** What each kernel error code means, by the kernel's name for it. */
const ERROR_TEXTS = {
  ERROR_TRIANGLE_AREA: 'a triangle has non-positive area (triangles must be counter-clockwise and non-degenerate)',
  ERROR_DIFFUSION_FACTOR:
    'the diffusion matrix could not be factorised (not positive definite: check Δt > 0 and the diffusivities)',
  ERROR_DIFFUSION_NOT_FINITE:
    'the diffusion solve produced non-finite values (check Δt, the diffusivities and the fluxes)',
  ERROR_DUPLICATE_FIXED_DOF: 'fixedDofs lists a dof twice',
  ERROR_MECHANICS_SOLVE:
    'the mechanics linear solve failed: the stiffness matrix is singular or indefinite (is rigid-body motion ' +
    'suppressed by fixedDofs? are the stiffness constants positive definite?)',
  ERROR_INDEX_RANGE: 'an index is out of range',
  ERROR_NOT_READY: 'setup has not completed',
} as const;

export type MaterialField = keyof typeof MATERIAL_SLOTS;
export type InterfaceField = keyof typeof INTERFACE_SLOTS;
export type KernelArrayName = keyof typeof ARRAYS;

/** The kernel's ABI, read from one instance. */
export interface KernelAbi {
  readonly version: number;
  readonly materialStride: number;
  readonly material: Readonly<Record<MaterialField, number>>;
  readonly interfaceStride: number;
  readonly interfaceMaterial: Readonly<Record<InterfaceField, number>>;
  /** Array id and element type, by the host's name. */
  readonly arrays: Readonly<Record<KernelArrayName, { id: number; type: 'f64' | 'u32' }>>;
  /** Message for a non-zero error code. */
  errorText(code: number): string;
}

/** The kernel does not speak this host's ABI (stale or foreign build). */
export class KernelAbiError extends Error {
  constructor(message: string) {
    super(`WASM kernel ABI mismatch: ${message}; rebuild the kernel with \`npm run build:wasm\``);
    this.name = 'KernelAbiError';
  }
}

/** Read and check the ABI from an instance's exports. */
export function readKernelAbi(exports: WebAssembly.Exports): KernelAbi {
  const global = (name: string): number => {
    const g = exports[name];
    if (!(g instanceof WebAssembly.Global)) throw new KernelAbiError(`the kernel exports no constant ${name}`);
    return Number(g.value);
  };
  const version = global('ABI_VERSION');
  if (version !== HOST_ABI_VERSION) {
    throw new KernelAbiError(`the kernel has ABI version ${version}, this host speaks ${HOST_ABI_VERSION}`);
  }
  const slots = <K extends string>(map: Record<K, string>, stride: number, record: string): Record<K, number> => {
    const out = {} as Record<K, number>;
    const seen = new Set<number>();
    for (const [field, name] of Object.entries(map) as [K, string][]) {
      const slot = global(name);
      const width = TRIPLE_FIELDS.has(field) ? 3 : 1;
      const taken = Array.from({ length: width }, (_, k) => slot + k);
      if (!Number.isInteger(slot) || slot < 0 || slot + width > stride || taken.some((k) => seen.has(k))) {
        throw new KernelAbiError(`${name} = ${slot} is not a distinct slot of the ${record} record (stride ${stride})`);
      }
      for (const k of taken) seen.add(k);
      out[field] = slot;
    }
    return out;
  };
  const materialStride = global('MATERIAL_STRIDE');
  const interfaceStride = global('INTERFACE_STRIDE');
  const arrayCount = global('ARRAY_COUNT');
  const arrays = {} as Record<KernelArrayName, { id: number; type: 'f64' | 'u32' }>;
  for (const [name, [globalName, type]] of Object.entries(ARRAYS) as [
    KernelArrayName,
    readonly [string, 'f64' | 'u32'],
  ][]) {
    const id = global(globalName);
    if (!Number.isInteger(id) || id < 0 || id >= arrayCount) {
      throw new KernelAbiError(`${globalName} = ${id} is not an array id (ARRAY_COUNT ${arrayCount})`);
    }
    arrays[name] = { id, type };
  }
  const errors = new Map<number, string>();
  for (const [name, text] of Object.entries(ERROR_TEXTS)) errors.set(global(name), text);
  return {
    version,
    materialStride,
    material: slots(MATERIAL_SLOTS, materialStride, 'material'),
    interfaceStride,
    interfaceMaterial: slots(INTERFACE_SLOTS, interfaceStride, 'interface-material'),
    arrays,
    errorText: (code) => errors.get(code) ?? `error code ${code}`,
  };
}
