/**
 * `checkpoint.json` of a run directory: everything `chemofrac run --resume` needs to continue a run so that the
 * resumed history is byte-identical to an uninterrupted run's.
 *
 *   { format, engine_version, config_hash, step, wall_time_s, snapshots, history_rows, simulation }
 *
 * Typed arrays are stored as base64 of their little-endian bytes (exact, and a third of the size of decimal
 * text); every other number is a JSON number, which round-trips a double exactly. The file is written atomically
 * (temporary file + rename), so a kill during the write leaves the previous checkpoint intact.
 *
 * The history rows are not in checkpoint.json (format 3): they go to `checkpoint-history.jsonl`, one JSON row per
 * line, appended at each checkpoint with the rows since the last one, and `history_rows` says how many of its
 * lines belong to this checkpoint. Rewriting the whole history into every checkpoint made a run's checkpoint cost
 * grow with its length (O(steps²) bytes over a run: ~6 % of the reference charge's time); appending keeps each
 * checkpoint O(state). Lines beyond `history_rows.lines` (a kill between the append and the rename of
 * checkpoint.json) are ignored, and a resumed run rewrites the file to exactly its rows.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import type { SimulationCheckpoint, StepRecord } from '../engine/simulation.js';
import type { ResolvedConfig } from '../scenario/resolve.js';
import { caseHash } from './config-hash.js';
import { ENGINE_VERSION } from '../version.js';

export const CHECKPOINT_FILE = 'checkpoint.json';
/** The history rows of the checkpoints (see the file header). */
export const CHECKPOINT_HISTORY_FILE = 'checkpoint-history.jsonl';
/**
 * 3: the history rows moved to CHECKPOINT_HISTORY_FILE. 2: the kernel state gained λ_n (cohesive fatigue).
 * Format 2 is still read; format 1 is refused with a message.
 */
export const CHECKPOINT_FORMAT = 3;
const READABLE_FORMATS = [2, 3];

/** One VTU snapshot of a run directory (listed in summary.json and fields.pvd, kept across a resume). */
export interface SnapshotEntry {
  step: number;
  time_s: number;
  soc: number;
  fields: string;
  interfaces: string;
  /** Cycling runs: the output cycle this snapshot ends. */
  cycle?: number;
  /**
   * Cycling runs: a cycle jump was taken in the same step that ended `cycle`, so the snapshot's damage (not its x
   * or u) is already the jump's extrapolation to this cycle (the browser's titles say the same).
   */
  damage_extrapolated_to_cycle?: number;
}

/** What a run directory's checkpoint holds besides the simulation state. */
export interface RunCheckpoint {
  format: number;
  engine_version: string;
  /** caseHash of the resolved config: a resume with another config is refused. */
  config_hash: string;
  step: number;
  /** Wall time spent on the run up to this checkpoint (s), so summary.json reports the total. */
  wall_time_s: number;
  snapshots: SnapshotEntry[];
  /**
   * Format 3: `simulation.history` is written empty; the rows are the first `lines` lines of
   * CHECKPOINT_HISTORY_FILE whose step is ≥ `first_step` (a cycling run keeps only its current cycle's rows).
   */
  history_rows?: { lines: number; first_step: number };
  simulation: SimulationCheckpoint;
}

