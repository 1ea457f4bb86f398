/**
 * Progress on stderr for the CLI's runs and comparisons and for the sweeps: a bar (cli-progress) on a TTY, plain
 * throttled lines otherwise (CI logs, pipes, files). In io/ because both the CLI and the sweeps use it.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(fraction: number, info: string): void;
  stop(): void;
}

export function createProgress(label: string, opts: { quiet?: boolean } = {}): Progress {
  label = printable(label);
  if (opts.quiet) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} [{bar}] {percentage}% | {info} | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { info: '' });
    return {
      update(fraction, info) {
        bar.update(Math.round(1000 * Math.min(1, Math.max(0, fraction))), { info });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let lastPrint = 0;
  let lastPct = -1;
  return {
    update(fraction, info) {
      const pct = Math.floor(100 * fraction);
      const now = Date.now();
      if (pct >= lastPct + 10 || now - lastPrint > 5000) {
        process.stderr.write(`${label}: ${pct}% ${info}\n`);
        lastPct = pct - (pct % 10);
        lastPrint = now;
      }
    },
    stop() {},
  };
}

/** A user-given text (a run name) made safe for a terminal: control characters shown as \\uXXXX escapes. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
