/**
 * Test helpers: materials and a `KernelSetup` built from a `PolycrystalMesh` (structured meshes in particular).
 * Units: µm, s, MPa.
 */
import type {
  KernelInterfaceMaterial,
  KernelMaterial,
  KernelSetup,
  SectionPlane,
} from '../../src/engine/kernel-api.js';
import type { PolycrystalMesh } from '../../src/mesh/types.js';

/** Lattice-strain table (ε_a, ε_c against x), ascending x. */
export interface LatticeTable {
  x: number[];
  a: number[];
  c: number[];
}

/** Zero lattice strain (pure diffusion or pure mechanics tests). */
export const NO_LATTICE_STRAIN: LatticeTable = { x: [0, 1], a: [0, 0], c: [0, 0] };

/** Linear lattice strain ε_a = a1 (1 − x), ε_c = c1 (1 − x) on x ∈ [0, 1] (zero at x = 1, the pristine state). */
export function linearLattice(a1: number, c1: number): LatticeTable {
  return { x: [0, 1], a: [a1, 0], c: [c1, 0] };
}

/** NMC-like bare curve (docs/physics.md §4 shape): ε_c up to +1 % at x ≈ 0.64, −2 % at 0.27; ε_a down to −1 %. */
export const NMC_LIKE_LATTICE: LatticeTable = {
  x: [0.0, 0.27, 0.45, 0.64, 0.8, 1.0],
  a: [-0.012, -0.01, -0.0075, -0.005, -0.0025, 0.0],
  c: [-0.025, -0.02, 0.0, 0.01, 0.005, 0.0],
};

export interface MaterialSpec {
  D_ab_um2_s?: number;
  D_c_um2_s?: number;
  lattice?: LatticeTable;
}

/** Hexagonal material; default stiffness C11 250, C12 90, C13 70, C33 180, C44 50 GPa (docs/physics.md §4), in MPa. */
export function hexagonalMaterial(
  spec: MaterialSpec & { C11?: number; C12?: number; C13?: number; C33?: number; C44?: number } = {},
): KernelMaterial {
  const lat = spec.lattice ?? NO_LATTICE_STRAIN;
  return {
    D_ab_um2_s: spec.D_ab_um2_s ?? 0.01,
    D_c_um2_s: spec.D_c_um2_s ?? 0.001,
    C11_MPa: spec.C11 ?? 250e3,
    C12_MPa: spec.C12 ?? 90e3,
    C13_MPa: spec.C13 ?? 70e3,
    C33_MPa: spec.C33 ?? 180e3,
    C44_MPa: spec.C44 ?? 50e3,
    latticeX: Float64Array.from(lat.x),
    latticeA: Float64Array.from(lat.a),
    latticeC: Float64Array.from(lat.c),
  };
}

/** Isotropic material: C11 = C33 = λ + 2μ, C12 = C13 = λ, C44 = μ (E in MPa). */
export function isotropicMaterial(spec: MaterialSpec & { E_MPa?: number; nu?: number } = {}): KernelMaterial {
  const E = spec.E_MPa ?? 170e3,
    nu = spec.nu ?? 0.28;
  const lam = (E * nu) / ((1 + nu) * (1 - 2 * nu));
  const mu = E / (2 * (1 + nu));
  const lat = spec.lattice ?? NO_LATTICE_STRAIN;
  return {
    D_ab_um2_s: spec.D_ab_um2_s ?? 0.01,
    D_c_um2_s: spec.D_c_um2_s ?? spec.D_ab_um2_s ?? 0.01,
    C11_MPa: lam + 2 * mu,
    C12_MPa: lam,
    C13_MPa: lam,
    C33_MPa: lam + 2 * mu,
    C44_MPa: mu,
    latticeX: Float64Array.from(lat.x),
    latticeA: Float64Array.from(lat.a),
    latticeC: Float64Array.from(lat.c),
  };
}

/** Grain-boundary material; defaults σ_max 200 MPa, G_c 2 J/m², K 1e7 MPa/µm, rate independent. */
export function interfaceMaterial(spec: Partial<KernelInterfaceMaterial> = {}): KernelInterfaceMaterial {
  return {
    penalty_MPa_per_um: spec.penalty_MPa_per_um ?? 1e7,
    strength_MPa: spec.strength_MPa ?? 200,
    Gc_J_m2: spec.Gc_J_m2 ?? 2,
    damageable: spec.damageable ?? true,
    viscosity_s: spec.viscosity_s ?? 0,
    liConductance_um_s: spec.liConductance_um_s ?? 0,
    ...(spec.fatigueLength_um !== undefined ? { fatigueLength_um: spec.fatigueLength_um } : {}),
    ...(spec.fatigueEndurance_MPa !== undefined ? { fatigueEndurance_MPa: spec.fatigueEndurance_MPa } : {}),
  };
}

