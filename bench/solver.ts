/**
 * Benchmark of the WebAssembly linear solvers (assembly/solver/): supernodal Cholesky (analyse, factor, triangular
 * solves) and PCG preconditioned by a stale factor, on the two systems of one chemo-mechanical time step —
 * P1 diffusion (M + Δt K, 1 dof/node) and plane-strain elasticity (2 dofs/node, interleaved) — on a triangulated
 * quarter disk cut into "grains" whose boundary nodes are duplicated and tied by stiff penalty springs (as the
 * interface elements do), with symmetry conditions on the straight edges (reduced system).
 *
 * Run: npx tsx bench/solver.ts [small] [--peer]   (prints a Markdown table; --peer also runs the FEniCSx peer)
 *      npx tsx bench/solver.ts dense              (dense kernel GFlop/s)
 * Times are the minimum over repeated runs; "cpu" is the process CPU time (robust on a shared machine).
 * The solver module loader and the problem generators are in test/support/solver-problems.ts (shared with
 * test/unit/solver.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadSolver,
  WasmProblem,
  diffusionProblem,
  elasticityProblem,
  softenSprings,
  relResidual,
  type Problem,
} from '../test/support/solver-problems.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchRow {
  problem: string;
  n: number;
  nnzA: number;
  analyseMs: number;
  factorMs: number;
  factorCpuMs: number;
  solveMs: number;
  solveCpuMs: number;
  pcgMildMs: number;
  pcgMildIters: number;
  residual: number;
  pcgMs: number;
  pcgIters: number;
  nnzL: number;
  bytesPerUnknown: number;
  supernodes: number;
  gflops: number;
  maxSupernode: number;
}

/** Best (minimum) wall time and process CPU time over reps runs, ms. CPU time is reported because shared
 * machines (other jobs on the same cores) inflate wall time; on an idle machine the two agree. */
