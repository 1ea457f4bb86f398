/**
 * Resolved config + mesh → the numbers the kernel needs (KernelSetup) and the loading the driver applies.
 * This is the only place that converts user units to kernel units:
 *   diffusivity m²/s → µm²/s (× 1e12), stiffness GPa → MPa (× 1e3), penalty GPa/µm → MPa/µm (× 1e3),
 *   G_c J/m² = MPa·µm (unchanged).
 */
import type {
  KernelDiffusivityFit,
  KernelInterfaceMaterial,
  KernelMaterial,
  KernelSetup,
} from '../engine/kernel-api.js';
import {
  hexagonalStiffness_GPa,
  INACTIVE_ROCK_SALT,
  OREGAN2022_NMC811,
  type DiffusivityFitCoefficients,
  type MaterialSpec,
} from '../materials/presets.js';
import { INTERFACE_COATING, INTERFACE_GRAIN_BOUNDARY, REGION_COATING, type PolycrystalMesh } from '../mesh/types.js';
import type { MeshSpec } from '../mesh/index.js';
import { wettedPoreWalls } from '../mesh/pore-wetting.js';
import { createUnionFind } from '../mesh/union-find.js';
import { effectiveBoundaryCount } from '../mesh/effective-boundary-count.js';
import { implexMeanTolerance } from './implex-tolerance.js';
import { ConfigError, type ResolvedConfig } from './resolve.js';
import { exp, hypot } from '../math/portable.js';

/** Conductance of an intact boundary relative to one element's D/h, for crack-blocked diffusion. */
const INTACT_CONDUCTANCE_FACTOR = 1e4;

export interface Scenario {
  config: ResolvedConfig;
  mesh: PolycrystalMesh;
  setup: KernelSetup;
  /**
   * Li flux segments, 2 nodes each (= setup.fluxSegmentNodes): the outer surface, then (pore_fill "electrolyte")
   * the wetted pore walls. `fluxSegmentGrain` is the grain of each; `surfaceFluxSegments` how many of them are
   * outer surface (they come first).
   */
  fluxSegmentGrain: Int32Array;
  surfaceFluxSegments: number;
  /**
   * Cycling with `loading.crack_infiltration`: flux segments from `crackFaceStart` on are the two faces of every
   * grain-boundary element (face a: a0–a1 of grain A, face b: b0–b1 of grain B), `crackFaceInterface` the element of
   * each; they carry flux only while infiltrated (`Simulation`). Otherwise crackFaceStart = the segment count.
   */
  crackFaceStart: number;
  crackFaceInterface: Int32Array;
  /** C-rate drawn for each flux segment's grain (mixed rates, seeded). */
  segmentRate: Float64Array;
  /**
   * Cycling (docs/physics.md §9): the C-rate of each flux segment on the charge and on the discharge leg, drawn per
   * grain from each leg's list with the same seeded choice as `segmentRate`; null for a single charge/discharge.
   */
  legRates: { charge: Float64Array; discharge: Float64Array } | null;
  segmentLength_um: Float64Array;
  /**
   * Flux per unit C-rate (µm/s): q = r · Δx_1C · (A / P) / 3600 s, A the solid area, P the flux-boundary length
   * (docs/physics.md §3). Positive on charge (Li leaves).
   */
  fluxPerCRate_um_s: number;
  /**
   * Li host area A (µm²): the solid (grains + coating) without inactive grains, the volume per unit depth that holds
   * exchangeable Li. SoC and the flux per C-rate are normalised by it.
   */
  solidArea_um2: number;
  /**
   * 1 for the triangles of inactive grains (`mesh.grainInactive`, a synthesized particle's rock salt): no Li
   * exchange, left out of the Li metrics. All 0 otherwise.
   */
  triInactive: Uint8Array;
  /** Area and centroid radius of every triangle (µm², µm). */
  triArea_um2: Float64Array;
  triCentroidRadius_um: Float64Array;
  /** Length of every interface element (µm). */
  interfaceLength_um: Float64Array;
  /** Effective number of grain boundaries N_eff = (Σ L_b)² / Σ L_b² (src/mesh/effective-boundary-count.ts). */
  effectiveBoundaryCount: number;
  /** The IMPL-EX mean tolerance of this particle: `solver.implex_mean_tolerance`, or its law for "auto". */
  implexMeanTolerance: number;
}

