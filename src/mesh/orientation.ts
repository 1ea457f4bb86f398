/**
 * Crystal orientation of each grain: the in-plane angle θ of its c-axis from the x axis (kernel convention:
 * e_c = (cos θ, sin θ), e_a = (−sin θ, cos θ)).
 *  - "random": uniform in [0, π) from the seeded generator (θ and θ + π are the same axis);
 *  - "radial": c-axis along the radius through the grain's centroid, θ = atan2(c_y, c_x) (radially textured
 *    particles), folded into [0, π);
 *  - { fixed_deg }: every grain at the same angle (tests, single-crystal references).
 */
import type { Rng } from './random.js';
import type { OrientationSpec } from './spec.js';

function foldToHalfTurn(theta: number): number {
  let t = theta % Math.PI;
  if (t < 0) t += Math.PI;
  return t;
}

export function grainOrientations(
  spec: OrientationSpec,
  centroidX: Float64Array,
  centroidY: Float64Array,
  rng: Rng,
): Float64Array {
  const n = centroidX.length;
  const out = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    if (spec === 'random') out[g] = Math.PI * rng.next();
    else if (spec === 'radial') out[g] = foldToHalfTurn(Math.atan2(centroidY[g], centroidX[g]));
    else out[g] = (spec.fixed_deg * Math.PI) / 180;
  }
  return out;
}
