/**
 * Solving a sequence of slowly changing symmetric positive-definite systems A_k x = b_k with a reused ("stale")
 * Cholesky factor: the factor of an earlier A preconditions PCG on the new one, and the matrix is refactorised only
 * when that stops paying. One piece, used by the diffusion and the mechanics solves; *when* to give up on a stale
 * factor is a swappable `RefactorPolicy`:
 *
 *   - `SkiRentalPolicy` (mechanics): the stale iterations spent since the last factorisation may add up to the cost
 *     of one factorisation in solve units; a solve that would exceed that budget stops, and the matrix is
 *     refactorised. This spends at most twice the optimal (offline) cost, whatever the sequence of matrices.
 *   - `FixedBudgetPolicy` (diffusion): each stale solve may take a fixed number of PCG iterations.
 *
 * A solve with the exact factor is a direct solve polished by PCG (`polish.ts`); the tolerance of a stale solve is
 * max(the last polish tolerance, 2 × the residual the polish reached), so a stale solve is never asked for more
 * than round-off allowed the direct one.
 */
import { SparsePattern, Cholesky, pcg, lastRelativeResidual } from './solver-link';
import { polishDirectSolution, polishIterations, polishTolerance } from './polish';
import { allocF64 } from './memory';

/** When a stale factor is given up (see the file header). */
export abstract class RefactorPolicy {
  /** PCG iterations the next stale solve may take (≥ 1). */
  abstract allowedIterations(): i32;
  /** A stale solve took `iterations` PCG iterations. */
  abstract spent(iterations: i32): void;
  /** The matrix was refactorised (or the caches dropped). */
  abstract refactored(): void;
}

/**
 * Ski rental: one iteration per solve is what a direct solve costs; the iterations beyond it, summed since the last
 * factorisation, may reach `factorCostInSolves`.
 */
export class SkiRentalPolicy extends RefactorPolicy {
  factorCostInSolves: f64 = 10;
  private staleIterationsSpent: f64 = 0;
  allowedIterations(): i32 {
    return 1 + <i32>Math.floor(max(this.factorCostInSolves - this.staleIterationsSpent, 0.0));
  }
  spent(iterations: i32): void {
    this.staleIterationsSpent += <f64>max(iterations - 1, 0);
  }
  refactored(): void {
    this.staleIterationsSpent = 0;
  }
}

/** A fixed number of PCG iterations per stale solve. */
export class FixedBudgetPolicy extends RefactorPolicy {
  constructor(public maxIterations: i32) {
    super();
  }
  allowedIterations(): i32 {
    return this.maxIterations;
  }
  spent(_iterations: i32): void {}
  refactored(): void {}
}

export const SOLVE_OK: i32 = 0;
export const SOLVE_FACTOR_FAILED: i32 = 1;
export const SOLVE_NOT_FINITE: i32 = 2;

export class StaleFactorSolver {
  /** A factor exists / it is the factor of the current matrix values. */
  factored: bool = false;
  exact: bool = false;
  /** Tolerance of stale solves (see the file header). */
  staleTolerance: f64;
  /** Factorisations since setup. */
  factorizations: i32 = 0;
  /** PCG iterations and final relative residual of the last `solve`. */
  iterations: i32 = 0;
  residual: f64 = 0;
  private work: usize;
  private directSolution: usize;

  constructor(
    public pattern: SparsePattern,
    public factor: Cholesky,
    /** Relative residual of the polished direct solves. */
    public rtol: f64,
    public policy: RefactorPolicy,
  ) {
    this.staleTolerance = rtol;
    this.work = allocF64(4 * pattern.n);
    this.directSolution = allocF64(pattern.n);
  }

  /**
   * A new target relative residual for the polished direct solves. Stale solves start from it (the round-off
   * floor of the next polish raises it again where needed); unchanged → nothing happens.
   */
  setTolerance(rtol: f64): void {
    if (rtol == this.rtol) return;
    this.rtol = rtol;
    this.staleTolerance = rtol;
  }

  /** The matrix values changed: the factor (if any) is stale from now on. */
  matrixChanged(): void {
    this.exact = false;
  }

  /** Forget the factor: the state right after construction (the factor analysis is kept). */
  reset(): void {
    this.factored = false;
    this.exact = false;
    this.staleTolerance = this.rtol;
    this.policy.refactored();
  }

  /** Factorise `values`; false when the matrix is not positive definite. */
  refactor(values: usize): bool {
    this.policy.refactored();
    this.factorizations++;
    this.exact = this.factor.factor(values);
    this.factored = this.exact;
    return this.exact;
  }

  /**
   * Solve A x = b (A given by `values` on `pattern`). `x` holds the warm start, or, with `guessFromFactor`, is
   * overwritten by the current factor's solution first. Exact factor: polished direct solve. Stale factor: PCG
   * within the policy's budget, then (failing that) refactorisation and a polished direct solve. Returns SOLVE_*.
   */
  solve(values: usize, b: usize, x: usize, guessFromFactor: bool): i32 {
    const A = this.pattern;
    this.iterations = 0;
    if (this.factored) {
      if (guessFromFactor) this.factor.solve(b, x);
      if (this.exact) return this.polish(values, b, x);
      const allowed = this.policy.allowedIterations();
      // preconditioned by the factor's single-precision copy when it keeps one (`Cholesky.singleCopyMinEntries`:
      // large factors, whose triangular solves are memory-bound); solves with the exact factor stay in f64
      const it = pcg(A, values, b, x, this.factor, this.staleTolerance, allowed, this.work, true);
      const residual = lastRelativeResidual();
      const used = it >= 0 ? it : allowed;
      this.iterations += used;
      this.policy.spent(used);
      this.residual = residual;
      if (it >= 0 && residual <= this.staleTolerance) return SOLVE_OK;
    }
    if (!this.refactor(values)) return SOLVE_FACTOR_FAILED;
    this.factor.solve(b, x);
    return this.polish(values, b, x);
  }

  private polish(values: usize, b: usize, x: usize): i32 {
    this.residual = polishDirectSolution(
      this.pattern,
      values,
      b,
      x,
      this.directSolution,
      this.factor,
      this.rtol,
      this.work,
    );
    this.iterations += polishIterations();
    this.staleTolerance = max(polishTolerance(), 2.0 * this.residual);
    return isFinite(this.residual) ? SOLVE_OK : SOLVE_NOT_FINITE;
  }
}
