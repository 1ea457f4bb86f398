/**
 * A reference run for tests and the console (`__chemofrac.libraryRun(config)`): the library's own path, as the
 * CLI steps it — `Simulation.create(config)` then `step()` until done — in a worker of this browser, with none of
 * the app's worker logic (engine-worker.ts). It answers with every step record and the cycles.csv rows, so a test
 * can compare what the app shows with the library bit for bit in the same JavaScript engine.
 *
 * With `bits`, it also answers with the exact bits (value-bits.ts) of the mesh, of the kernel setup and of each
 * step record, and with `maxSteps` it stops after that many steps: test/e2e/browser.test.ts compares them with
 * Node's, which must be the same to the last bit (the host computes with src/math/portable.ts, not Math.sin …,
 * whose last bit differs between engines; docs/browser.md).
 */
import { Simulation } from '../../src/index.js';
import type { CycleRecord, StepRecord } from '../../src/index.js';
import { runBits, type LibraryRunBits } from './value-bits.js';

export interface LibraryRunResult {
  ok: boolean;
  message: string;
  history: StepRecord[];
  cycles: CycleRecord[];
  bits?: LibraryRunBits;
}

export interface LibraryRunOptions {
  /** Stop after this many steps (default: run to the end). */
  maxSteps?: number;
  /** Also answer with the bits of the mesh, the setup and the step records. */
  bits?: boolean;
}

const w = globalThis as unknown as {
  postMessage(m: LibraryRunResult): void;
  onmessage: ((e: MessageEvent<{ config: unknown; wasmUrl: string } & LibraryRunOptions>) => void) | null;
};
w.onmessage = async (e) => {
  try {
    const sim = await Simulation.create(e.data.config, { wasmUrl: e.data.wasmUrl });
    const history: StepRecord[] = [sim.history[0]];
    const maxSteps = e.data.maxSteps ?? Infinity;
    while (!sim.done && history.length <= maxSteps) history.push(sim.step());
    const bits = e.data.bits ? runBits(sim, history) : undefined;
    w.postMessage({ ok: true, message: '', history, cycles: sim.cycles, bits });
  } catch (err) {
    w.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err), history: [], cycles: [] });
  }
};
