/**
 * The IMPL-EX mean tolerance of a particle (src/scenario/implex-tolerance.ts): "auto" = 1e-4 · √(N_eff / 50), with
 * N_eff = (Σ L_b)² / Σ L_b² the effective number of grain boundaries (src/mesh/effective-boundary-count.ts).
 * Closed forms on hand-made interface sets, then on real particles: the run uses the law's value (an explicit number
 * equal to it gives the same run bit for bit) and an explicit number overrides it.
 */
import { describe, expect, it } from 'vitest';
import { effectiveBoundaryCount } from '../../src/mesh/effective-boundary-count.js';
import { INTERFACE_COATING, INTERFACE_GRAIN_BOUNDARY, type PolycrystalMesh } from '../../src/mesh/types.js';
import { implexMeanToleranceOfSize } from '../../src/scenario/implex-tolerance.js';
import { Simulation } from '../../src/engine/simulation.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { meshSpecFromConfig } from '../../src/scenario/build.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { accuracyParticleConfig, referenceConfig } from '../../src/scenario/reference.js';
import type { UserConfig } from '../../src/scenario/config-schema.js';

/** Interface elements as [grain a, grain b, kind, length]; only the fields N_eff reads. */
function interfaces(elements: [number, number, number, number][], grainCount = 10) {
  const mesh = {
    grainCount,
    interfaceCount: elements.length,
    interfaceGrainA: Int32Array.from(elements, (e) => e[0]),
    interfaceGrainB: Int32Array.from(elements, (e) => e[1]),
    interfaceKind: Uint8Array.from(elements, (e) => e[2]),
  } as unknown as PolycrystalMesh;
  return effectiveBoundaryCount(
    mesh,
    Float64Array.from(elements, (e) => e[3]),
  );
}

const GB = INTERFACE_GRAIN_BOUNDARY;

describe('effective number of grain boundaries N_eff = (Σ L_b)² / Σ L_b²', () => {
  it('n equal boundaries count n', () => {
    expect(
      interfaces([
        [0, 1, GB, 2],
        [1, 2, GB, 2],
        [0, 2, GB, 2],
      ]),
    ).toBeCloseTo(3, 14);
  });
  it('lengths 3 and 1: 16 / 10', () => {
    expect(
      interfaces([
        [0, 1, GB, 3],
        [1, 2, GB, 1],
      ]),
    ).toBeCloseTo(1.6, 14);
  });
  it('a boundary split into elements (either side order) counts once, with its summed length', () => {
    expect(
      interfaces([
        [0, 1, GB, 1],
        [1, 0, GB, 1],
        [0, 1, GB, 1],
        [1, 2, GB, 3],
      ]),
    ).toBeCloseTo(2, 14);
  });
  it('coating interfaces are not grain boundaries', () => {
    expect(
      interfaces([
        [0, 1, GB, 1],
        [1, 2, GB, 1],
        [0, -1, INTERFACE_COATING, 5],
      ]),
    ).toBeCloseTo(2, 14);
  });
  it('a fragment of a few elements counts for almost nothing', () => {
    expect(
      interfaces([
        [0, 1, GB, 1],
        [1, 2, GB, 1],
        [2, 3, GB, 1e-3],
      ]),
    ).toBeCloseTo(2.002, 3);
  });
  it('no grain boundaries: 0', () => {
    expect(interfaces([])).toBe(0);
  });
});

describe('the law implex_mean_tolerance = 1e-4 · √(N_eff / 50)', () => {
  it('closed form', () => {
    expect(implexMeanToleranceOfSize(50)).toBeCloseTo(1e-4, 18);
    expect(implexMeanToleranceOfSize(200)).toBeCloseTo(2e-4, 18);
    expect(implexMeanToleranceOfSize(12.5)).toBeCloseTo(0.5e-4, 18);
  });

  it('on real particles: N_eff below the boundary count, and the scenario carries the law value', async () => {
    for (const user of [accuracyParticleConfig(11, 0.3), referenceConfig('bare', 7)]) {
      const c = resolveConfig(user);
      expect(c.solver.implex_mean_tolerance).toBe('auto');
      const sim = await Simulation.create(c);
      const m = sim.scenario.mesh;
      const pairs = new Set<number>();
      for (let i = 0; i < m.interfaceCount; i++)
        if (m.interfaceKind[i] === GB)
          pairs.add(
            Math.min(m.interfaceGrainA[i], m.interfaceGrainB[i]) * m.grainCount +
              Math.max(m.interfaceGrainA[i], m.interfaceGrainB[i]),
          );
      const nEff = sim.scenario.effectiveBoundaryCount;
      expect(nEff).toBeGreaterThan(0.7 * pairs.size);
      expect(nEff).toBeLessThan(pairs.size);
      expect(sim.scenario.implexMeanTolerance).toBe(implexMeanToleranceOfSize(nEff));
      sim.kernel.dispose();
    }
  });

  it('"auto" runs as the explicit law value does (same steps, same D̄), and an explicit number overrides it', async () => {
    const particle = (solver: UserConfig['solver']) => resolveConfig(accuracyParticleConfig(23, 0.4, solver));
    const mesh = meshPolycrystal(meshSpecFromConfig(particle({})));
    const run = async (solver: UserConfig['solver']) => {
      const sim = await Simulation.create(particle(solver), { mesh });
      await sim.run();
      sim.kernel.dispose();
      return sim;
    };
    const auto = await run({});
    const law = auto.scenario.implexMeanTolerance;
    const explicit = await run({ implex_mean_tolerance: law });
    const looser = await run({ implex_mean_tolerance: 4 * law });
    expect(explicit.stepCount).toBe(auto.stepCount);
    expect(explicit.history.map((r) => r.damage_mean)).toEqual(auto.history.map((r) => r.damage_mean));
    expect(looser.scenario.implexMeanTolerance).toBe(4 * law);
    expect(looser.stepCount).toBeLessThan(0.8 * auto.stepCount);
  });
});
