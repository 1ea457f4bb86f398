/**
 * Synthesis checkpoint and resume (docs/synthesis.md §5, docs/reliability.md): a synthesis stopped after a step and
 * continued with --resume writes the same history.csv, byte for byte, as one never stopped; a resume with another
 * config, of a completed run or without a checkpoint is refused with the reason.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynthesisToDirectory } from '../../src/synthesis/run.js';
import { main } from '../../src/cli/main.js';

const config = (seed: number, k_L = 0.01) => ({
  name: `resume-${seed}`,
  geometry: { radius_um: 2, mesh_size_um: 0.25 },
  microstructure: { grains: 12, seed },
  synthesis: {
    preset: 'ncm90-wo3-ald',
    temperature_program: { start_C: 200, steps: [{ ramp_C_per_min: 10, to_C: 450 }, { hold_min: 10 }] },
    rates: { k_L_per_s: k_L },
    output: { vtu: false, checkpoint_every_steps: 7 },
  },
});

describe('synthesis --resume', () => {
  for (const [seed, stopAt] of [
    [21, 30],
    [22, 7],
  ] as const) {
    it(`seed ${seed}, stopped after step ${stopAt}: the same history.csv, microstructure.json and end state`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'chemofrac-synth-resume-'));
      const whole = await runSynthesisToDirectory(config(seed), join(root, 'whole'));
      expect(whole.status).toBe('completed');
      expect(existsSync(join(root, 'whole', 'checkpoint.json'))).toBe(false); // removed at the end

      const dir = join(root, 'split');
      const controller = new AbortController();
      const first = await runSynthesisToDirectory(config(seed), dir, {
        signal: controller.signal,
        onStep: (m) => {
          if (m.stepCount === stopAt) controller.abort();
        },
      });
      expect(first.status).toBe('interrupted');
      expect(first.model.stepCount).toBe(stopAt);
      expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
      const second = await runSynthesisToDirectory(config(seed), dir, { mode: 'resume' });
      expect(second.status).toBe('completed');
      expect(second.model.stepCount).toBe(whole.model.stepCount);
      expect(readFileSync(join(dir, 'history.csv'), 'utf8')).toBe(
        readFileSync(join(root, 'whole', 'history.csv'), 'utf8'),
      );
      const ms = (d: string) => {
        const m = JSON.parse(readFileSync(join(d, 'microstructure.json'), 'utf8'));
        return JSON.stringify(m.grains) + JSON.stringify(m.boundaries);
      };
      expect(ms(dir)).toBe(ms(join(root, 'whole')));
      expect(Array.from(second.model.XL)).toEqual(Array.from(whole.model.XL));
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary.resumed_at_steps).toEqual([Math.floor(stopAt / 7) * 7]);
      expect(existsSync(join(dir, 'checkpoint.json'))).toBe(false);
    });
  }

  it('resumed in the second program step: the same snapshots (a resume wrote an extra end-of-step-0 snapshot)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chemofrac-synth-resume-'));
    const whole = await runSynthesisToDirectory(config(21), join(root, 'whole'));
    const ramp_s = (450 - 200) * 6; // 10 °C/min
    const secondStep = whole.model.history.findIndex((r) => r.time_s > ramp_s) + 1;
    expect(secondStep).toBeGreaterThan(0);
    const stopAt = secondStep + 9; // the last checkpoint before it lies in the hold, after the ramp ended
    expect(Math.floor(stopAt / 7) * 7).toBeGreaterThanOrEqual(secondStep);
    const dir = join(root, 'split');
    const controller = new AbortController();
    await runSynthesisToDirectory(config(21), dir, {
      signal: controller.signal,
      onStep: (m) => {
        if (m.stepCount === stopAt) controller.abort();
      },
    });
    await runSynthesisToDirectory(config(21), dir, { mode: 'resume' });
    const snapshots = (d: string) =>
      JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')).snapshots.map(
        (s: { index: number; time_s: number; program_step: number }) => [s.index, s.time_s, s.program_step],
      );
    expect(snapshots(join(root, 'whole')).map((s: number[]) => s[2])).toEqual([-1, 0, 1]);
    expect(snapshots(dir)).toEqual(snapshots(join(root, 'whole')));
    expect(readFileSync(join(dir, 'profiles.csv'), 'utf8')).toBe(
      readFileSync(join(root, 'whole', 'profiles.csv'), 'utf8'),
    );
  });

  it('the CLI refuses a resume with another config, of a completed run, and --resume with --force', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chemofrac-synth-resume-cli-'));
    const dir = join(root, 'out');
    const controller = new AbortController();
    await runSynthesisToDirectory(config(23), dir, {
      signal: controller.signal,
      onStep: (m) => {
        if (m.stepCount === 10) controller.abort();
      },
    });
    const other = join(root, 'other.json');
    writeFileSync(other, JSON.stringify(config(23, 0.02)));
    const same = join(root, 'same.json');
    writeFileSync(same, JSON.stringify(config(23)));
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
    try {
      expect(await main(['node', 'chemofrac', 'synthesize', other, '--out', dir, '--resume', '--quiet'])).toBe(1);
      expect(errors.join('')).toMatch(/--resume: the config differs/);
      expect(await main(['node', 'chemofrac', 'synthesize', same, '--out', dir, '--resume', '--force'])).toBe(1);
      expect(errors.join('')).toMatch(/--resume and --force exclude each other/);
      expect(await main(['node', 'chemofrac', 'synthesize', same, '--out', dir, '--resume', '--quiet'])).toBe(0);
      expect(await main(['node', 'chemofrac', 'synthesize', same, '--out', dir, '--resume', '--quiet'])).toBe(1);
      expect(errors.join('')).toMatch(/has completed; there is nothing to continue/);
    } finally {
      spy.mockRestore();
    }
  });
});
