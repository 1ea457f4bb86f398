/**
 * Piscina worker for sweeps: one kernel per worker thread, created on the first case and reused for every later
 * case of that kind (a WASM instance is set up per scenario, not re-instantiated). After a failed case the kernel
 * is dropped and rebuilt, so a case that left it in a bad state cannot spoil the next.
 *
 * Interruption and progress travel through shared memory (the main thread owns both buffers): `stop[0] = 1` asks
 * the running case to stop after its current step; `progress[slot]` is this case's completed fraction.
 */
import type { Kernel } from '../engine/kernel-api.js';
// Static imports only in the worker's module graph: under tsx (tests, bench) a worker thread's dynamic import() of
// a .ts module is not routed through tsx's loader on Node 20, while static imports are.
import { createTsKernel } from '../engine/ts-kernel/index.js';
import { createWasmKernel } from '../engine/wasm-kernel.js';
import { runCase } from './case-runner.js';
import type { CaseResult, CaseTask } from '../io/case-result.js';

export interface WorkerTask extends CaseTask {
  stop: SharedArrayBuffer;
  progress: SharedArrayBuffer;
  slot: number;
}

const kernels: Partial<Record<'wasm' | 'ts', Kernel>> = {};

async function kernelFor(kind: 'wasm' | 'ts'): Promise<Kernel> {
  let k = kernels[kind];
  if (!k) {
    k = kind === 'ts' ? createTsKernel() : await createWasmKernel();
    kernels[kind] = k;
  }
  return k;
}

export default async function runSweepCase(task: WorkerTask): Promise<CaseResult> {
  const stop = new Int32Array(task.stop);
  const progress = new Float64Array(task.progress);
  const kind = task.config.solver.kernel;
  let kernel: Kernel;
  try {
    kernel = await kernelFor(kind);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return {
      hash: task.hash,
      status: 'failed',
      error: { name: err.name, message: `could not create the ${kind} kernel: ${err.message}` },
      end_reason: null,
      steps: 0,
      wall_s: 0,
      at_probe: null,
      end: null,
      particle_class: null,
      crack_path_surface_to_core: null,
    };
  }
  const result = await runCase(
    { hash: task.hash, index: task.index, config: task.config, dir: task.dir },
    {
      kernel,
      shouldStop: () => Atomics.load(stop, 0) !== 0,
      onProgress: (f) => {
        progress[task.slot] = f;
      },
    },
  );
  if (result.status === 'failed') {
    try {
      kernel.dispose();
    } catch {
      // already unusable
    }
    delete kernels[kind];
  }
  return result;
}
