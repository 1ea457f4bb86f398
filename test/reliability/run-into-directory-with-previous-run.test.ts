/**
 * Defect 2: a run into a directory holding a previous run silently replaced it (and left the old run's snapshots
 * beside the new summary); two concurrent runs into one --out both exited 0 and mixed their files. Now: refused
 * without --force/--resume, --force removes exactly the old run's files, and a lock with the owner's PID refuses a
 * second writer while the owner lives and is taken over when it is stale.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { runToDirectory } from '../../src/cli/run.js';
import { LOCK_FILE, RunDirectoryError, openRunDirectory } from '../../src/io/run-directory.js';
import { InputError } from '../../src/errors.js';
import { cli, SMALL_RUN, tempDir, writeJson } from './support.js';

describe('output directories are safe', () => {
  it('a directory holding a run is refused; --force replaces it and leaves no file of the old run', async () => {
    const out = join(tempDir(), 'run');
    const first = await runToDirectory(
      resolveConfig({ ...SMALL_RUN, output: { snapshots_soc: [0.1, 0.2, 0.3] } }),
      out,
      {
        quiet: true,
      },
    );
    const oldSnapshots = first.writer.snapshots.map((s) => s.fields);
    expect(oldSnapshots.length).toBe(3);
    writeFileSync(join(out, 'notes.txt'), 'mine'); // not a run file: --force must keep it

    const config = writeJson({ ...SMALL_RUN, output: { snapshots_soc: [0.3] } });
    const refused = cli(['run', config, '--out', out, '--quiet']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/already holds a run .*--resume .*--force/s);

    const forced = cli(['run', config, '--out', out, '--quiet', '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    const files = readdirSync(out);
    const vtus = files.filter((f) => f.startsWith('fields_'));
    expect(vtus.length).toBe(1); // only the new run's snapshot
    expect(files).toContain('notes.txt');
    expect(files).not.toContain(LOCK_FILE);

    const both = cli(['run', config, '--out', out, '--quiet', '--force', '--resume']);
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/--resume and --force exclude each other/);
  });

  it('a second concurrent writer is refused with the owner PID; a stale lock is taken over', () => {
    const dir = tempDir();
    const lock = openRunDirectory(dir, 'new');
    try {
      expect(() => openRunDirectory(dir, 'new')).toThrow(RunDirectoryError);
      expect(() => openRunDirectory(dir, 'new')).toThrow(new RegExp(`another chemofrac run \\(PID ${process.pid}`));
    } finally {
      lock.release();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    // the PID of a process that has exited: a lock left by a killed run
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), started: 'earlier' }));
    const taken = openRunDirectory(dir, 'new');
    taken.release();
  });

  it('RunDirectoryError is an InputError (one paragraph, exit 1)', () => {
    expect(new RunDirectoryError('x')).toBeInstanceOf(InputError);
  });
});
