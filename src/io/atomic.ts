/**
 * Atomic file writes: write a sibling temporary file, then rename over the target. A reader (or an interrupted
 * run) sees either the old or the new complete file, never a half-written one.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** JSON has no NaN/Infinity: write them as null; typed arrays as plain arrays. */
function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}
