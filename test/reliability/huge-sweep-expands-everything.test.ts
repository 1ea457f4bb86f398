/**
 * Defect 6: `"replicates": { "count": 1000000 }` expanded every case up front (0.95 GB after 30 s, nothing run) and
 * SIGINT took 69 s. Now the case count is computed from the axis lengths and refused above a documented limit
 * (DEFAULT_MAX_CASES, raised with --max-cases) before anything is expanded, and the expansion looks at the event
 * loop every 50 ms so that an abort (Ctrl-C) ends it at once.
 */
import { describe, expect, it } from 'vitest';
import {
  caseCount,
  checkCaseCount,
  DEFAULT_MAX_CASES,
  expandCasesAsync,
  parseSweepSpec,
  SweepError,
} from '../../src/sweep/spec.js';
import { cli, tempDir, writeJson } from './support.js';

const huge = { base: {}, axes: { grid: { 'loading.c_rates': [1, 2] } }, replicates: { count: 1_000_000 } };

describe('huge sweeps', () => {
  it('a million replicates is refused at once, naming the count, the limit and --max-cases', () => {
    const spec = parseSweepSpec(huge);
    expect(caseCount(spec)).toBe(2_000_000);
    const t0 = performance.now();
    expect(() => checkCaseCount(spec)).toThrow(SweepError);
    expect(() => checkCaseCount(spec)).toThrow(
      new RegExp(`2000000 cases .*replicates.count 1000000.*limit of ${DEFAULT_MAX_CASES}.*--max-cases`),
    );
    expect(performance.now() - t0).toBeLessThan(100);
    expect(() => checkCaseCount(spec, 2_000_000)).not.toThrow();
  });

  it('the CLI refuses it with exit 1 and no case started', () => {
    const file = writeJson(huge, tempDir(), 'sweep.json');
    const r = cli(['sweep', file, '--out', tempDir(), '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/more than the limit/);
    const bad = cli(['sweep', file, '--out', tempDir(), '--quiet', '--max-cases', 'lots']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--max-cases: got "lots"/);
  });

  it('an abort during the expansion of a large sweep ends it within 2 s', async () => {
    const spec = parseSweepSpec({
      base: {},
      axes: { grid: { 'loading.c_rates': [1, 2] } },
      replicates: { count: 4000 },
    });
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 100);
    await expect(expandCasesAsync(spec, { signal: controller.signal })).rejects.toThrow(/stopped while its case list/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
