/**
 * Defect: every checkpoint rewrote the whole history into checkpoint.json, so a run's checkpoint cost grew with its
 * length (O(steps²) bytes over a run; ~6 % of the reference charge's CPU time in a profile). Now the rows go to an
 * append-only `checkpoint-history.jsonl` and checkpoint.json says how many of its lines it owns:
 *   - checkpoint.json no longer grows with the run;
 *   - rows appended after the checkpoint (a kill between the append and the rename) are ignored when it is read,
 *     and a resumed run rewrites the log to exactly its rows;
 *   - a cycling run that dropped its completed cycles' rows gets a rewritten, short log;
 *   - the resumed history is still byte-identical (the signal tests of run-ignores-sigint-and-sigterm).
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_HISTORY_FILE,
  CheckpointHistoryLog,
  readCheckpoint,
  writeCheckpoint,
  type RunCheckpoint,
} from '../../src/io/checkpoint.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { caseHash } from '../../src/io/config-hash.js';
import { Simulation } from '../../src/engine/simulation.js';
import { RunWriter } from '../../src/io/run-writer.js';
import type { StepRecord } from '../../src/engine/simulation.js';
import { LONG_RUN, tempDir } from './support.js';

const row = (step: number): StepRecord =>
  ({ step, time_s: step * 0.5, soc: step / 1000, damage_mean: NaN }) as StepRecord;
const rows = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => row(a + i));
const lineCount = (dir: string) => readFileSync(join(dir, CHECKPOINT_HISTORY_FILE), 'utf8').split('\n').length - 1;

function checkpointWith(history_rows: RunCheckpoint['history_rows']): RunCheckpoint {
  return {
    format: 3,
    engine_version: 'test',
    config_hash: 'x',
    step: 0,
    wall_time_s: 0,
    snapshots: [],
    history_rows,
    simulation: { history: [] } as unknown as RunCheckpoint['simulation'],
  };
}

describe('checkpoint history log', () => {
  it('appends only the new rows; a checkpoint reads back exactly its rows (NaN kept), ignoring later lines', () => {
    const dir = tempDir();
    const log = new CheckpointHistoryLog(dir);
    expect(log.record(rows(0, 20))).toEqual({ lines: 21, first_step: 0 });
    const at40 = log.record(rows(0, 40));
    expect(at40).toEqual({ lines: 41, first_step: 0 });
    expect(lineCount(dir)).toBe(41);
    writeCheckpoint(join(dir, CHECKPOINT_FILE), checkpointWith(at40));
    // rows of steps 41..45 reach the log, then the process is killed before checkpoint.json is replaced
    appendFileSync(
      join(dir, CHECKPOINT_HISTORY_FILE),
      rows(41, 45)
        .map((r) => JSON.stringify(r) + '\n')
        .join(''),
    );
    const back = readCheckpoint(join(dir, CHECKPOINT_FILE)).simulation.history;
    expect(back.map((r) => r.step)).toEqual(rows(0, 40).map((r) => r.step));
    expect(Number.isNaN(back[7].damage_mean)).toBe(true);
    // the resumed run rewrites the log to its own rows
    new CheckpointHistoryLog(dir, back);
    expect(lineCount(dir)).toBe(41);
  });

  it('a checkpoint whose log lost rows is refused with a message naming the file', () => {
    const dir = tempDir();
    const log = new CheckpointHistoryLog(dir);
    const entry = log.record(rows(0, 9));
    writeCheckpoint(join(dir, CHECKPOINT_FILE), checkpointWith({ ...entry, lines: 12 }));
    expect(() => readCheckpoint(join(dir, CHECKPOINT_FILE))).toThrow(/checkpoint-history\.jsonl holds 10 of the 12/);
  });

  it('cycling: once most logged rows were dropped, the log is rewritten with the current ones', () => {
    const dir = tempDir();
    const log = new CheckpointHistoryLog(dir);
    log.record(rows(0, 300));
    expect(log.record(rows(280, 320))).toEqual({ lines: 41, first_step: 280 });
    expect(lineCount(dir)).toBe(41);
    // a few dropped rows: appended, the reader filters by first_step
    const entry = log.record(rows(290, 330));
    expect(entry).toEqual({ lines: 51, first_step: 290 });
    writeCheckpoint(join(dir, CHECKPOINT_FILE), checkpointWith(entry));
    expect(readCheckpoint(join(dir, CHECKPOINT_FILE)).simulation.history.map((r) => r.step)).toEqual(
      rows(290, 330).map((r) => r.step),
    );
  });

  it('output.checkpoint_min_interval_s: later checkpoint steps within the interval write nothing; the hash ignores it', async () => {
    const dir = tempDir();
    const config = resolveConfig({
      ...LONG_RUN,
      output: { checkpoint_every_steps: 10, checkpoint_min_interval_s: 1e6 },
    });
    const sim = await Simulation.create(config);
    const writer = new RunWriter(dir, sim);
    writer.start();
    let checkpointSteps = 0;
    await sim.run({
      onStep: (rec) => {
        writer.onStep(rec);
        if (sim.atCheckpointStep && !sim.done) checkpointSteps++;
      },
    });
    expect(checkpointSteps).toBeGreaterThan(3);
    // only the session's first checkpoint step wrote
    expect(JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8')).step).toBe(10);
    expect(lineCount(dir)).toBe(11);
    // a resume with another interval is the same case
    const other = resolveConfig({ ...LONG_RUN, output: { checkpoint_every_steps: 10, checkpoint_min_interval_s: 0 } });
    expect(caseHash(other)).toBe(caseHash(config));
  });

  it('in a real run, checkpoint.json does not grow with the number of steps', async () => {
    const dir = tempDir();
    const sim = await Simulation.create(
      resolveConfig({ ...LONG_RUN, output: { checkpoint_every_steps: 10, checkpoint_min_interval_s: 0 } }),
    );
    const writer = new RunWriter(dir, sim);
    writer.start();
    const sizes: number[] = [];
    await sim.run({
      onStep: (rec) => {
        writer.onStep(rec);
        if (sim.atCheckpointStep && !sim.done) sizes.push(statSync(join(dir, CHECKPOINT_FILE)).size);
      },
    });
    expect(sizes.length).toBeGreaterThan(4);
    // the same state arrays every time; only a few numbers' digits differ
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.02);
    expect(lineCount(dir)).toBe(sizes.length * 10 + 1);
  });
});
