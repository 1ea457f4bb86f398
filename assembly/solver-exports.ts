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
): i32 {
  return pcg(changetype<SparsePattern>(A), values, b, x, changetype<Cholesky>(M), rtol, maxIter, work);
}
export function pcgResidual(): f64 {
  return lastRelativeResidual();
}