function timeMin(reps: number, f: () => void): { wall: number; cpu: number } {
  let wall = Infinity,
    cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall = Math.min(wall, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

export async function benchProblem(p: Problem, geometric = true): Promise<BenchRow> {
  const w = await loadSolver(false);
  const wp = new WasmProblem(w, p);
  const n = p.n;
  const chol = w.cholNew();
  const analyse = timeMin(1, () => w.cholAnalyse(chol, wp.A, geometric ? wp.coords : 0));
  w.cholFactor(chol, wp.values); // first touch of the factor's pages
  const factor = timeMin(5, () => {
    if (!w.cholFactor(chol, wp.values)) throw new Error('not SPD');
  });
  const b = wp.f64(n),
    x = wp.f64(n);
  const bv = wp.view(b, n);
  for (let i = 0; i < n; i++) bv[i] = 1 + Math.sin(i);
  const solve = timeMin(10, () => w.cholSolve(chol, b, x));
  const residual = relResidual(p, p.values, wp.view(x, n).slice(), wp.view(b, n).slice());
  const work = wp.f64(4 * n);
  // stale factor, mild: 2 % of the interface springs lose half their stiffness (a crack front advancing);
  // severe: 10 % of them drop to 1 %
  const stale = (fraction: number, s: number) => {
    const soft = wp.f64(softenSprings(p, fraction, s));
    let iters = 0;
    const t = timeMin(3, () => {
      wp.view(x, n).fill(0);
      iters = w.solvePcg(wp.A, soft, b, x, chol, 1e-8, 500, work, 0);
    });
    return { t, iters };
  };
  const mild = stale(0.02, 0.5);
  const severe = stale(0.1, 0.01);
  return {
    problem: p.name,
    n,
    nnzA: p.rowPtr[n],
    analyseMs: analyse.wall,
    factorMs: factor.wall,
    factorCpuMs: factor.cpu,
    solveMs: solve.wall,
    solveCpuMs: solve.cpu,
    residual,
    pcgMildMs: mild.t.cpu,
    pcgMildIters: mild.iters,
    pcgMs: severe.t.cpu,
    pcgIters: severe.iters,
    nnzL: w.cholNnz(chol),
    bytesPerUnknown: w.cholBytes(chol) / n,
    supernodes: w.cholSupernodes(chol),
    gflops: w.cholFlops(chol) / 1e9,
    maxSupernode: w.cholMaxSupernode(chol),
  };
}

/** Mesh sizes: m cells per side; m = 95 ≈ 9.4k Li dofs / 18.6k displacement dofs (FEniCSx N = 100), m = 285 ≈
 * 82k / 165k (N = 300), plus 50k and 200k unknowns of each kind. */
export const BENCH_SIZES: { kind: 'diffusion' | 'elasticity'; m: number }[] = [
  { kind: 'diffusion', m: 95 },
  { kind: 'elasticity', m: 68 },
  { kind: 'elasticity', m: 95 },
  { kind: 'diffusion', m: 215 },
  { kind: 'elasticity', m: 155 },
  { kind: 'diffusion', m: 285 },
  { kind: 'elasticity', m: 285 },
  { kind: 'diffusion', m: 435 },
  { kind: 'elasticity', m: 312 },
];

export function formatTable(rows: BenchRow[]): string {
  const h =
    '| system | unknowns | nnz(A) | analyse ms | factor ms (cpu) | solve ms (cpu) | ‖Ax−b‖/‖b‖ | PCG stale mild: cpu ms (iters) | PCG stale severe: cpu ms (iters) | nnz(L) | supernodes (largest) | factor GFlop (GFlop/s cpu) | bytes/unknown |\n' +
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n';
  return (
    h +
    rows
      .map(
        (r) =>
          `| ${r.problem} | ${r.n} | ${r.nnzA} | ${r.analyseMs.toFixed(0)} | ${r.factorMs.toFixed(1)} (${r.factorCpuMs.toFixed(1)}) | ${r.solveMs.toFixed(2)} (${r.solveCpuMs.toFixed(2)}) | ${r.residual.toExponential(1)} | ${r.pcgMildMs.toFixed(1)} (${r.pcgMildIters}) | ${r.pcgMs.toFixed(1)} (${r.pcgIters}) | ${r.nnzL} | ${r.supernodes} (${r.maxSupernode}) | ${r.gflops.toFixed(2)} (${(r.gflops / (r.factorCpuMs / 1e3)).toFixed(1)}) | ${r.bytesPerUnknown.toFixed(0)} |`,
      )
      .join('\n')
  );
}

/** Entry for a top-level bench runner: returns the Markdown table. */
export async function runSolverBench(sizes = BENCH_SIZES, log = (s: string) => console.log(s)): Promise<string> {
  const rows: BenchRow[] = [];
  for (const s of sizes) {
    const p = s.kind === 'diffusion' ? diffusionProblem(s.m) : elasticityProblem(s.m);
    const r = await benchProblem(p);
    rows.push(r);
    log(formatTable([r]).split('\n')[2]);
  }
  return formatTable(rows);
}

/**
 * Dense kernel speed: blocked panel Cholesky (diagonal block + rows below) of nr × nc panels, GFlop/s on CPU time.
 * This is the roof the sparse factorisation approaches on its largest supernodes.
 */
export async function denseKernelBench(
  shapes = [
    [200, 200],
    [600, 400],
    [1000, 1000],
    [1500, 1000],
  ],
): Promise<string> {
  const w = await loadSolver(false);
  const out = ['| panel rows × cols | cpu ms | GFlop/s |', '|---|---:|---:|'];
  for (const [nr, nc] of shapes) {
    const a = w.alloc(8 * nr * nc);
    const t = timeMin(5, () => {
      w.denseFill(a, nr, nc);
      if (!w.denseFactor(a, nr, nc)) throw new Error('dense factor failed');
    });
    const fill = timeMin(5, () => w.denseFill(a, nr, nc));
    const ms = Math.max(t.cpu - fill.cpu, 1e-3);
    const flops = 2 * (nc ** 3 / 3 + (nr - nc) * nc * nc);
    out.push(`| ${nr} × ${nc} | ${ms.toFixed(1)} | ${(flops / ms / 1e6).toFixed(1)} |`);
  }
  return out.join('\n');
}

/**
 * The FEniCSx peer (`bench/peers/fenicsx_disk.py`, PETSc CG + GAMG at rtol 1e-8 and MUMPS, assembly included) at
 * N = 100 and 300 elements along the radius, when Python with dolfinx is available. Returns its output lines.
 */
export function runPeer(Ns = [100, 300]): string[] {
  const script = join(ROOT, 'bench', 'peers', 'fenicsx_disk.py');
  if (!existsSync(script)) return ['(peer script not found)'];
  return Ns.map((N) => {
    try {
      return (
        `N=${N}: ` +
        execFileSync('/usr/bin/python3', [script, String(N)], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim()
      );
    } catch {
      return `N=${N}: (peer failed: needs python3-dolfinx)`;
    }
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.includes('dense')) {
    denseKernelBench().then((t) => console.log(t));
  } else {
    const sizes = args.includes('small') ? BENCH_SIZES.slice(0, 3) : BENCH_SIZES;
    runSolverBench(sizes, (s) => console.error(s)).then((t) => {
      console.log('\n' + t);
      if (args.includes('--peer'))
        console.log('\nFEniCSx peer (seconds per solve, assembly included):\n' + runPeer().join('\n'));
    });
  }
}