export interface TestSetupOptions {
  /** Materials; triangle material = materialOfGrain(grain) (default: grain → 0). */
  materials?: KernelMaterial[];
  materialOfGrain?: (grain: number) => number;
  /** Per-triangle angle override; default: the grain orientation. */
  angleOfTriangle?: (t: number, grain: number) => number;
  /** 3D c-axis per grain (docs/physics.md §7); sets `triAxis` (the coating, grain −1, gets (1, 0, 0)). */
  axisOfGrain?: (grain: number) => [number, number, number];
  interfaceMaterials?: KernelInterfaceMaterial[];
  interfaceMaterialOf?: (e: number) => number;
  plane?: SectionPlane;
  /** Each side of an interface keeps its own diffusion dof (joined by the interface conductance). */
  crackBlocksDiffusion?: boolean;
  /** Mechanics dofs (2 · node + component) held fixed. */
  fixedDofs?: ArrayLike<number>;
  /** Flux segments: the mesh surface segments (default) or explicit node pairs. */
  fluxSegments?: 'surface' | ArrayLike<number>;
}

/**
 * KernelSetup from a mesh. Diffusion dofs: node copies joined by an interface element share one dof (union–find
 * over the node pairs (a_p, b_p)) unless `crackBlocksDiffusion`; dofs are numbered by first node.
 */
export function buildKernelSetup(mesh: PolycrystalMesh, opts: TestSetupOptions = {}): KernelSetup {
  const nn = mesh.nodeCount;
  const parent = Int32Array.from({ length: nn }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  if (!opts.crackBlocksDiffusion) {
    for (let e = 0; e < mesh.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const ra = find(mesh.interfaceNodes[4 * e + p]),
          rb = find(mesh.interfaceNodes[4 * e + 2 + p]);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
  }
  const dofOfRoot = new Map<number, number>();
  const diffusionDof = new Uint32Array(nn);
  for (let n = 0; n < nn; n++) {
    const r = find(n);
    let d = dofOfRoot.get(r);
    if (d === undefined) {
      d = dofOfRoot.size;
      dofOfRoot.set(r, d);
    }
    diffusionDof[n] = d;
  }
  const materials = opts.materials ?? [isotropicMaterial()];
  const matOf = opts.materialOfGrain ?? (() => 0);
  const triMaterial = new Uint32Array(mesh.triCount);
  const triAngle = new Float64Array(mesh.triCount);
  for (let t = 0; t < mesh.triCount; t++) {
    const g = mesh.triGrain[t];
    triMaterial[t] = matOf(g);
    triAngle[t] = opts.angleOfTriangle ? opts.angleOfTriangle(t, g) : g >= 0 ? mesh.grainOrientation_rad[g] : 0;
  }
  let triAxis: Float64Array | undefined;
  if (opts.axisOfGrain) {
    triAxis = new Float64Array(3 * mesh.triCount);
    for (let t = 0; t < mesh.triCount; t++) {
      const g = mesh.triGrain[t];
      triAxis.set(g >= 0 ? opts.axisOfGrain(g) : [1, 0, 0], 3 * t);
    }
  }
  const ifMats = opts.interfaceMaterials ?? [interfaceMaterial()];
  const ifMatOf = opts.interfaceMaterialOf ?? (() => 0);
  const interfaceMaterialIdx = new Uint32Array(mesh.interfaceCount);
  for (let e = 0; e < mesh.interfaceCount; e++) interfaceMaterialIdx[e] = ifMatOf(e);
  const flux =
    opts.fluxSegments === undefined || opts.fluxSegments === 'surface'
      ? mesh.surfaceNodes
      : Uint32Array.from(opts.fluxSegments);
  return {
    nodeCount: nn,
    coords_um: mesh.coords_um,
    triCount: mesh.triCount,
    triNodes: mesh.triNodes,
    triMaterial,
    triAngle_rad: triAngle,
    ...(triAxis ? { triAxis } : {}),
    materials,
    plane: opts.plane ?? 'strain',
    diffusionDofCount: dofOfRoot.size,
    diffusionDof,
    interfaceCount: mesh.interfaceCount,
    interfaceNodes: mesh.interfaceNodes,
    interfaceMaterial: interfaceMaterialIdx,
    interfaceMaterials: ifMats,
    fluxSegmentCount: flux.length / 2,
    fluxSegmentNodes: flux,
    fixedDofs: Uint32Array.from(opts.fixedDofs ?? []),
  };
}

/** Mechanics dofs 2 · n + component for every node n of `nodes`. */
export function dofsOf(nodes: ArrayLike<number>, components: (0 | 1)[] = [0, 1]): number[] {
  const out: number[] = [];
  for (let k = 0; k < nodes.length; k++) for (const c of components) out.push(2 * nodes[k] + c);
  return out;
}

/** Unique sorted union of dof lists. */
export function unionDofs(...lists: ArrayLike<number>[]): number[] {
  const set = new Set<number>();
  for (const l of lists) for (let k = 0; k < l.length; k++) set.add(l[k]);
  return [...set].sort((a, b) => a - b);
}
