/**
 * The ensemble of the reference designs as a sweep (src/scenario/design-ensemble.ts) and the file-free case list
 * the browser builds from it (src/scenario/sweep-cases.ts): the same cases, configs and hashes as
 * `chemofrac sweep`; and the histogram of the ensemble statistics (src/io/ensemble-statistics.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  REFERENCE_VARIANTS,
  SMALL_PARTICLE,
  SweepError,
  designConfig,
  designEnsembleSweep,
  expandCasesAsyncHash,
  histogram,
  parseInlineSweepSpec,
  resolveConfig,
} from '../../src/index.js';
import { caseHash } from '../../src/io/config-hash.js';
import { expandCases, parseSweepSpec } from '../../src/sweep/spec.js';

describe('design ensemble sweep', () => {
  const K = 3;
  const sweep = designEnsembleSweep(REFERENCE_VARIANTS, { count: K, seed_start: 5 }, SMALL_PARTICLE);

  it('has one point per design and K seeds each, every case the design config on its seed', () => {
    const cases = expandCases(parseSweepSpec(sweep));
    expect(cases).toHaveLength(REFERENCE_VARIANTS.length * K);
    for (const c of cases) {
      const design = REFERENCE_VARIANTS[c.point];
      expect(c.seed).toBe(5 + c.replicate);
      expect(c.hash).toBe(caseHash(resolveConfig(designConfig(design, c.seed, SMALL_PARTICLE))));
    }
    // the small particle's geometry and the designs' differences are all there
    expect(cases[0].config.geometry.radius_um).toBe(2);
    expect(cases[0].config.microstructure.grains).toBe(12);
    expect(cases[0].config.microstructure.orientation).toBe('random-3d');
    expect(Object.keys((sweep.axes as { zip: object }).zip).sort()).toEqual(['coating', 'material', 'porosity']);
  });

  it('gives the browser the same case list (hashes and run directories) without files or node:crypto', async () => {
    const node = expandCases(parseSweepSpec(sweep));
    const web = await expandCasesAsyncHash(parseInlineSweepSpec(sweep));
    expect(web.map((c) => [c.index, c.point, c.replicate, c.seed, c.hash, c.runDir])).toEqual(
      node.map((c) => [c.index, c.point, c.replicate, c.seed, c.hash, c.runDir]),
    );
    expect(web.map((c) => c.config)).toEqual(node.map((c) => c.config));
  });

  it('one design: no axes, one point', () => {
    const s = designEnsembleSweep(['dense-porous'], { count: 2, seed_start: 1 }, SMALL_PARTICLE);
    expect(s.axes).toEqual({});
    const cases = expandCases(parseSweepSpec(s));
    expect(cases.map((c) => c.config.porosity)).toEqual([cases[0].config.porosity, cases[0].config.porosity]);
    expect(cases[0].hash).toBe(caseHash(resolveConfig(designConfig('dense-porous', 1, SMALL_PARTICLE))));
  });

  it('an inline sweep refuses a base given as a path', () => {
    expect(() => parseInlineSweepSpec({ base: 'config.json' })).toThrow(SweepError);
    expect(() => parseInlineSweepSpec({ base: 'config.json' })).toThrow(/path "config.json"/);
  });
});

describe('histogram', () => {
  it('counts every value in [lo, hi] once (hi in the last bin), the rest as outside', () => {
    const h = histogram([0, 0.05, 0.1, 0.95, 1, 1.2, -0.1, NaN], 10, 0, 1);
    expect(h.counts).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(h.outside).toBe(3);
    expect(h.edges).toHaveLength(11);
    expect(h.edges[0]).toBe(0);
    expect(h.edges[10]).toBe(1);
  });

  it('refuses a bad bin count or range, naming the values', () => {
    expect(() => histogram([1], 0, 0, 1)).toThrow(/bins = 0/);
    expect(() => histogram([1], 4, 1, 1)).toThrow(/range \[1, 1\]/);
  });
});
