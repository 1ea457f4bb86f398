/**
 * `npm run bench`: every performance figure of the project in one run, on one machine.
 *
 *   1. mesh generation (bench/mesh.ts): time and memory for 100, 1,000 and 10,000 grains;
 *   2. linear solvers (bench/solver.ts): ordering, factorisation, solves, PCG with a stale factor;
 *   3. kernel (bench/kernel.ts): per-solve time for diffusion and elasticity, WASM vs TypeScript;
 *   4. the FEniCSx/PETSc peer (bench/peers/fenicsx_disk.py), when python3-dolfinx is installed, in the same
 *      session at the same sizes (skipped with a note otherwise);
 *   5. the reference comparison end to end (bench/compare.ts): wall time and steps of each run;
 *   5b. damage-scheme accuracy over a whole charge (bench/accuracy.ts): IMPL-EX vs the tight implicit reference;
 *   5c. the full disk (bench/full-disk.ts): 400 grains, h = 0.1 µm, to SoC 1 (the solver issue's large case);
 *   5d. robustness (bench/robustness.ts): failures and linear solves per step over 40 random microstructures;
 *   6. sweeps (bench/sweep.ts): cases per minute with 1 and 2 workers on the reference particle;
 *   7. the browser app (bench/browser.ts): steps per second and frame time in headless Chromium, and the frame
 *      gaps and each worker's rate with 1, 2 and 4 particles at once (`--only browser` runs just this part).
 *   7b. the browser's ensemble view vs `chemofrac sweep` (bench/browser-ensemble.ts): particles per minute on the
 *      same cases and worker count (`--only browser-ensemble`).
 *   8. cycling (bench/cycling.ts): 100 cycles of the reference quarter, with cycle jumps and fully resolved.
 *   9. D(x) (bench/diffusivity.ts): the sourced bare reference charge with constant D and the O'Regan D(x),
 *      alternated (`--only diffusivity`).
 *
 * Output: Markdown on stdout and in bench/results.md (a git-ignored scratch copy); `--update-docs` also replaces
 * the block between `<!-- bench:start -->` and `<!-- bench:end -->` in docs/performance.md, the one published copy
 * (`--update-readme` is kept as an alias). `--only mesh,kernel` runs a subset.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const want = (part: string) => !only || only.includes(part);

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function runPart(title: string, script: string, extra: string[] = []): string {
  if (!existsSync(script)) return `### ${title}\n\n_not available (${script} missing)_\n`;
  process.stderr.write(`bench: ${title} …\n`);
  const r = spawnSync('npx', ['tsx', script, ...extra], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) return `### ${title}\n\n_failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}_\n`;
  return `### ${title}\n\n${r.stdout.trim()}\n`;
}

/** Seconds per solve of the FEniCSx peer at N elements along the radius (assembly included, second solve). */
function runPeer(): string {
  const peer = 'bench/peers/fenicsx_disk.py';
  const python = '/usr/bin/python3';
  if (!existsSync(peer)) return `### FEniCSx peer\n\n_not found (${peer})_\n`;
  try {
    execFileSync(python, ['-c', 'import dolfinx'], { stdio: 'ignore' });
  } catch {
    return '### FEniCSx peer\n\n_python3-dolfinx not installed (apt-get install -y python3-dolfinx python3-gmsh) — skipped_\n';
  }
  const rows: string[] = [];
  for (const n of [100, 200, 300, 450]) {
    process.stderr.write(`bench: FEniCSx peer N=${n} …\n`);
    const r = spawnSync(python, [peer, String(n)], { encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    const kv = Object.fromEntries(line.split(/\s+/).map((p) => p.split('=')));
    if (!kv.c_dofs) continue;
    const ms = (s: string) => (1000 * Number(s)).toFixed(1);
    rows.push(
      `| ${n} | ${kv.c_dofs} | ${kv.u_dofs} | ${ms(kv.diff_first_s)} | ${ms(kv.diff_s)} | ${ms(kv.elast_first_s)} | ${ms(kv.elast_s)} | ${ms(kv.elast_mumps_s)} |`,
    );
  }
  return (
    '### FEniCSx peer (native PETSc, same machine, same session)\n\n' +
    'CG + GAMG at rtol 1e-8 (assembly included; "first" includes set-up), and MUMPS direct for elasticity.\n\n' +
    '| N | Li dofs | u dofs | diffusion first ms | diffusion ms | elasticity first ms | elasticity ms | elasticity MUMPS ms |\n' +
    '|---|---|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    '\n'
  );
}

const sections = [`Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.\n`];
if (want('mesh')) sections.push(runPart('Mesh generation', 'bench/mesh.ts'));
if (want('solver')) sections.push(runPart('Linear solvers (WASM)', 'bench/solver.ts'));
if (want('kernel')) sections.push(runPart('Kernel: per-solve time, WASM vs TypeScript', 'bench/kernel.ts'));
if (want('peer')) sections.push(runPeer());
if (want('compare')) sections.push(runPart('Reference comparison end to end', 'bench/compare.ts'));
if (want('accuracy'))
  sections.push(runPart('Damage-scheme accuracy over a whole charge (IMPL-EX vs tight implicit)', 'bench/accuracy.ts'));
if (want('full-disk')) sections.push(runPart('Full disk, 400 grains, h = 0.1 µm, to SoC 1', 'bench/full-disk.ts'));
if (want('robustness'))
  sections.push(runPart('Robustness: 40 random microstructures, failures and solves per step', 'bench/robustness.ts'));
if (want('diffusivity'))
  sections.push(runPart('Concentration-dependent D: constant vs D(x), alternated', 'bench/diffusivity.ts', ['2']));
if (want('sweep'))
  sections.push(runPart('Sweeps: cases per minute, 1 and 2 workers', 'bench/sweep.ts', ['--cases', '4']));
if (want('synthesis'))
  sections.push(runPart('Synthesis (calcination) of the reference particle', 'bench/synthesis.ts'));
if (want('browser'))
  sections.push(
    runPart('Browser (headless Chromium, software GL)', 'bench/browser.ts', ['--seconds', '60']),
    runPart('Browser: frame gaps and worker rates with 1, 2 and 4 particles', 'bench/browser.ts', [
      '--parallel',
      '1,2,4',
      '--seconds',
      '30',
    ]),
  );
if (want('browser-ensemble'))
  sections.push(runPart('Browser ensemble view vs chemofrac sweep: particles per minute', 'bench/browser-ensemble.ts'));
if (want('cycling'))
  sections.push(
    runPart('Cycling: 100 cycles with jumps and fully resolved', 'bench/cycling.ts', ['--resolved-cycles', '100']),
  );
const md = sections.join('\n');
console.log(md);
writeFileSync('bench/results.md', md);
const docsPage = 'docs/performance.md';
if ((args.includes('--update-docs') || args.includes('--update-readme')) && existsSync(docsPage)) {
  const page = readFileSync(docsPage, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = page.indexOf(start);
  const j = page.indexOf(end);
  if (i >= 0 && j > i) {
    writeFileSync(docsPage, page.slice(0, i + start.length) + '\n\n' + md + '\n' + page.slice(j));
    process.stderr.write(`bench: ${docsPage} measured section updated\n`);
  }
}
