/**
 * Electrolyte-filled pores (microstructure.pore_fill = "electrolyte"): which pore walls are wetted, and that a
 * wetted particle keeps its Li balance and its C-rate (the same current over more surface).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { buildScenario, meshSpecFromConfig } from '../../src/scenario/build.js';
import { wettedPoreWalls } from '../../src/mesh/pore-wetting.js';
import { Simulation } from '../../src/engine/simulation.js';
import type { PolycrystalMesh } from '../../src/mesh/types.js';

const porous = (seed: number, extra: Record<string, unknown> = {}) =>
  resolveConfig({
    geometry: { shape: 'quarter', radius_um: 3, mesh_size_um: 0.15 },
    microstructure: { grains: 40, seed, pore_fill: 'electrolyte' },
    porosity: { uniform: 0.15 },
    ...extra,
  });

/** Pore-wall chains (connected through shared end positions) and whether each touches r = R. */
function chainsTouchingSurface(mesh: PolycrystalMesh, R: number): { chainOf: number[]; touches: boolean[] } {
  const xy = mesh.coords_um;
  const key = (n: number) => `${xy[2 * n]},${xy[2 * n + 1]}`;
  const byKey = new Map<string, number[]>();
  for (let p = 0; p < mesh.poreWallCount; p++)
    for (const k of [0, 1]) {
      const list = byKey.get(key(mesh.poreWallNodes[2 * p + k])) ?? [];
      list.push(p);
      byKey.set(key(mesh.poreWallNodes[2 * p + k]), list);
    }
  const chainOf = new Array<number>(mesh.poreWallCount).fill(-1);
  const touches: boolean[] = [];
  for (let start = 0; start < mesh.poreWallCount; start++) {
    if (chainOf[start] >= 0) continue;
    const id = touches.length;
    touches.push(false);
    const stack = [start];
    chainOf[start] = id;
    while (stack.length) {
      const p = stack.pop()!;
      for (const k of [0, 1]) {
        const n = mesh.poreWallNodes[2 * p + k];
        if (Math.abs(Math.hypot(xy[2 * n], xy[2 * n + 1]) - R) < 1e-6) touches[id] = true;
        for (const q of byKey.get(key(n)) ?? [])
          if (chainOf[q] < 0) {
            chainOf[q] = id;
            stack.push(q);
          }
      }
    }
  }
  return { chainOf, touches };
}

describe('electrolyte-filled pores', () => {
  it('a pore wall is wetted exactly when its pore reaches the outer surface (5 microstructures)', () => {
    let wettedTotal = 0;
    let dryTotal = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const mesh = meshPolycrystal(meshSpecFromConfig(porous(seed)));
      const wetted = wettedPoreWalls(mesh);
      const { chainOf, touches } = chainsTouchingSurface(mesh, 3);
      for (let p = 0; p < mesh.poreWallCount; p++) {
        expect(wetted[p] === 1).toBe(touches[chainOf[p]]);
        if (wetted[p]) wettedTotal++;
        else dryTotal++;
      }
    }
    expect(wettedTotal).toBeGreaterThan(0);
    expect(dryTotal).toBeGreaterThan(0);
  });

  it('under a coating no pore is wetted (the coating closes the surface pores)', () => {
    for (const seed of [1, 2, 3]) {
      const mesh = meshPolycrystal(meshSpecFromConfig(porous(seed, { coating: { thickness_um: 0.16 } })));
      expect(mesh.poreWallCount).toBeGreaterThan(0);
      expect(wettedPoreWalls(mesh).every((w) => w === 0)).toBe(true);
    }
  });

  it('the wetted walls become flux segments with their grain rate; the C-rate and the Li balance hold', async () => {
    const config = porous(3, { loading: { c_rates: [1, 0.5], duration_s: 600 } });
    const mesh = meshPolycrystal(meshSpecFromConfig(config));
    const wet = buildScenario(config, mesh);
    const dry = buildScenario({ ...config, microstructure: { ...config.microstructure, pore_fill: 'empty' } }, mesh);
    expect(wet.setup.fluxSegmentCount).toBeGreaterThan(dry.setup.fluxSegmentCount);
    expect(wet.surfaceFluxSegments).toBe(dry.setup.fluxSegmentCount);
    // the same total current (Σ q L at 1C) over the longer boundary
    const current = (s: typeof wet) => s.fluxPerCRate_um_s * s.segmentLength_um.reduce((a, b) => a + b, 0);
    expect(current(wet)).toBeCloseTo(current(dry), 12);
    const sim = await Simulation.create(config, { mesh });
    while (!sim.done) sim.step();
    for (const r of sim.history) expect(Math.abs(r.mass_balance_error)).toBeLessThan(1e-12);
  });
});
