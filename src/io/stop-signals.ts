/**
 * Ctrl-C and `kill`: every long command (run, compare, sweep, synthesize) stops the same way. While listening,
 * SIGINT and SIGTERM abort `signal` (the engine stops at its next step boundary and keeps everything computed), the
 * first one is remembered for the exit code 128 + its number (130, 143), and `onSignal` may add what a command
 * needs on top (a message, a flag shared with worker threads, quitting on a second Ctrl-C).
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';
export const SIGNAL_EXIT_CODE: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface StopSignals {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The first signal received, or null. */
  readonly stoppedBy: StopSignal | null;
  /** Stop listening (call in `finally`). */
  dispose(): void;
}

/** Listen for SIGINT and SIGTERM until `dispose()`; `onSignal(signal, count)` runs on every one received. */
export function listenForStopSignals(onSignal?: (signal: StopSignal, count: number) => void): StopSignals {
  const controller = new AbortController();
  let stoppedBy: StopSignal | null = null;
  let count = 0;
  const handle = (signal: StopSignal) => {
    count++;
    stoppedBy ??= signal;
    controller.abort();
    onSignal?.(signal, count);
  };
  const onInt = () => handle('SIGINT');
  const onTerm = () => handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    get stoppedBy() {
      return stoppedBy;
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