type TypedArray = Float64Array | Uint8Array;
interface EncodedArray {
  dtype: 'f64' | 'u8';
  base64: string;
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function encodeArray(a: TypedArray): EncodedArray {
  if (!isLittleEndian()) throw new Error('checkpoints are written on little-endian machines only');
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return { dtype: a instanceof Float64Array ? 'f64' : 'u8', base64: Buffer.from(bytes).toString('base64') };
}

function decodeArray(e: EncodedArray): TypedArray {
  const bytes = Buffer.from(e.base64, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return e.dtype === 'f64' ? new Float64Array(copy.buffer) : copy;
}

/** JSON replacer/reviver pair for typed arrays (and non-finite numbers, which JSON cannot hold). */
function replacer(_key: string, v: unknown): unknown {
  if (v instanceof Float64Array || v instanceof Uint8Array) return encodeArray(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return { nonFinite: String(v) };
  return v;
}
function reviver(_key: string, v: unknown): unknown {
  if (v && typeof v === 'object' && 'dtype' in v && 'base64' in v) return decodeArray(v as EncodedArray);
  if (v && typeof v === 'object' && 'nonFinite' in v) return Number((v as { nonFinite: string }).nonFinite);
  return v;
}

/**
 * JSON with exact typed arrays (Float64Array, Uint8Array as base64 of their bytes) and non-finite numbers, written
 * atomically: the encoding of checkpoint.json, for other state files too (the synthesis checkpoint).
 */
export function writeStateJson(path: string, state: unknown): void {
  writeFileAtomic(path, JSON.stringify(state, replacer));
}

/** Read a file written by `writeStateJson` (typed arrays restored). Throws on unreadable JSON. */
export function readStateJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'), reviver);
}

/**
 * Write checkpoint.json (atomically). With `history_rows` set, the history rows are in the history log
 * (`CheckpointHistoryLog`) and `simulation.history` is left empty (`Simulation.checkpoint({ withHistory: false })`).
 */
export function writeCheckpoint(path: string, cp: RunCheckpoint): void {
  writeFileAtomic(path, JSON.stringify(cp, replacer));
}

/** Read a checkpoint (and its history rows); throws an Error whose message says what is wrong with the files. */
export function readCheckpoint(path: string): RunCheckpoint {
  const cp = JSON.parse(readFileSync(path, 'utf8'), reviver) as RunCheckpoint;
  if (!cp || typeof cp !== 'object' || !READABLE_FORMATS.includes(cp.format) || !cp.simulation)
    throw new Error(`${path} is not a chemofrac checkpoint of format ${READABLE_FORMATS.join(' or ')}`);
  if (cp.history_rows) {
    const { lines, first_step } = cp.history_rows;
    const logPath = join(dirname(path), CHECKPOINT_HISTORY_FILE);
    let text: string;
    try {
      text = readFileSync(logPath, 'utf8');
    } catch (e) {
      throw new Error(`${logPath} (the checkpoint's history rows) cannot be read: ${(e as Error).message}`);
    }
    const all = text.split('\n');
    if (all.length - 1 < lines || (lines > 0 && all[lines - 1] === ''))
      throw new Error(`${logPath} holds ${all.length - 1} of the ${lines} history rows ${path} needs`);
    cp.simulation.history = all
      .slice(0, lines)
      .map((l) => JSON.parse(l, reviver) as StepRecord)
      .filter((r) => r.step >= first_step);
  }
  return cp;
}

/**
 * The append-only history log of a run's checkpoints (CHECKPOINT_HISTORY_FILE, see the file header). `record`
 * appends the rows accepted since the last checkpoint and returns the `history_rows` entry of the checkpoint
 * about to be written. When a cycling run has dropped most of the rows the log holds, the log is rewritten with
 * the current rows only, so it stays proportional to one cycle.
 */
export class CheckpointHistoryLog {
  private lines = 0;
  private firstStep = 0;
  private lastStep = -1;
  private readonly path: string;

  /** `rows`: the history of a resumed run (the log is rewritten to exactly them), or nothing for a new run. */
  constructor(dir: string, rows: StepRecord[] = []) {
    this.path = join(dir, CHECKPOINT_HISTORY_FILE);
    if (rows.length) this.rewrite(rows);
  }

  record(rows: StepRecord[]): { lines: number; first_step: number } {
    if (!rows.length) return { lines: this.lines, first_step: this.lastStep + 1 };
    const first = rows[0].step;
    if (this.lines === 0 || first < this.firstStep || (first > this.firstStep && this.lines > 2 * rows.length + 64))
      this.rewrite(rows);
    else {
      let i = rows.length;
      while (i > 0 && rows[i - 1].step > this.lastStep) i--;
      const fresh = rows.slice(i);
      if (fresh.length) {
        appendFileSync(this.path, fresh.map((r) => JSON.stringify(r, replacer) + '\n').join(''));
        this.lines += fresh.length;
        this.lastStep = fresh[fresh.length - 1].step;
      }
    }
    return { lines: this.lines, first_step: first };
  }

  private rewrite(rows: StepRecord[]): void {
    writeFileAtomic(this.path, rows.map((r) => JSON.stringify(r, replacer) + '\n').join(''));
    this.lines = rows.length;
    this.firstStep = rows[0].step;
    this.lastStep = rows[rows.length - 1].step;
  }
}

/** Why `cp` cannot continue a run of `config` on this engine ('engine' or 'config'), or null when it can. */
export function checkpointMismatch(cp: RunCheckpoint, config: ResolvedConfig): 'engine' | 'config' | null {
  if (cp.engine_version !== ENGINE_VERSION) return 'engine';
  if (cp.config_hash !== caseHash(config)) return 'config';
  return null;
}
