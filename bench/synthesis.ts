/**
 * Synthesis (calcination) run time: each shipped example (examples/synthesis-*.json: the reference particle,
 * R = 5 µm, 100 grains) run to the end of its temperature program, wall time, steps and time per step, written to
 * a temporary directory. Prints a Markdown table on stdout.
 *
 *   npx tsx bench/synthesis.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynthesisToDirectory } from '../src/synthesis/run.js';

const files = readdirSync('examples')
  .filter((f) => /^synthesis-.*\.json$/.test(f))
  .sort();
const rows: string[] = [];
for (const file of files) {
  const config = JSON.parse(readFileSync(join('examples', file), 'utf8')) as unknown;
  const dir = mkdtempSync(join(tmpdir(), 'chemofrac-bench-synthesis-'));
  try {
    const t0 = performance.now();
    const outcome = await runSynthesisToDirectory(config, join(dir, 'run'), { mode: 'new' });
    const wall_s = (performance.now() - t0) / 1000;
    const steps = outcome.model.stepCount;
    rows.push(
      `| ${file} | ${outcome.model.mesh.triCount} | ${steps} | ${wall_s.toFixed(1)} | ${((1000 * wall_s) / steps).toFixed(1)} | ${outcome.status} |`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  'Each example run to the end of its temperature program (mesh, transport, outputs; one thread).\n\n' +
    '| example | triangles | steps | wall s | ms per step | status |\n|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    '\n',
);
