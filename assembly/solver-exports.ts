/** Test/bench-only entry exposing the solver (assembly/solver/) to the host through raw pointers. */
import { SparsePattern, spmv } from './solver/sparse';
import { Cholesky } from './solver/cholesky';
import { pcg, lastRelativeResidual } from './solver/pcg';

export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}
export function patternNew(n: i32, nnz: i32): usize {
  return changetype<usize>(new SparsePattern(n, nnz));
}
export function patternRowPtr(A: usize): usize {
  return changetype<SparsePattern>(A).rowPtr;
}
export function patternCol(A: usize): usize {
  return changetype<SparsePattern>(A).col;
}
export function patternFind(A: usize, i: i32, j: i32): i32 {
  return changetype<SparsePattern>(A).find(i, j);
}
export function matVec(A: usize, values: usize, x: usize, y: usize): void {
  spmv(changetype<SparsePattern>(A), values, x, y);
}
export function cholNew(): usize {
  return changetype<usize>(new Cholesky());
}
export function cholAnalyse(c: usize, A: usize, coords: usize): void {
  changetype<Cholesky>(c).analyse(changetype<SparsePattern>(A), coords);
}
export function cholFactor(c: usize, values: usize): bool {
  return changetype<Cholesky>(c).factor(values);
}
export function cholSolve(c: usize, b: usize, x: usize): void {
  changetype<Cholesky>(c).solve(b, x);
}
/** Keep a single-precision copy of L from this many stored entries on (before analyse; 0: always). */
export function cholSingleCopyMinEntries(c: usize, minEntries: f64): void {
  changetype<Cholesky>(c).singleCopyMinEntries = <i64>minEntries;
}
export function cholSolveSingle(c: usize, b: usize, x: usize): void {
  changetype<Cholesky>(c).solveSingle(b, x);
}
export function cholNnz(c: usize): f64 {
  return <f64>changetype<Cholesky>(c).factorNonzeros();
}
export function cholExactNnz(c: usize): f64 {
  return <f64>changetype<Cholesky>(c).exactNonzeros();
}
export function cholBytes(c: usize): f64 {
  return <f64>changetype<Cholesky>(c).bytes();
}
export function cholSupernodes(c: usize): i32 {
  return changetype<Cholesky>(c).nsuper;
}
export function solvePcg(
  A: usize,
  values: usize,
  b: usize,
  x: usize,
  M: usize,
  rtol: f64,
  maxIter: i32,
  work: usize,
  singlePrecisionFactor: i32,
): i32 {
  return pcg(
    changetype<SparsePattern>(A),
    values,
    b,
    x,
    changetype<Cholesky>(M),
    rtol,
    maxIter,
    work,
    singlePrecisionFactor != 0,
  );
}
export function pcgResidual(): f64 {
  return lastRelativeResidual();
}
export function cholFlops(c: usize): f64 {
  return changetype<Cholesky>(c).flops;
}
export function cholMaxSupernode(c: usize): i32 {
  const ch = changetype<Cholesky>(c);
  let m = 0;
  for (let s = 0; s < ch.nsuper; s++)
    m = max(m, load<i32>(ch.super + ((<usize>(s + 1)) << 2)) - load<i32>(ch.super + ((<usize>s) << 2)));
  return m;
}
import { panelFactor } from './solver/dense';
/** Bench helper: fill an nr × nc panel (ld nr) with an SPD-leading matrix and factor it in place. */
export function denseFill(a: usize, nr: i32, nc: i32): void {
  for (let j = 0; j < nc; j++)
    for (let i = 0; i < nr; i++)
      store<f64>(a + ((<usize>j * <usize>nr + <usize>i) << 3), i == j ? <f64>nr : 1.0 / (1.0 + <f64>abs(i - j)));
}
let packP: usize = 0;
let packR: i32 = 0;
function ensurePack(rows: i32): void {
  if (packR < rows + 4) {
    packR = rows + 4;
    packP = heap.alloc(<usize>packR * <usize>KC * 8);
  }
  setPackBuffer(packP, packR);
}
export function denseFactor(a: usize, nr: i32, nc: i32): bool {
  ensurePack(nr);
  return panelFactor(a, nr, nc);
}
/** Bench helper: factor flops of supernodes with lo ≤ ncols < hi. */
export function cholFlopsRange(c: usize, lo: i32, hi: i32): f64 {
  const ch = changetype<Cholesky>(c);
  let fl: f64 = 0;
  for (let s = 0; s < ch.nsuper; s++) {
    const nc = load<i32>(ch.super + ((<usize>(s + 1)) << 2)) - load<i32>(ch.super + ((<usize>s) << 2));
    const nr = load<i32>(ch.rowPtr + ((<usize>(s + 1)) << 2)) - load<i32>(ch.rowPtr + ((<usize>s) << 2));
    if (nc < lo || nc >= hi) continue;
    for (let j = 0; j < nc; j++) fl += <f64>(nr - j) * <f64>(nr - j);
  }
  return fl;
}
import { panelSyrk, STORE, setPackBuffer, KC } from './solver/dense';
export function denseSyrk(P: usize, ld: i32, K: i32, M: i32, N: i32, C: usize): void {
  ensurePack(M);
  panelSyrk(P, ld, K, M, N, C, M, STORE);
}
export { setOrderingOptions, setBalanceExponent, setDiagMin } from './solver/ordering';
export { setPackMinN } from './solver/dense';
