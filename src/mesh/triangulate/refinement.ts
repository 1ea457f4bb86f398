/** The state every step of the triangulation reads and grows: the input, the sizes, the points, the subsegments. */
import { PointStore, SegmentStore } from './stores.js';
import { LABEL_COATING, type TriangulateInput } from './types.js';

/** The four ghost points (far corners) are the first four points. */
export const GHOSTS = 4;

export interface Refinement {
  readonly input: TriangulateInput;
  /** Element size in the grains and in the coating (µm). */
  readonly h: number;
  readonly hCoating: number;
  /** Particle radius and outer (coating) radius (µm). */
  readonly R: number;
  readonly Rout: number;
  /** The ghost points sit at (±far, ±far). */
  readonly far: number;
  /** Cell size of the subsegment grids. */
  readonly segGridCell: number;
  /**
   * Refinement floor: encroached subsegments shorter than 2 ℓ_min are no longer split for quality (missing ones
   * always are, conformity comes first). This is what terminates refinement inside needle-like input features
   * (two boundaries at a few degrees); the skinny triangles left there are reported as forced.
   */
  readonly minSegmentLength: number;
  readonly pts: PointStore;
  readonly segs: SegmentStore;
  /** Points below this index came from the PSLG (its vertices and the subdivision of its edges). */
  inputVertexCount: number;
  /** 1 at PSLG vertices where a solid wedge between consecutive constraint edges is below 60°. */
  smallWedge: Uint8Array;
}

export const isSolid = (label: number): boolean => label >= 0 || label === LABEL_COATING;

/** Target element size on the side of a region label. */
export const sizeOf = (r: Refinement, label: number): number => (label === LABEL_COATING ? r.hCoating : r.h);

/** The empty refinement: sizes, and the ghost points (indices 0…3). */
export function createRefinement(input: TriangulateInput): Refinement {
  const { h, hCoating } = input;
  const R = input.radius_um;
  const Rout = R + input.coatingThickness_um;
  const pts = new PointStore(Math.ceil((Math.PI * Rout * Rout) / (0.8 * h * h)) + 1024);
  const far = 4 * Rout;
  pts.add(-far, -far);
  pts.add(far, -far);
  pts.add(far, far);
  pts.add(-far, far);
  return {
    input,
    h,
    hCoating,
    R,
    Rout,
    far,
    segGridCell: Math.max(h, 1e-12),
    minSegmentLength: h / 16,
    pts,
    segs: new SegmentStore(),
    inputVertexCount: 0,
    smallWedge: new Uint8Array(0),
  };
}