export function meshSpecFromConfig(c: ResolvedConfig): MeshSpec {
  return {
    shape: c.geometry.shape,
    radius_um: c.geometry.radius_um,
    mesh_size_um: c.geometry.mesh_size_um,
    grains: c.microstructure.grains,
    seed: c.microstructure.seed,
    lloyd_iterations: c.microstructure.lloyd_iterations,
    size_spread: c.microstructure.size_spread,
    orientation: c.microstructure.orientation,
    coating_thickness_um: c.coating ? c.coating.thickness_um : 0,
    porosity: c.porosity ?? undefined,
    interfaces: c.microstructure.interfaces,
  };
}

/** Kernel material of a preset: µm²/s and MPa. */
export function kernelMaterial(m: MaterialSpec, temperature_K = 298.15): KernelMaterial {
  const C = hexagonalStiffness_GPa(m.elasticity);
  const D_ab = m.D_ab_m2_s * 1e12;
  return {
    D_ab_um2_s: D_ab,
    D_c_um2_s: D_ab * m.D_c_over_D_ab,
    ...(m.diffusivity_model === 'oregan2022'
      ? { diffusivityFit: diffusivityFit(OREGAN2022_NMC811, temperature_K) }
      : {}),
    C11_MPa: C.C11 * 1e3,
    C12_MPa: C.C12 * 1e3,
    C13_MPa: C.C13 * 1e3,
    C33_MPa: C.C33 * 1e3,
    C44_MPa: C.C44 * 1e3,
    latticeX: Float64Array.from(m.lattice_strain.x),
    latticeA: Float64Array.from(m.lattice_strain.a),
    latticeC: Float64Array.from(m.lattice_strain.c),
  };
}

/**
 * The kernel form of a D(x) fit at temperature T (kernel-api.ts KernelDiffusivityFit): the correcting factor, the
 * Arrhenius factor exp((E_a/R)(1/T_ref − 1/T)) and m²/s → µm²/s folded into the prefactor.
 */
export function diffusivityFit(f: DiffusivityFitCoefficients, temperature_K: number): KernelDiffusivityFit {
  const arrhenius = exp(f.activation_K * (1 / f.reference_temperature_K - 1 / temperature_K));
  return {
    prefactor_um2_s: f.correction * arrhenius * 1e12,
    c0: f.c0,
    amplitude: [...f.a],
    centre: [...f.b],
    width: [...f.c],
    sMin: f.s_min,
    sMax: f.s_max,
  };
}

/**
 * A stateless integer hash (the 32-bit finaliser of MurmurHash3) so that the rate drawn for a grain depends only
 * on (seed, grain), not on the order in which segments are visited.
 */
function hash32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixed C-rates: each surface grain draws its rate from the list with a seeded choice (docs/physics.md §3). */
export function drawGrainRate(rates: number[], seed: number, grain: number): number {
  if (rates.length === 1) return rates[0];
  return rates[hash32(seed, grain) % rates.length];
}

/** Union–find over node indices, used to merge duplicated nodes into one diffusion dof. */
function mergedDofs(nodeCount: number, pairs: Uint32Array, pairCount: number): { dof: Uint32Array; count: number } {
  const { find, union } = createUnionFind(nodeCount);
  for (let k = 0; k < pairCount; k++) union(pairs[2 * k], pairs[2 * k + 1]);
  const dof = new Uint32Array(nodeCount);
  const rootDof = new Int32Array(nodeCount).fill(-1);
  let count = 0;
  for (let i = 0; i < nodeCount; i++) {
    const r = find(i);
    if (rootDof[r] < 0) rootDof[r] = count++;
    dof[i] = rootDof[r];
  }
  return { dof, count };
}

/**
 * Displacement constraints. Quarter: u_x = 0 on x = 0, u_y = 0 on y = 0 (symmetry). Full disk: a statically
 * determinate support that removes rigid-body motion and adds no stress (the eigenstrain loads are self-equilibrated,
 * so the reactions of a determinate support are zero): the node nearest the centre fixed in x and y, and the node
 * farthest along +x held in y (no rotation about the first).
 */
export function mechanicalSupports(mesh: PolycrystalMesh): Uint32Array {
  if (mesh.shape === 'quarter') {
    const dofs = new Set<number>();
    for (const n of mesh.symmetryXNodes) dofs.add(2 * n);
    for (const n of mesh.symmetryYNodes) dofs.add(2 * n + 1);
    return Uint32Array.from([...dofs].sort((a, b) => a - b));
  }
  let centre = 0;
  let east = 0;
  let best = Infinity;
  let far = -Infinity;
  const xy = mesh.coords_um;
  for (let i = 0; i < mesh.nodeCount; i++) {
    const r2 = xy[2 * i] * xy[2 * i] + xy[2 * i + 1] * xy[2 * i + 1];
    if (r2 < best) {
      best = r2;
      centre = i;
    }
    if (xy[2 * i] > far) {
      far = xy[2 * i];
      east = i;
    }
  }
  return Uint32Array.from([2 * centre, 2 * centre + 1, 2 * east + 1].sort((a, b) => a - b));
}

