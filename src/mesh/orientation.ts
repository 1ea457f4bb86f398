/**
 * Crystal orientation of each grain: its c-axis as a unit vector n in 3D (docs/physics.md §7; z out of the section
 * plane, n and −n are the same axis, so n_z ≥ 0), and the in-plane angle θ of its projection from the x axis
 * (kernel convention for an in-plane axis: e_c = (cos θ, sin θ)).
 *  - "random-3d": uniform on the sphere (cos of the tilt uniform in [0, 1], azimuth uniform), the physical default
 *    for a section through randomly oriented grains;
 *  - "random": in the plane, θ uniform in [0, π) from the seeded generator;
 *  - "radial": in the plane, along the radius through the grain's centroid, θ = atan2(c_y, c_x) folded into [0, π)
 *    (radially textured particles);
 *  - { radial_3d_spread_deg: s }: the radial direction tilted by a random angle, uniform on the spherical cap of
 *    half-angle s around it (cos α uniform in [cos s, 1], azimuth about the radius uniform);
 *  - { c_axis: [x, y, z] }: every grain along the same (normalised) axis;
 *  - { fixed_deg }: every grain in the plane at the same angle (tests, single-crystal references).
 */
import type { Rng } from './random.js';
import type { OrientationSpec } from './spec.js';
import { atan2, cos, hypot3, sin } from '../math/portable.js';

function foldToHalfTurn(theta: number): number {
  let t = theta % Math.PI;
  if (t < 0) t += Math.PI;
  return t;
}

/** c-axes (3 per grain, unit, n_z ≥ 0) and the in-plane angle of each. */
export interface GrainOrientations {
  axis: Float64Array;
  angle_rad: Float64Array;
}

function setAxis(out: Float64Array, g: number, x: number, y: number, z: number): void {
  const s = z < 0 || (z === 0 && (y < 0 || (y === 0 && x < 0))) ? -1 : 1;
  const n = hypot3(x, y, z);
  out[3 * g] = (s * x) / n;
  out[3 * g + 1] = (s * y) / n;
  out[3 * g + 2] = (s * z) / n;
}

export function grainOrientations(
  spec: OrientationSpec,
  centroidX: Float64Array,
  centroidY: Float64Array,
  rng: Rng,
): GrainOrientations {
  const n = centroidX.length;
  const axis = new Float64Array(3 * n);
  const angle = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    if (spec === 'random') {
      angle[g] = Math.PI * rng.next();
      setAxis(axis, g, cos(angle[g]), sin(angle[g]), 0);
      continue;
    }
    if (spec === 'radial' || (typeof spec === 'object' && 'fixed_deg' in spec)) {
      angle[g] =
        spec === 'radial' ? foldToHalfTurn(atan2(centroidY[g], centroidX[g])) : (spec.fixed_deg * Math.PI) / 180;
      setAxis(axis, g, cos(angle[g]), sin(angle[g]), 0);
      continue;
    }
    if (spec === 'random-3d') {
      const cz = rng.next();
      const phi = 2 * Math.PI * rng.next();
      const sz = Math.sqrt(1 - cz * cz);
      setAxis(axis, g, sz * cos(phi), sz * sin(phi), cz);
    } else if ('c_axis' in spec) {
      setAxis(axis, g, spec.c_axis[0], spec.c_axis[1], spec.c_axis[2]);
    } else {
      // tilt the radial unit vector r by α (cos α uniform in [cos s, 1]) towards the direction at azimuth β in the
      // plane normal to r, spanned by e1 = (−r_y, r_x, 0) and e2 = e_z
      const phiR = atan2(centroidY[g], centroidX[g]);
      const r = [cos(phiR), sin(phiR), 0];
      const cosS = cos((spec.radial_3d_spread_deg * Math.PI) / 180);
      const ca = 1 - rng.next() * (1 - cosS);
      const sa = Math.sqrt(Math.max(0, 1 - ca * ca));
      const beta = 2 * Math.PI * rng.next();
      const e1 = [-r[1], r[0], 0];
      setAxis(axis, g, ca * r[0] + sa * cos(beta) * e1[0], ca * r[1] + sa * cos(beta) * e1[1], sa * sin(beta));
    }
    angle[g] = foldToHalfTurn(atan2(axis[3 * g + 1], axis[3 * g]));
  }
  return { axis, angle_rad: angle };
}
