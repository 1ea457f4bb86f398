/**
 * Every examples/*.json runs: a run config as `chemofrac run` runs it (to completion, into a run directory), a
 * sweep as `chemofrac sweep` runs it (every case completed, the tables written); a sweep too large for a test runs
 * as its quick variant (test/support/examples.ts), after its full case list has been expanded and resolved.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToDirectory } from '../../src/cli/run.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { runCase } from '../../src/sweep/case-runner.js';
import { createInProcessExecutor } from '../../src/sweep/executor.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { expandCases, parseSweepSpec } from '../../src/sweep/spec.js';
import { parseSynthesisConfig } from '../../src/synthesis/config.js';
import { listExamples, needsQuickVariant, quickVariant } from '../support/examples.js';

const examples = listExamples();

describe('examples/', () => {
  it('holds run configs and sweeps', () => {
    expect(examples.filter((e) => e.kind === 'run').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.kind === 'sweep').length).toBeGreaterThan(0);
  });

  for (const ex of examples.filter((e) => e.kind === 'run')) {
    it(`${ex.file} runs to its end`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'chemofrac-example-'));
      const { sim } = await runToDirectory(resolveConfig(ex.json), dir, { quiet: true });
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary.status).toBe('completed');
      // a cycling run ends after its cycles (cycles.csv, one row per cycle), a single charge at its SoC
      const cycling = (ex.json as { loading?: { protocol?: string } }).loading?.protocol === 'cycling';
      expect(summary.end_reason).toBe(cycling ? 'cycles' : 'to_soc');
      if (cycling)
        expect(readFileSync(join(dir, 'cycles.csv'), 'utf8').trim().split('\n').length).toBe(
          1 + (ex.json as { loading: { cycles: number } }).loading.cycles,
        );
      expect(sim.stepCount).toBeGreaterThan(0);
    });
  }

  // Synthesis examples run through `chemofrac synthesize` in test/synthesis/config-and-cli.test.ts; here: valid.
  for (const ex of examples.filter((e) => e.kind === 'synthesis'))
    it(`${ex.file} is a valid synthesis config`, () => {
      expect(() => parseSynthesisConfig(ex.json)).not.toThrow();
    });

  for (const ex of examples.filter((e) => e.kind === 'sweep')) {
    it(`${ex.file} runs (every case resolves; large sweeps as their quick variant)`, async () => {
      const full = parseSweepSpec(ex.json, ex.path);
      const cases = expandCases(full);
      expect(cases.length).toBeGreaterThan(0);
      const spec = needsQuickVariant(ex.json, cases.length) ? parseSweepSpec(quickVariant(ex.json), ex.path) : full;
      const out = mkdtempSync(join(tmpdir(), 'chemofrac-example-sweep-'));
      const r = await runSweep(spec, { out, quiet: true, executor: createInProcessExecutor(runCase) });
      expect(r.failed).toBe(0);
      expect(r.completed).toBe(expandCases(spec).length);
      expect(readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n').length).toBe(r.completed + 1);
    });
  }
});
