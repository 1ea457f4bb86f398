/**
 * Build the WebAssembly kernel (debug and release) once before the suite when a source is newer than the
 * binary, so `npm test` on a fresh clone never runs against a stale or missing kernel.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, f);
    const s = statSync(p);
    if (s.isFile()) t = Math.max(t, s.mtimeMs);
  }
  return t;
}

export default function setup(): void {
  if (!existsSync('assembly/index.ts')) return;
  const src = Math.max(newestMtime('assembly'), statSync('asconfig.json').mtimeMs);
  const bins = ['build/kernel.wasm', 'build/kernel.debug.wasm'];
  const stale = bins.some((b) => !existsSync(b) || statSync(b).mtimeMs < src);
  if (stale) execFileSync('npm', ['run', '--silent', 'build:wasm'], { stdio: 'inherit' });
}
