/**
 * A reference run for tests and the console (`__chemofrac.libraryRun(config)`): the library's own path, as the
 * CLI steps it — `Simulation.create(config)` then `step()` until done — in a worker of this browser, with none of
 * the app's worker logic (engine-worker.ts). It answers with every step record and the cycles.csv rows, so a test
 * can compare what the app shows with the library bit for bit in the same JavaScript engine. (Node and a browser
 * do not agree to the last bit: their Math.sin / cos / atan2 / exp differ in the last place, and the mesher and
 * the physics use them.)
 */
import { Simulation } from '../../src/index.js';
import type { CycleRecord, StepRecord } from '../../src/index.js';

export interface LibraryRunResult {
  ok: boolean;
  message: string;
  history: StepRecord[];
  cycles: CycleRecord[];
}

const w = globalThis as unknown as {
  postMessage(m: LibraryRunResult): void;
  onmessage: ((e: MessageEvent<{ config: unknown; wasmUrl: string }>) => void) | null;
};
w.onmessage = async (e) => {
  try {
    const sim = await Simulation.create(e.data.config, { wasmUrl: e.data.wasmUrl });
    const history: StepRecord[] = [sim.history[0]];
    while (!sim.done) history.push(sim.step());
    w.postMessage({ ok: true, message: '', history, cycles: sim.cycles });
  } catch (err) {
    w.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err), history: [], cycles: [] });
  }
};
