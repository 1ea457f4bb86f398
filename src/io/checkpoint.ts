/**
 * `checkpoint.json` of a run directory: everything `chemofrac run --resume` needs to continue a run so that the
 * resumed history is byte-identical to an uninterrupted run's.
 *
 *   { format, engine_version, config_hash, step, wall_time_s, snapshots, simulation }
 *
 * Typed arrays are stored as base64 of their little-endian bytes (exact, and a third of the size of decimal
 * text); every other number is a JSON number, which round-trips a double exactly. The file is written atomically
 * (temporary file + rename), so a kill during the write leaves the previous checkpoint intact.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';
import type { SimulationCheckpoint } from '../engine/simulation.js';
import type { ResolvedConfig } from '../scenario/resolve.js';
import { caseHash } from './config-hash.js';
import { ENGINE_VERSION } from '../version.js';

export const CHECKPOINT_FILE = 'checkpoint.json';
/** 2: the kernel state gained λ_n (cohesive fatigue); format-1 checkpoints are refused with a message. */
export const CHECKPOINT_FORMAT = 2;

/** One VTU snapshot of a run directory (listed in summary.json and fields.pvd, kept across a resume). */
export interface SnapshotEntry {
  step: number;
  time_s: number;
  soc: number;
  fields: string;
  interfaces: string;
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

export function writeCheckpoint(path: string, cp: RunCheckpoint): void {
  writeFileAtomic(path, JSON.stringify(cp, replacer));
}

/** Read a checkpoint; throws an Error whose message says what is wrong with the file. */
export function readCheckpoint(path: string): RunCheckpoint {
  const cp = JSON.parse(readFileSync(path, 'utf8'), reviver) as RunCheckpoint;
  if (!cp || typeof cp !== 'object' || cp.format !== CHECKPOINT_FORMAT || !cp.simulation)
    throw new Error(`${path} is not a chemofrac checkpoint of format ${CHECKPOINT_FORMAT}`);
  return cp;
}

/** Why `cp` cannot continue a run of `config` on this engine ('engine' or 'config'), or null when it can. */
export function checkpointMismatch(cp: RunCheckpoint, config: ResolvedConfig): 'engine' | 'config' | null {
  if (cp.engine_version !== ENGINE_VERSION) return 'engine';
  if (cp.config_hash !== caseHash(config)) return 'config';
  return null;
}
