/** Helpers of the reliability tests: the CLI as a real child process, small configs, temporary directories. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The CLI's entry (src/, through tsx) with the arguments after `chemofrac`. */
const ENTRY = [
  '--import',
  'tsx',
  '-e',
  "import('./src/cli/main.ts').then((m) => m.main(process.argv.slice(1))).then((c) => process.exit(c))",
  '--',
  'node',
  'chemofrac',
];

export function tempDir(prefix = 'chemofrac-rel-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeJson(value: unknown, dir = tempDir(), name = 'config.json'): string {
  const f = join(dir, name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
}

/** Run the CLI to its end (synchronously). */
export function cli(args: string[]) {
  return spawnSync(process.execPath, [...ENTRY, ...args], { encoding: 'utf8' });
}

/** Start the CLI; the caller sends signals and awaits `exited`. */
export function startCli(args: string[]): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
} {
  const child = spawn(process.execPath, [...ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
  return { child, exited };
}

/**
 * Wait until `check()` is true (polling), at most `timeout_ms`. With `child`, fail at once when the process has exited
 * before the condition held (a run that finished too early is a fixture bug, not a slow machine).
 */
export async function waitFor(check: () => boolean, timeout_ms = 60_000, child?: ChildProcess): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (child && child.exitCode !== null) throw new Error(`waitFor: the process exited (code ${child.exitCode}) first`);
    if (Date.now() - t0 > timeout_ms) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A quarter particle that charges in a few seconds: long enough to be interrupted, short enough for CI. */
export const LONG_RUN = {
  name: 'long',
  geometry: { shape: 'quarter', radius_um: 2.5, mesh_size_um: 0.1 },
  microstructure: { grains: 20, seed: 5 },
  loading: { c_rates: [1, 0.5, 0.1], to_soc: 1 },
  // every checkpoint step writes (the default writes at most every 2 s): the signal tests wait for given steps
  output: { snapshots_soc: [0.25, 0.55, 1], checkpoint_every_steps: 10, checkpoint_min_interval_s: 0 },
};

/** The small particle of the reproductions (R = 2.5 µm, h = 0.12 µm, 15 grains, to SoC 0.3). */
export const SMALL_RUN = {
  name: 'small',
  geometry: { shape: 'quarter', radius_um: 2.5, mesh_size_um: 0.12 },
  microstructure: { grains: 15, seed: 3 },
  loading: { c_rates: [1, 0.5, 0.1], to_soc: 0.3 },
};
