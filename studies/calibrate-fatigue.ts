/**
 * The calibration study (docs/calibration.md): fit σ_max, G_c and the fatigue ratios to the dense particles' class
 * fractions, predict the gradient-porous particles and the retention of MF-coated vs bare particles.
 *
 *   npx tsx studies/calibrate-fatigue.ts --quick                 # minutes: a check of the machinery, not a fit
 *   npx tsx studies/calibrate-fatigue.ts [--out DIR]             # the full study (reference particles, K = 32)
 *   npx tsx studies/calibrate-fatigue.ts --sweeps-only           # write the sweep files for a cluster and stop
 *
 * Options: --out DIR (default results/calibration-<label>), --workers N, --seeds K (replace the K of the settings),
 * --settings FILE (a JSON object of StudySettings keys that replace those of the quick or full settings, e.g.
 * { "grid": { … }, "seeds": { "count": 8, "seed_start": 1 } }), --quiet. Rerunning with the same --out continues: finished cases are kept. Ctrl-C stops
 * cleanly (running cases stop after their current step; rerun to continue); a second Ctrl-C quits at once.
 * Exit codes: 0 done, 1 error, 130 interrupted.
 */
import { readFileSync } from 'node:fs';
import { FULL_SETTINGS, QUICK_SETTINGS, runStudy, type StudySettings } from './calibration/study.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

const known = new Set(['--quick', '--out', '--workers', '--seeds', '--settings', '--quiet', '--sweeps-only']);
for (const a of process.argv.slice(2))
  if (a.startsWith('--') && !known.has(a)) {
    console.error(`Unknown option ${a} (allowed: ${[...known].join(', ')})`);
    process.exit(1);
  }

const quick = process.argv.includes('--quick');
let settings: StudySettings = quick ? QUICK_SETTINGS : FULL_SETTINGS;
const settingsFile = option('--settings');
if (settingsFile !== undefined) {
  let patch: unknown;
  try {
    patch = JSON.parse(readFileSync(settingsFile, 'utf8'));
  } catch (e) {
    console.error(`--settings ${settingsFile}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    console.error(`--settings ${settingsFile}: must hold a JSON object of study settings`);
    process.exit(1);
  }
  const unknown = Object.keys(patch).filter((k) => !Object.hasOwn(settings, k) && k !== 'class_thresholds');
  if (unknown.length) {
    console.error(
      `--settings ${settingsFile}: unknown key ${unknown.join(', ')} (allowed: ${Object.keys(settings).join(', ')}, class_thresholds)`,
    );
    process.exit(1);
  }
  const partial = patch as Partial<StudySettings>;
  // grid keys not named keep their values (a patch may vary one parameter only)
  settings = { ...settings, ...partial, grid: { ...settings.grid, ...(partial.grid ?? {}) } };
}
const seeds = option('--seeds');
if (seeds !== undefined) {
  const k = Number(seeds);
  if (!Number.isInteger(k) || k < 1) {
    console.error(`--seeds ${seeds}: must be an integer ≥ 1`);
    process.exit(1);
  }
  settings = { ...settings, seeds: { ...settings.seeds, count: k } };
}
const workersText = option('--workers');
const workers = workersText === undefined ? undefined : Number(workersText);
if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
  console.error(`--workers ${workersText}: must be an integer ≥ 1`);
  process.exit(1);
}
const out = option('--out') ?? `results/calibration-${settings.label}`;

const controller = new AbortController();
// One Ctrl-C can arrive several times: the terminal signals the whole process group (npm, tsx and this process) and
// `npx` / `npm run` and tsx relay the signal to their child as well. So only a SIGINT more than a second after the
// first counts as the second Ctrl-C that quits at once.
let firstInt_ms = 0;
process.on('SIGINT', () => {
  if (controller.signal.aborted) {
    if (Date.now() - firstInt_ms > 1000) process.exit(130);
    return;
  }
  firstInt_ms = Date.now();
  process.stderr.write('\nStopping: running cases stop after their current step (Ctrl-C again quits at once).\n');
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());

try {
  const r = await runStudy(settings, {
    out,
    workers,
    signal: controller.signal,
    quiet: process.argv.includes('--quiet'),
    sweepsOnly: process.argv.includes('--sweeps-only'),
    log: (line) => process.stderr.write(line + '\n'),
  });
  for (const f of r.files) console.log(f);
  if (r.interrupted || controller.signal.aborted) {
    console.error(`Interrupted: rerun the same command (--out ${out}) to continue.`);
    process.exit(130);
  }
} catch (e) {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  process.exit(1);
}
