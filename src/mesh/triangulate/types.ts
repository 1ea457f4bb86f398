/** The triangulator's input, output and region labels. */

/** Region labels used by the triangulator. Grains are ≥ 0. */
export const LABEL_VOID = -1; // outside the particle
export const LABEL_COATING = -2;
export const LABEL_PORE = -3; // removed cells: triangulated (for exact porosity) but not refined and not output as solid
/** A triangle not reached by the flood fill yet. */
export const LABEL_UNSET = -1000;

export interface LabelledEdge {
  a: number;
  b: number;
  left: number;
  right: number;
  kind: number;
}

export interface TriangulateInput {
  /** PSLG vertex coordinates (µm). */
  xs: number[];
  ys: number[];
  /** Constraint edges with region labels on both sides (no edge has equal labels, no edge is void | void). */
  edges: LabelledEdge[];
  radius_um: number;
  coatingThickness_um: number;
  shape: 'quarter' | 'full';
  /** Element size in grains (h) and in the coating (h_c). */
  h: number;
  hCoating: number;
  /** Region label of an arbitrary point well inside a region (used to keep lattice points out of pores). */
  labelAt: (x: number, y: number) => number;
  minAngle_deg: number;
  maxRounds?: number;
}

export interface TriangulateResult {
  pointCount: number;
  coords: Float64Array;
  /** Solid and pore triangles (not the outside), counter-clockwise. */
  triCount: number;
  triangles: Uint32Array;
  triLabel: Int32Array;
  triForced: Uint8Array;
  /** Final subsegments (after all splits), with labels and kinds. */
  segCount: number;
  segA: Uint32Array;
  segB: Uint32Array;
  segLeft: Int32Array;
  segRight: Int32Array;
  segKind: Uint8Array;
  rounds: number;
}
