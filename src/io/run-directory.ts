/**
 * Safe use of a run directory (`--out DIR`):
 *
 *  - a directory that already holds a run (summary.json, history.csv or checkpoint.json) is refused unless the
 *    caller asks for `force` (the previous run's own files are removed first; anything else in the directory is
 *    left alone) or `resume`;
 *  - one writer at a time: `DIR/.chemofrac.lock` holds the owner's PID and host, created with O_EXCL. A second
 *    writer is refused while the owner is alive; a lock whose process no longer exists on this host (a run that
 *    was killed with SIGKILL) is stale and taken over.
 *
 * Problems with the path itself (empty, a file, not writable, inside /proc) are `RunDirectoryError`s naming
 * `--out`, the path and the system's reason.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';

export const LOCK_FILE = '.chemofrac.lock';

/** Files a run writes (and `force` removes). */
const RUN_FILE =
  /^(summary\.json|history\.csv|checkpoint\.json|checkpoint-history\.jsonl|cycles\.csv|fields\.pvd|(fields|interfaces)_\d+\.vtu|\..*\.tmp)$/;
/** Files whose presence means "a run is here". */
const RUN_MARKERS = ['summary.json', 'history.csv', 'checkpoint.json'];

/** The output directory cannot be used: names --out, the path and what to do. */
export class RunDirectoryError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'RunDirectoryError';
  }
}

export type RunDirectoryMode = 'new' | 'force' | 'resume';

export interface RunDirectoryLock {
  dir: string;
  release(): void;
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOTDIR: 'a part of the path is a file, not a directory',
    EEXIST: 'a file of that name exists',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOENT: 'a part of the path does not exist and cannot be created',
  };
  return err.code ? `${err.code}: ${why[err.code] ?? err.message}` : String(err.message ?? e);
}

/** Does `dir` hold the files of a previous run? */
export function holdsRun(dir: string): boolean {
  return RUN_MARKERS.some((f) => existsSync(join(dir, f)));
}

/** `status` of the run's summary.json, or null. */
function previousStatus(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { status?: string }).status ?? null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the directory's lock, or explain who holds it. A stale lock (dead PID on this host) is taken over. */
function acquireLock(dir: string, flag: string): RunDirectoryLock {
  const path = join(dir, LOCK_FILE);
  const me = JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, me + '\n');
      closeSync(fd);
      let released = false;
      return {
        dir,
        release() {
          if (released) return;
          released = true;
          try {
            const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid: number };
            if (owner.pid === process.pid) rmSync(path, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new RunDirectoryError(`${flag}: cannot write into "${dir}" (${errnoText(e)}).`);
    }
    let owner: { pid?: number; host?: string; started?: string } = {};
    try {
      owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
    } catch {
      // an unreadable or half-written lock: treat as stale below only if it is old
    }
    const sameHost = owner.host === hostname();
    if (typeof owner.pid === 'number' && (!sameHost || processAlive(owner.pid)))
      throw new RunDirectoryError(
        `${flag}: another chemofrac run (PID ${owner.pid}${sameHost ? '' : ` on host ${owner.host}`}, started ` +
          `${owner.started ?? '?'}) is writing into "${dir}". Wait for it, stop it, or choose another ${flag}. ` +
          `If that process is gone, remove ${join(dir, LOCK_FILE)}.`,
      );
    if (typeof owner.pid !== 'number') {
      // a lock without a readable PID: a writer killed between create and write, or a foreign file
      const age_s = (Date.now() - statSync(path).mtimeMs) / 1000;
      if (age_s < 10)
        throw new RunDirectoryError(`${flag}: "${dir}" is being claimed by another chemofrac run; try again.`);
    }
    rmSync(path, { force: true }); // stale: its process is gone
  }
  throw new RunDirectoryError(`${flag}: could not take the lock of "${dir}" (another run keeps claiming it).`);
}

/**
 * Make `out` ready for a run in `mode` and take its lock. `flag` is the option the user gave it with (for
 * messages). The caller must `release()` the lock when the run ends (any way it ends).
 */
export function openRunDirectory(out: string, mode: RunDirectoryMode, flag = '--out'): RunDirectoryLock {
  if (out.trim() === '') throw new RunDirectoryError(`${flag}: got an empty path; give a directory for the results.`);
  const dir = resolve(out);
  if (dir === '/proc' || dir.startsWith('/proc/') || dir === '/sys' || dir.startsWith('/sys/'))
    throw new RunDirectoryError(
      `${flag}: "${dir}" is inside a kernel file system (/proc, /sys); choose another directory.`,
    );
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new RunDirectoryError(`${flag}: "${dir}" is a file, not a directory; choose a directory for the results.`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RunDirectoryError(`${flag}: cannot create the directory "${dir}" (${errnoText(e)}).`);
  }
  const lock = acquireLock(dir, flag);
  try {
    const previous = holdsRun(dir);
    if (mode === 'new' && previous)
      throw new RunDirectoryError(
        `${flag}: "${dir}" already holds a run (summary.json / history.csv). Use --resume to continue it, ` +
          `--force to replace it, or choose another ${flag}.`,
      );
    if (mode === 'resume' && !existsSync(join(dir, 'checkpoint.json')) && previousStatus(dir) === 'completed')
      throw new RunDirectoryError(
        `--resume: the run in "${dir}" has completed; there is nothing to continue (use --force to run it again).`,
      );
    if (mode === 'resume' && !existsSync(join(dir, 'checkpoint.json')))
      throw new RunDirectoryError(
        `--resume: "${dir}" holds no checkpoint.json to continue from` +
          (previous
            ? ' (the run there ended before its first checkpoint, or was written by an older version); use --force to start again.'
            : '.'),
      );
    if (mode === 'force') for (const f of readdirSync(dir)) if (RUN_FILE.test(f)) rmSync(join(dir, f), { force: true });
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}
