/**
 * The kernel's one link to the linear solver. Everything the kernel needs from `assembly/solver/` is imported
 * through here, so switching implementations touches one file.
 */
export { SparsePattern, spmv, Cholesky, pcg, lastRelativeResidual } from './solver-fallback';
