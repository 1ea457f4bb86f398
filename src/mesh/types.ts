/**
 * The polycrystal particle mesh: the one object the mesher produces and the engine, the writers and the
 * browser consume. Coordinates are in µm. All arrays are flat typed arrays (structure of arrays) so they can
 * be copied into the WebAssembly kernel's memory and posted between workers without conversion.
 *
 * Regions: every solid triangle belongs to a grain (`triGrain[t] >= 0`, `triRegion[t] = REGION_GRAIN`) or to the
 * coating annulus (`triGrain[t] = -1`, `triRegion[t] = REGION_COATING`). Pores are not meshed.
 *
 * Node ownership: with `interfaces = "cohesive"` every region owns its own nodes. Where two regions meet (grain |
 * grain, or grain | coating), each side has its own copy of the node and an interface element joins the copies.
 * At triple and higher junctions each meeting region has its own copy, so one geometric point can carry three or
 * more nodes. With `interfaces = "none"` nodes are shared across all boundaries (perfectly bonded polycrystal) and
 * `interfaceCount = 0`.
 */
export const REGION_GRAIN = 0;
export const REGION_COATING = 1;

/** Interface element kinds (`interfaceKind`). */
export const INTERFACE_GRAIN_BOUNDARY = 0;
export const INTERFACE_COATING = 1;

export interface PolycrystalMesh {
  /** "quarter": the symmetry edges are x = 0 and y = 0. "full": the whole disk. */
  shape: 'quarter' | 'full';
  /** Particle radius R (µm), without the coating. */
  radius_um: number;
  /** Coating thickness t (µm), 0 when uncoated. The coating occupies R < r < R + t. */
  coatingThickness_um: number;
  /** "cohesive": duplicated nodes + interface elements; "none": nodes shared across boundaries. */
  interfaces: 'cohesive' | 'none';

  nodeCount: number;
  /** [x0, y0, x1, y1, …] in µm. */
  coords_um: Float64Array;

  triCount: number;
  /** Three node indices per triangle, counter-clockwise (positive area). */
  triNodes: Uint32Array;
  /** Grain id per triangle, −1 for coating. */
  triGrain: Int32Array;
  /** REGION_GRAIN or REGION_COATING per triangle. */
  triRegion: Uint8Array;

  /** Number of solid grains; grain ids run 0 … grainCount − 1 (pores are not grains). */
  grainCount: number;
  /** In-plane angle θ of each grain's c-axis, measured from the x axis (rad). */
  grainOrientation_rad: Float64Array;
  /** Unit c-axis of each grain in 3D, 3 per grain [n_x, n_y, n_z], n_z ≥ 0 (z out of the section plane). */
  grainAxis: Float64Array;
  /** Area of each grain (µm²), from its triangles. */
  grainArea_um2: Float64Array;
  /**
   * Voronoi cell (seed order) of each grain: identifies a grain across meshes of the same spec that differ in their
   * pores (grain ids are renumbered, cell indices are not). Set by `meshPolycrystal`; −1 where unknown.
   */
  grainCell?: Int32Array;
  /**
   * Grains that take no part in the Li exchange (rock salt of a synthesized particle, src/mesh/synthesized.ts):
   * 1 = inactive. Absent = every grain active.
   */
  grainInactive?: Uint8Array;

  /**
   * Zero-thickness linear interface elements, 4 nodes each: [a0, a1, b0, b1]. a0 and b0 coincide in space, as do
   * a1 and b1; side a belongs to region `interfaceGrainA`, side b to `interfaceGrainB` (−1 = coating). The normal
   * n = rot(−90°)(a1 − a0)/|a1 − a0| points from side a into side b (a's triangle lies to the left of a0 → a1).
   */
  interfaceCount: number;
  interfaceNodes: Uint32Array;
  interfaceGrainA: Int32Array;
  interfaceGrainB: Int32Array;
  /** INTERFACE_GRAIN_BOUNDARY or INTERFACE_COATING. */
  interfaceKind: Uint8Array;

  /**
   * Outer surface segments (the Li flux boundary: the grains' outer arc, or the coating's outer arc when coated),
   * 2 nodes each, ordered so the solid lies to the left (outward normal to the right).
   * `surfaceGrain[s]` is the grain the segment belongs to: for a coated particle, the grain under the coating at
   * that angle (per-grain C-rates need it).
   */
  surfaceCount: number;
  surfaceNodes: Uint32Array;
  surfaceGrain: Int32Array;

  /** Pore-wall segments (free surfaces, no Li flux by default), 2 nodes each, solid to the left. */
  poreWallCount: number;
  poreWallNodes: Uint32Array;
  poreWallGrain: Int32Array;

  /** Quarter only: nodes on x = 0 (u_x = 0) and on y = 0 (u_y = 0). Empty for the full disk. */
  symmetryXNodes: Uint32Array;
  symmetryYNodes: Uint32Array;

  stats: MeshStats;
}

export interface MeshStats {
  nodeCount: number;
  triCount: number;
  grainCount: number;
  interfaceCount: number;
  /** Smallest interior angle over all triangles (degrees). */
  minAngle_deg: number;
  /** Smallest angle over triangles not forced by a small input angle of the geometry (degrees). */
  minAngleGenerated_deg: number;
  /** Solid area (grains + coating) of the meshed polygonal domain (µm²). */
  solidArea_um2: number;
  /** Area of the polygonal domain including pores, without coating (µm²). */
  particleArea_um2: number;
  /** Total grain-boundary length (µm), each boundary counted once. */
  grainBoundaryLength_um: number;
  /** Flux-boundary length (µm). */
  surfaceLength_um: number;
  /** Overall porosity of the particle (pores / particle area). */
  porosity: number;
  /** Porosity measured in concentric rings between 50 % and 100 % of R, as the experiments do. */
  porosityByRing: { r0_um: number; r1_um: number; porosity: number }[];
  /** Grains that pores cut off from the main body, reported (and removed as extra porosity). */
  isolatedGrains: number[];
  /** Wall time to build the mesh (ms). */
  buildTime_ms: number;
}
