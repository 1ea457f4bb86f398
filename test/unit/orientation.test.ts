/** Grain c-axes in 3D (docs/physics.md §7): the orientation modes of src/mesh/orientation.ts and their inputs. */
import { describe, expect, it } from 'vitest';
import { grainOrientations } from '../../src/mesh/orientation.js';
import { createRng } from '../../src/mesh/random.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { resolveConfig } from '../../src/scenario/resolve.js';

const N = 20000;
const cx = Float64Array.from({ length: N }, (_, i) => Math.cos(i));
const cy = Float64Array.from({ length: N }, (_, i) => Math.sin(i));

function axes(spec: Parameters<typeof grainOrientations>[0]) {
  return grainOrientations(spec, cx, cy, createRng(5));
}

describe('grain c-axes', () => {
  it('random-3d: unit axes, upper hemisphere, uniform on the sphere (⟨n_z⟩ = 1/2, ⟨n_z²⟩ = 1/3, isotropic azimuth)', () => {
    const { axis } = axes('random-3d');
    let mz = 0,
      mz2 = 0,
      mx2 = 0;
    for (let g = 0; g < N; g++) {
      const [x, y, z] = [axis[3 * g], axis[3 * g + 1], axis[3 * g + 2]];
      expect(Math.hypot(x, y, z)).toBeWithin(1, { abs: 1e-14 });
      expect(z).toBeGreaterThanOrEqual(0);
      mz += z / N;
      mz2 += (z * z) / N;
      mx2 += (x * x) / N;
    }
    // standard errors: 0.29/√N ≈ 0.002 for n_z, 0.3/√N for the squares: 5σ bounds
    expect(mz).toBeWithin(0.5, { abs: 0.011 });
    expect(mz2).toBeWithin(1 / 3, { abs: 0.011 });
    expect(mx2).toBeWithin(1 / 3, { abs: 0.011 });
  });

  it('in-plane modes keep n_z = 0 and θ as before; c_axis is normalised and shared', () => {
    for (const spec of ['random', 'radial', { fixed_deg: 30 }] as const) {
      const { axis, angle_rad } = axes(spec);
      for (let g = 0; g < 50; g++) {
        expect(axis[3 * g + 2]).toBe(0);
        expect(Math.abs(Math.atan2(axis[3 * g + 1], axis[3 * g]) - angle_rad[g]) % Math.PI).toBeLessThan(1e-12);
      }
    }
    const { axis } = axes({ c_axis: [0, 3, 4] });
    expect(Array.from(axis.subarray(0, 3))).toEqual([0, 0.6, 0.8]);
    expect(Array.from(axis.subarray(3 * (N - 1)))).toEqual([0, 0.6, 0.8]);
  });

  it('radial_3d_spread_deg: every axis within s of the radius, the spread filling the cap', () => {
    const s = 20;
    const { axis } = axes({ radial_3d_spread_deg: s });
    let maxAngle = 0;
    for (let g = 0; g < N; g++) {
      const cosA = Math.abs(axis[3 * g] * cx[g] + axis[3 * g + 1] * cy[g]);
      maxAngle = Math.max(maxAngle, (Math.acos(Math.min(1, cosA)) * 180) / Math.PI);
    }
    expect(maxAngle).toBeLessThanOrEqual(s + 1e-9);
    expect(maxAngle).toBeGreaterThan(0.95 * s);
  });

  it('bad orientation input names the key and what is allowed', () => {
    const base = { geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.3 }, microstructure: { grains: 4 } };
    expect(() =>
      resolveConfig({ ...base, microstructure: { grains: 4, orientation: { radial_3d_spread_deg: 200 } } }),
    ).toThrow(/microstructure\.orientation/);
    expect(() => resolveConfig({ ...base, microstructure: { grains: 4, orientation: 'sideways' } })).toThrow(
      /microstructure\.orientation/,
    );
    const spec = {
      shape: 'quarter' as const,
      radius_um: 2,
      mesh_size_um: 0.3,
      grains: 4,
      seed: 1,
      lloyd_iterations: 1,
      orientation: { c_axis: [0, 0, 0] as [number, number, number] },
      coating_thickness_um: 0,
      interfaces: 'cohesive' as const,
    };
    expect(() => meshPolycrystal(spec)).toThrow(/orientation\.c_axis.*three finite numbers/);
  });
});