export function buildScenario(config: ResolvedConfig, mesh: PolycrystalMesh): Scenario {
  if (mesh.triCount === 0 || mesh.nodeCount === 0)
    throw new Error('The mesh is empty (no triangles): check geometry.radius_um, geometry.mesh_size_um and porosity.');
  const xy = mesh.coords_um;
  const tn = mesh.triNodes;

  const triArea_um2 = new Float64Array(mesh.triCount);
  const triCentroidRadius_um = new Float64Array(mesh.triCount);
  // Inactive grains (synthesized rock salt, docs/synthesis.md §9): no flux segments, their own material, their own
  // diffusion dofs with zero conductance to their neighbours, outside the Li host area.
  const grainInactive = mesh.grainInactive ?? new Uint8Array(mesh.grainCount);
  const isInactive = (g: number) => g >= 0 && grainInactive[g] === 1;
  const triInactive = Uint8Array.from(mesh.triGrain, (g) => (isInactive(g) ? 1 : 0));
  let solidArea = 0;
  for (let t = 0; t < mesh.triCount; t++) {
    const a = tn[3 * t];
    const b = tn[3 * t + 1];
    const c = tn[3 * t + 2];
    const area =
      0.5 *
      ((xy[2 * b] - xy[2 * a]) * (xy[2 * c + 1] - xy[2 * a + 1]) -
        (xy[2 * c] - xy[2 * a]) * (xy[2 * b + 1] - xy[2 * a + 1]));
    triArea_um2[t] = area;
    if (!triInactive[t]) solidArea += area;
    const cx = (xy[2 * a] + xy[2 * b] + xy[2 * c]) / 3;
    const cy = (xy[2 * a + 1] + xy[2 * b + 1] + xy[2 * c + 1]) / 3;
    triCentroidRadius_um[t] = hypot(cx, cy);
  }

  // Flux segments: the outer surface, and with electrolyte-filled pores the walls of pores open to the outside.
  const wetted = config.microstructure.pore_fill === 'electrolyte' ? wettedPoreWalls(mesh) : null;
  const wettedWalls: number[] = [];
  if (wetted)
    for (let p = 0; p < mesh.poreWallCount; p++)
      if (wetted[p] && !isInactive(mesh.poreWallGrain[p])) wettedWalls.push(p);
  // A surface segment of an inactive grain exchanges no Li (a coated particle's segments are on the coating: kept).
  const surfaceSegments: number[] = [];
  for (let s = 0; s < mesh.surfaceCount; s++)
    if (mesh.coatingThickness_um > 0 || !isInactive(mesh.surfaceGrain[s])) surfaceSegments.push(s);
  const surfaceCount = surfaceSegments.length;
  const baseFluxCount = surfaceCount + wettedWalls.length;
  // Cycling with crack infiltration: both faces of every grain-boundary element between active grains, after them.
  const crackFaces: number[] = [];
  if (config.loading.protocol === 'cycling' && config.loading.crack_infiltration)
    for (let i = 0; i < mesh.interfaceCount; i++)
      if (
        mesh.interfaceKind[i] === INTERFACE_GRAIN_BOUNDARY &&
        !isInactive(mesh.interfaceGrainA[i]) &&
        !isInactive(mesh.interfaceGrainB[i])
      )
        crackFaces.push(i, i);
  const fluxCount = baseFluxCount + crackFaces.length;
  const fluxSegmentNodes = new Uint32Array(2 * fluxCount);
  const fluxSegmentGrain = new Int32Array(fluxCount);
  surfaceSegments.forEach((s, i) => {
    fluxSegmentNodes[2 * i] = mesh.surfaceNodes[2 * s];
    fluxSegmentNodes[2 * i + 1] = mesh.surfaceNodes[2 * s + 1];
    fluxSegmentGrain[i] = mesh.surfaceGrain[s];
  });
  wettedWalls.forEach((p, i) => {
    const s = surfaceCount + i;
    fluxSegmentNodes[2 * s] = mesh.poreWallNodes[2 * p];
    fluxSegmentNodes[2 * s + 1] = mesh.poreWallNodes[2 * p + 1];
    fluxSegmentGrain[s] = mesh.poreWallGrain[p];
  });
  const crackFaceInterface = Int32Array.from(crackFaces);
  crackFaces.forEach((i, k) => {
    const s = baseFluxCount + k;
    const side = k % 2; // 0: face a (a0, a1) of grain A; 1: face b (b0, b1) of grain B
    fluxSegmentNodes[2 * s] = mesh.interfaceNodes[4 * i + 2 * side];
    fluxSegmentNodes[2 * s + 1] = mesh.interfaceNodes[4 * i + 2 * side + 1];
    fluxSegmentGrain[s] = side === 0 ? mesh.interfaceGrainA[i] : mesh.interfaceGrainB[i];
  });
  if (baseFluxCount === 0 || solidArea <= 0)
    throw new ConfigError([
      {
        key: 'microstructure.from_synthesis',
        message:
          'the synthesized particle has no active grain on its Li flux boundary (every surface grain is inactive rock salt): no Li can be exchanged',
      },
    ]);
  const segmentLength_um = new Float64Array(fluxCount);
  let perimeter = 0;
  for (let s = 0; s < fluxCount; s++) {
    const a = fluxSegmentNodes[2 * s];
    const b = fluxSegmentNodes[2 * s + 1];
    segmentLength_um[s] = hypot(xy[2 * b] - xy[2 * a], xy[2 * b + 1] - xy[2 * a + 1]);
    if (s < baseFluxCount) perimeter += segmentLength_um[s];
  }
  const interfaceLength_um = new Float64Array(mesh.interfaceCount);
  for (let i = 0; i < mesh.interfaceCount; i++) {
    const a0 = mesh.interfaceNodes[4 * i];
    const a1 = mesh.interfaceNodes[4 * i + 1];
    interfaceLength_um[i] = hypot(xy[2 * a1] - xy[2 * a0], xy[2 * a1 + 1] - xy[2 * a0 + 1]);
  }

  const nEff = effectiveBoundaryCount(mesh, interfaceLength_um);

  const rateSeed = config.microstructure.seed ^ 0x5eed;
  const drawRates = (rates: number[]) => {
    const out = new Float64Array(fluxCount);
    for (let s = 0; s < fluxCount; s++) out[s] = drawGrainRate(rates, rateSeed, fluxSegmentGrain[s]);
    return out;
  };
  const { charge, discharge } = config.loading;
  const legRates =
    config.loading.protocol === 'cycling' && charge && discharge
      ? { charge: drawRates(charge.c_rates), discharge: drawRates(discharge.c_rates) }
      : null;
  const segmentRate = legRates ? legRates.charge.slice() : drawRates(config.loading.c_rates);

  // Materials: 0 = grains, 1 = coating (when coated), then the inactive rock salt (when there are inactive grains).
  const T = config.loading.temperature_K;
  const materials: KernelMaterial[] = [kernelMaterial(config.material, T)];
  if (config.coating) materials.push(kernelMaterial(config.coating.material, T));
  const anyInactive = triInactive.some((v) => v === 1);
  const inactiveMaterial = materials.length;
  if (anyInactive) materials.push(kernelMaterial(INACTIVE_ROCK_SALT));
  const triMaterial = new Uint32Array(mesh.triCount);
  const triAngle_rad = new Float64Array(mesh.triCount);
  for (let t = 0; t < mesh.triCount; t++) {
    const g = mesh.triGrain[t];
    triMaterial[t] = triInactive[t] ? inactiveMaterial : mesh.triRegion[t] === REGION_COATING ? 1 : 0;
    triAngle_rad[t] = g >= 0 ? mesh.grainOrientation_rad[g] : 0;
  }
  // 3D c-axes (docs/physics.md §7) when any grain's axis leaves the plane; in-plane axes go by angle as before
  let triAxis: Float64Array | undefined;
  if (mesh.grainAxis.some((v, i) => i % 3 === 2 && v !== 0)) {
    triAxis = new Float64Array(3 * mesh.triCount);
    for (let t = 0; t < mesh.triCount; t++) {
      const g = mesh.triGrain[t];
      if (g >= 0) triAxis.set(mesh.grainAxis.subarray(3 * g, 3 * g + 3), 3 * t);
      else triAxis[3 * t] = 1; // the coating is isotropic: any axis
    }
  }

  // Interfaces: 0 = grain boundary (cohesive), 1 = coating/grain (bonded penalty, or cohesive with its own law).
  const gb = config.material.gb;
  const K = gb.penalty_GPa_per_um * 1e3;
  const D_ab = materials[0].D_ab_um2_s;
  const liConductance = (INTACT_CONDUCTANCE_FACTOR * D_ab) / config.geometry.mesh_size_um;
  // Cohesive fatigue on the grain boundaries (docs/physics.md §9): δ_Σ = ratio · λ0 (λ0 = σ_max / K), σ_f = ratio · σ_max.
  const fatigue =
    gb.fatigue_endurance_ratio !== undefined && gb.fatigue_length_ratio !== undefined
      ? {
          fatigueLength_um: gb.fatigue_length_ratio * (gb.strength_MPa / K),
          fatigueEndurance_MPa: gb.fatigue_endurance_ratio * gb.strength_MPa,
        }
      : {};
  const interfaceMaterials: KernelInterfaceMaterial[] = [
    {
      penalty_MPa_per_um: K,
      strength_MPa: gb.strength_MPa,
      Gc_J_m2: gb.Gc_J_m2,
      damageable: gb.enabled,
      viscosity_s: gb.viscosity_s,
      liConductance_um_s: liConductance,
      ...fatigue,
    },
  ];
  const coatIf = config.coating?.interface;
  interfaceMaterials.push({
    penalty_MPa_per_um: K,
    strength_MPa: coatIf && coatIf !== 'bonded' ? coatIf.strength_MPa : gb.strength_MPa,
    Gc_J_m2: coatIf && coatIf !== 'bonded' ? coatIf.Gc_J_m2 : gb.Gc_J_m2,
    damageable: !!coatIf && coatIf !== 'bonded',
    viscosity_s: gb.viscosity_s,
    liConductance_um_s: liConductance,
  });
  // 2, 3: the same two laws with no Li conductance, for boundaries between an active and an inactive side.
  if (anyInactive) interfaceMaterials.push(...interfaceMaterials.map((m) => ({ ...m, liConductance_um_s: 0 })));
  const interfaceMaterial = new Uint32Array(mesh.interfaceCount);
  /** One side inactive, the other not: no Li crosses (separate diffusion dofs, zero conductance). */
  const blocksLi = (i: number) => isInactive(mesh.interfaceGrainA[i]) !== isInactive(mesh.interfaceGrainB[i]);
  for (let i = 0; i < mesh.interfaceCount; i++)
    interfaceMaterial[i] = (mesh.interfaceKind[i] === INTERFACE_COATING ? 1 : 0) + (blocksLi(i) ? 2 : 0);

  // Diffusion dofs: duplicated nodes share one dof (x continuous across intact boundaries) unless diffusion is
  // crack-blocked, in which case each copy keeps its own dof and the interface conductance k (1 − D) joins them.
  let diffusion: { dof: Uint32Array; count: number };
  if (config.solver.crack_blocks_diffusion) {
    diffusion = { dof: Uint32Array.from({ length: mesh.nodeCount }, (_, i) => i), count: mesh.nodeCount };
  } else {
    const pairs = new Uint32Array(4 * mesh.interfaceCount);
    let pairCount = 0;
    for (let i = 0; i < mesh.interfaceCount; i++) {
      if (blocksLi(i)) continue;
      const n = mesh.interfaceNodes;
      pairs.set([n[4 * i], n[4 * i + 2], n[4 * i + 1], n[4 * i + 3]], 4 * pairCount++);
    }
    diffusion = mergedDofs(mesh.nodeCount, pairs, 2 * pairCount);
  }

  const setup: KernelSetup = {
    nodeCount: mesh.nodeCount,
    coords_um: mesh.coords_um,
    triCount: mesh.triCount,
    triNodes: mesh.triNodes,
    triMaterial,
    triAngle_rad,
    ...(triAxis ? { triAxis } : {}),
    materials,
    plane: config.solver.plane,
    diffusionDofCount: diffusion.count,
    diffusionDof: diffusion.dof,
    interfaceCount: mesh.interfaceCount,
    interfaceNodes: mesh.interfaceNodes,
    interfaceMaterial,
    interfaceMaterials,
    fluxSegmentCount: fluxCount,
    fluxSegmentNodes,
    fixedDofs: mechanicalSupports(mesh),
  };

  const sign = config.loading.direction === 'charge' ? 1 : -1;
  return {
    config,
    mesh,
    setup,
    fluxSegmentGrain,
    surfaceFluxSegments: surfaceCount,
    segmentRate,
    legRates,
    crackFaceStart: baseFluxCount,
    crackFaceInterface,
    segmentLength_um,
    fluxPerCRate_um_s: (sign * config.loading.delta_x_1C * (solidArea / perimeter)) / 3600,
    solidArea_um2: solidArea,
    triInactive,
    triArea_um2,
    triCentroidRadius_um,
    interfaceLength_um,
    effectiveBoundaryCount: nEff,
    implexMeanTolerance: implexMeanTolerance(config.solver, nEff),
  };
}
