/**
 * The WebAssembly linear solvers (assembly/solver/): supernodal Cholesky with nested-dissection ordering and PCG
 * preconditioned by a (possibly stale) factor. Every case runs on the release build and on the debug build
 * (assertions on).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  loadSolver,
  WasmProblem,
  diffusionProblem,
  elasticityProblem,
  softenSprings,
  relResidual,
  type Problem,
  type SolverExports,
} from '../support/solver-problems.js';

/** Random sparse SPD matrix: random symmetric graph, random off-diagonals, diagonally dominant. */
function randomSpd(n: number, perRow: number, seed: number): Problem {
  let a = seed >>> 0;
  const rnd = () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++)
    for (let t = 0; t < perRow; t++) {
      const j = Math.floor(rnd() * n);
      if (j === i) continue;
      const v = rnd() - 0.5;
      rows[i].set(j, v);
      rows[j].set(i, v);
    }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const v of rows[i].values()) s += Math.abs(v);
    rows[i].set(i, s + 0.1 + rnd());
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + rows[i].size;
  const col = new Int32Array(rowPtr[n]);
  const values = new Float64Array(rowPtr[n]);
  for (let i = 0; i < n; i++) {
    const cols = [...rows[i].keys()].sort((x, y) => x - y);
    cols.forEach((c, k) => {
      col[rowPtr[i] + k] = c;
      values[rowPtr[i] + k] = rows[i].get(c)!;
    });
  }
  const coords = new Float64Array(2 * n).map(() => rnd());
  return { name: 'random', n, rowPtr, col, values, coords, springEntries: [] };
}

function rhs(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(0.37 * i) + 0.1 * Math.cos(3.1 * i));
}

/** Analyse, factor and solve; returns the solution and the host-side relative residual. */
function directSolve(w: SolverExports, p: Problem, geometric: boolean, values = p.values) {
  const wp = new WasmProblem(w, p);
  const vals = wp.f64(values);
  const chol = w.cholNew();
  w.cholAnalyse(chol, wp.A, geometric ? wp.coords : 0);
  const ok = w.cholFactor(chol, vals);
  const b = rhs(p.n);
  const bp = wp.f64(b);
  const xp = wp.f64(p.n);
  if (ok) w.cholSolve(chol, bp, xp);
  const x = wp.view(xp, p.n).slice();
  return { ok: !!ok, x, res: ok ? relResidual(p, values, x, b) : NaN, chol, wp, bp, xp, b };
}

const problems: [string, () => Problem][] = [
  ['diffusion (mass + Δt K, interface conductance)', () => diffusionProblem(14, 0.01, 5, 10)],
  ['plane-strain elasticity (2 dofs/node, penalty springs)', () => elasticityProblem(12, 5, 10)],
  ['random sparse SPD', () => randomSpd(400, 3, 11)],
  ['tiny (n = 1)', () => randomSpd(1, 0, 5)],
  ['diagonal', () => randomSpd(50, 0, 5)],
];

