/**
 * The kernel's one link to the linear solver (`assembly/solver/`, owned by the solver engineer). Everything the
 * kernel needs from it is imported through here, so switching implementations touches one file.
 */
export { SparsePattern, spmv } from './solver/sparse';
export { Cholesky } from './solver/cholesky';
export { pcg, lastRelativeResidual } from './solver/pcg';
