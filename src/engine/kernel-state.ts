/**
 * Export and import of a kernel's state (checkpoint / resume), written once for both kernels on top of their live
 * field views: x per diffusion dof, u, the committed damage D, history κ, for IMPL-EX the history rate κ̇, and for
 * fatigue the committed effective opening λ_n.
 */
import type { Kernel, KernelState } from './kernel-api.js';

export const KERNEL_STATE_FIELDS = ['li', 'displacement', 'damage', 'kappa', 'kappaRate', 'lambda'] as const;

function liveViews(kernel: Kernel): KernelState {
  return {
    li: kernel.li(),
    displacement: kernel.displacement(),
    damage: kernel.damage(),
    kappa: kernel.kappa(),
    kappaRate: kernel.kappaRate(),
    lambda: kernel.lambda(),
  };
}

/** Copies of the state arrays. */
export function exportKernelState(kernel: Kernel): KernelState {
  const v = liveViews(kernel);
  return Object.fromEntries(KERNEL_STATE_FIELDS.map((k) => [k, v[k].slice()])) as unknown as KernelState;
}

/** Copy a state into the kernel (set up with the same scenario) and drop its solver caches. */
export function importKernelState(kernel: Kernel, state: KernelState): void {
  const v = liveViews(kernel);
  for (const key of KERNEL_STATE_FIELDS) {
    if (state[key].length !== v[key].length)
      throw new Error(`importState: ${key} has ${state[key].length} values, this scenario needs ${v[key].length}`);
    v[key].set(state[key]);
  }
  kernel.resetSolverCaches();
}