for (const build of ['release', 'debug'] as const) {
  describe(`solver (${build} build)`, () => {
    let w: SolverExports;
    beforeAll(async () => {
      w = await loadSolver(build === 'debug');
    });

    for (const [name, make] of problems) {
      for (const geometric of [true, false]) {
        it(`factor + solve: ${name}, ${geometric ? 'geometric' : 'graph'} nested dissection`, () => {
          const p = make();
          const r = directSolve(w, p, geometric);
          expect(r.ok).toBe(true);
          expect(r.res).toBeLessThan(1e-12);
          // nnz(L) at least the lower triangle of A
          expect(w.cholNnz(r.chol)).toBeGreaterThanOrEqual((p.rowPtr[p.n] + p.n) / 2);
          expect(w.cholBytes(r.chol)).toBeGreaterThan(0);
        });
      }
    }

    it('solve may alias b and x', () => {
      const p = elasticityProblem(8, 4, 10);
      const r = directSolve(w, p, true);
      w.cholSolve(r.chol, r.bp, r.bp);
      expect(Array.from(r.wp.view(r.bp, p.n))).toEqual(Array.from(r.x));
    });

    it('refactor on the same pattern with new values (no re-analysis)', () => {
      const p = diffusionProblem(12, 0.01, 4, 10);
      const r = directSolve(w, p, true);
      // same mesh and pattern, another time step and conductance: a different SPD matrix
      const p2 = diffusionProblem(12, 0.05, 4, 100);
      expect(Array.from(p2.col)).toEqual(Array.from(p.col));
      const v2 = p2.values;
      const vp = r.wp.f64(v2);
      expect(w.cholFactor(r.chol, vp)).toBeTruthy();
      w.cholSolve(r.chol, r.bp, r.xp);
      expect(relResidual(p2, v2, r.wp.view(r.xp, p.n).slice(), r.b)).toBeLessThan(1e-12);
    });

    it('re-analyses the same Cholesky object for another pattern', () => {
      const p1 = diffusionProblem(10, 0.01, 4, 10);
      const p2 = elasticityProblem(9, 4, 10);
      const wp1 = new WasmProblem(w, p1);
      const wp2 = new WasmProblem(w, p2);
      const chol = w.cholNew();
      for (const [p, wp] of [
        [p1, wp1],
        [p2, wp2],
        [p1, wp1],
      ] as [Problem, WasmProblem][]) {
        w.cholAnalyse(chol, wp.A, wp.coords);
        expect(w.cholFactor(chol, wp.values)).toBeTruthy();
        const b = rhs(p.n);
        const bp = wp.f64(b),
          xp = wp.f64(p.n);
        w.cholSolve(chol, bp, xp);
        expect(relResidual(p, p.values, wp.view(xp, p.n).slice(), b)).toBeLessThan(1e-12);
      }
    });

    it('graph ordering copes with disconnected components', () => {
      // two independent random SPD blocks side by side
      const a = randomSpd(150, 3, 21),
        c = randomSpd(120, 2, 22);
      const n = a.n + c.n;
      const rowPtr = new Int32Array(n + 1);
      rowPtr.set(a.rowPtr);
      for (let i = 1; i <= c.n; i++) rowPtr[a.n + i] = a.rowPtr[a.n] + c.rowPtr[i];
      const col = new Int32Array(rowPtr[n]);
      col.set(a.col);
      col.set(
        c.col.map((j) => j + a.n),
        a.rowPtr[a.n],
      );
      const values = new Float64Array(rowPtr[n]);
      values.set(a.values);
      values.set(c.values, a.rowPtr[a.n]);
      const p: Problem = {
        name: 'two blocks',
        n,
        rowPtr,
        col,
        values,
        coords: new Float64Array(2 * n),
        springEntries: [],
      };
      for (const geometric of [false, true]) {
        const r = directSolve(w, p, geometric);
        expect(r.ok).toBe(true);
        expect(r.res).toBeLessThan(1e-12);
      }
    });

    it('PCG with the exact factor converges in one iteration', () => {
      const p = elasticityProblem(12, 5, 10);
      const r = directSolve(w, p, true);
      const work = r.wp.f64(4 * p.n);
      r.wp.view(r.xp, p.n).fill(0);
      const it = w.solvePcg(r.wp.A, r.wp.values, r.bp, r.xp, r.chol, 1e-10, 50, work, 0);
      expect(it).toBe(1);
      expect(w.pcgResidual()).toBeLessThan(1e-10);
      expect(relResidual(p, p.values, r.wp.view(r.xp, p.n).slice(), r.b)).toBeLessThan(1e-10);
    });

    for (const [name, make] of [
      ['elasticity', () => elasticityProblem(14, 5, 1e3)],
      ['diffusion', () => diffusionProblem(14, 0.01, 5, 1e3)],
    ] as [string, () => Problem][]) {
      it(`PCG with the stale factor of a softened ${name} matrix converges to 1e-10`, () => {
        const p = make();
        const r = directSolve(w, p, true);
        const soft = softenSprings(p, 0.05, 0.01);
        const sp = r.wp.f64(soft);
        const work = r.wp.f64(4 * p.n);
        r.wp.view(r.xp, p.n).fill(0);
        const it = w.solvePcg(r.wp.A, sp, r.bp, r.xp, r.chol, 1e-10, 200, work, 0);
        expect(it).toBeGreaterThan(1);
        expect(it).toBeLessThan(60);
        expect(w.pcgResidual()).toBeLessThan(1e-10);
        expect(relResidual(p, soft, r.wp.view(r.xp, p.n).slice(), r.b)).toBeLessThan(1e-9);
      });
    }

    describe('single-precision copy of the factor (the stale PCG preconditioner of large meshes)', () => {
      /**
       * The elasticity problem factorised with a single-precision copy of L (threshold 0). Penalty 50 E per unit
       * length: the model's intact-boundary penalty is 50 E / grain diameter (presets.ts gb.penalty_GPa_per_um).
       */
      const withCopy = (penaltyFactor = 50) => {
        const p = elasticityProblem(14, 5, penaltyFactor);
        const wp = new WasmProblem(w, p);
        const chol = w.cholNew();
        w.cholSingleCopyMinEntries(chol, 0);
        w.cholAnalyse(chol, wp.A, wp.coords);
        expect(w.cholFactor(chol, wp.values)).toBeTruthy();
        const b = rhs(p.n);
        return { p, wp, chol, b, bp: wp.f64(b), xp: wp.f64(p.n), work: wp.f64(4 * p.n) };
      };
      const pcgFromZero = (r: ReturnType<typeof withCopy>, values: number, rtol: number, single: number) => {
        r.wp.view(r.xp, r.p.n).fill(0);
        return w.solvePcg(r.wp.A, values, r.bp, r.xp, r.chol, rtol, 50, r.work, single);
      };

      it('solves with L rounded to f32: a relative error of f32 round-off size, not zero', () => {
        const { p, wp, chol, bp, xp } = withCopy();
        w.cholSolve(chol, bp, xp);
        const exact = wp.view(xp, p.n).slice();
        w.cholSolveSingle(chol, bp, xp);
        const single = wp.view(xp, p.n).slice();
        let num = 0;
        let den = 0;
        for (let i = 0; i < p.n; i++) {
          num += (single[i] - exact[i]) ** 2;
          den += exact[i] ** 2;
        }
        const rel = Math.sqrt(num / den);
        expect(rel).toBeGreaterThan(1e-12);
        expect(rel).toBeLessThan(1e-4);
      });

      it('as the PCG preconditioner it reaches 1e-12 in a few iterations, and a stale one costs what f64 does', () => {
        const r = withCopy();
        const exactIt = pcgFromZero(r, r.wp.values, 1e-12, 1);
        expect(exactIt).toBeGreaterThan(0);
        expect(exactIt).toBeLessThanOrEqual(4);
        expect(relResidual(r.p, r.p.values, r.wp.view(r.xp, r.p.n).slice(), r.b)).toBeLessThan(1e-12);
        const soft = softenSprings(r.p, 0.05, 0.01);
        const sp = r.wp.f64(soft);
        const [f64It, singleIt] = [0, 1].map((single) => {
          const it = pcgFromZero(r, sp, 1e-12, single);
          expect(relResidual(r.p, soft, r.wp.view(r.xp, r.p.n).slice(), r.b)).toBeLessThan(1e-11);
          return it;
        });
        expect(f64It).toBeGreaterThan(1);
        expect(singleIt).toBeGreaterThan(0);
        expect(singleIt).toBeLessThanOrEqual(f64It + 2);
      });

      it('with penalties 1000 E (round-off floor near 1e-10) it reaches 1e-9 as fast as the f64 factor', () => {
        const r = withCopy(1e3);
        const f64It = pcgFromZero(r, r.wp.values, 1e-9, 0);
        const singleIt = pcgFromZero(r, r.wp.values, 1e-9, 1);
        expect(f64It).toBe(1);
        expect(singleIt).toBeGreaterThan(0);
        expect(singleIt).toBeLessThanOrEqual(4);
      });

      it('below the size threshold no copy is kept: solveSingle is the f64 solve, bit for bit, and costs no memory', () => {
        const p = elasticityProblem(14, 5, 50);
        const r = directSolve(w, p, true);
        const bytes = w.cholBytes(r.chol);
        const { chol: withIt } = withCopy();
        expect(w.cholBytes(withIt)).toBeGreaterThan(bytes);
        const exact = r.wp.view(r.xp, p.n).slice();
        w.cholSolveSingle(r.chol, r.bp, r.xp);
        expect(r.wp.view(r.xp, p.n).slice()).toEqual(exact);
      });
    });

    it('PCG reports non-convergence with a negative count', () => {
      const p = diffusionProblem(12, 0.01, 4, 1e3);
      const r = directSolve(w, p, true);
      const soft = softenSprings(p, 0.5, 1e-3);
      const sp = r.wp.f64(soft);
      const work = r.wp.f64(4 * p.n);
      r.wp.view(r.xp, p.n).fill(0);
      expect(w.solvePcg(r.wp.A, sp, r.bp, r.xp, r.chol, 1e-14, 2, work, 0)).toBe(-2);
    });

    it('is deterministic: repeated analyse/factor/solve give bit-identical results', () => {
      const p = elasticityProblem(10, 4, 10);
      const a = directSolve(w, p, true);
      const b = directSolve(w, p, true);
      expect(Array.from(a.x)).toEqual(Array.from(b.x));
      expect(w.cholNnz(a.chol)).toBe(w.cholNnz(b.chol));
    });

    it('detects a matrix that is not positive definite', () => {
      const p = diffusionProblem(10, 0.01, 4, 10);
      const v = p.values.slice();
      // make one diagonal entry negative
      const i = Math.floor(p.n / 2);
      for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) if (p.col[k] === i) v[k] = -1;
      expect(directSolve(w, p, true, v).ok).toBe(false);
      // indefinite with a positive diagonal: [[1, 2, 0], [2, 1, .5], [0, .5, 1]]
      const q: Problem = {
        name: 'indef',
        n: 3,
        rowPtr: Int32Array.from([0, 2, 5, 7]),
        col: Int32Array.from([0, 1, 0, 1, 2, 1, 2]),
        values: Float64Array.from([1, 2, 2, 1, 0.5, 0.5, 1]),
        coords: new Float64Array(6),
        springEntries: [],
      };
      expect(directSolve(w, q, false).ok).toBe(false);
    });

    it('pattern find and spmv', () => {
      const p = randomSpd(60, 3, 2);
      const wp = new WasmProblem(w, p);
      for (let i = 0; i < p.n; i++) {
        for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) expect(w.patternFind(wp.A, i, p.col[k])).toBe(k);
      }
      const cols = new Set(Array.from(p.col.subarray(p.rowPtr[7], p.rowPtr[8])));
      for (let j = 0; j < p.n; j++) if (!cols.has(j)) expect(w.patternFind(wp.A, 7, j)).toBe(-1);
      const x = rhs(p.n);
      const xp = wp.f64(x),
        yp = wp.f64(p.n);
      w.matVec(wp.A, wp.values, xp, yp);
      const y = wp.view(yp, p.n);
      const want = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++)
        for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) want[i] += p.values[k] * x[p.col[k]];
      expect(y).toBeCloseArray(want, { abs: 5e-13 });
    });
  });
}
