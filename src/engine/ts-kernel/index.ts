/**
 * The pure-TypeScript oracle kernel: a direct, readable implementation of the `Kernel` contract
 * (`src/engine/kernel-api.ts`, whose conventions are followed to the letter so that the WebAssembly kernel can be
 * checked against it to 1e-10). Also the "no WASM" baseline of the benchmark.
 *
 * It mirrors `assembly/` file by file, with the same function names for the same steps: `state.ts` (the fields),
 * `triangle.ts`, `lattice.ts`, `elasticity.ts`, `cohesive.ts` (the laws), `diffusion.ts` and `mechanics.ts` (the
 * solves). Its setup is checked by the validator both kernels share (`../setup-validation.ts`). Linear systems are
 * solved directly with a sparse Cholesky factorisation after nested-dissection ordering (`sparse-cholesky.ts`).
 *
 * Units: µm, s, MPa; x dimensionless.
 */
import type {
  Kernel,
  KernelSetup,
  KernelState,
  MechanicsOptions,
  MechanicsReport,
  SolveReport,
} from '../kernel-api.js';
import { validateKernelSetup } from '../setup-validation.js';
import { KERNEL_STATE_FIELDS, exportKernelState, importKernelState } from '../kernel-state.js';
import { KernelFields } from './state.js';
import { Diffusion } from './diffusion.js';
import { Mechanics } from './mechanics.js';

export function createTsKernel(): Kernel {
  return new TsKernel();
}

class TsKernel implements Kernel {
  readonly kind = 'ts' as const;
  private fields: KernelFields | null = null;
  private diffusion: Diffusion | null = null;
  private mechanics: Mechanics | null = null;

  private ready(): { f: KernelFields; diffusion: Diffusion; mechanics: Mechanics } {
    if (!this.fields || !this.diffusion || !this.mechanics) throw new Error('TS kernel: call setup() first');
    return { f: this.fields, diffusion: this.diffusion, mechanics: this.mechanics };
  }

  setup(s: KernelSetup): void {
    validateKernelSetup(s);
    const f = new KernelFields(s);
    this.fields = f;
    this.diffusion = new Diffusion(f);
    this.mechanics = new Mechanics(f);
  }

  diffusionStep(dt_s: number, segmentFlux_um_s: Float64Array, extraRhs?: Float64Array): SolveReport {
    return this.ready().diffusion.diffusionStep(dt_s, segmentFlux_um_s, extraRhs);
  }

  liIntegral(): number {
    return this.ready().diffusion.liIntegral();
  }

  mechanicsSolve(opts: MechanicsOptions): MechanicsReport {
    return this.ready().mechanics.mechanicsSolve(opts);
  }

  commitDamage(): void {
    const { f, diffusion } = this.ready();
    f.damage.set(f.trialDamage);
    f.kappa.set(f.trialKappa);
    f.kappaRate.set(f.trialKappaRate);
    f.lambda.set(f.trialLambda);
    diffusion.damageChanged();
  }

  saveState(): void {
    const { f } = this.ready();
    for (const k of KERNEL_STATE_FIELDS) f.backup[k].set(f[k]);
  }

  restoreState(): void {
    const { f, diffusion } = this.ready();
    for (const k of KERNEL_STATE_FIELDS) f[k].set(f.backup[k]);
    diffusion.damageChanged();
  }

  exportState(): KernelState {
    return exportKernelState(this);
  }

  importState(state: KernelState): void {
    importKernelState(this, state);
  }

  resetSolverCaches(): void {
    const { diffusion, mechanics } = this.ready();
    diffusion.resetDiffusionCaches();
    mechanics.resetMechanicsCaches();
  }

  li(): Float64Array {
    return this.ready().f.li;
  }
  displacement(): Float64Array {
    return this.ready().f.displacement;
  }
  damage(): Float64Array {
    return this.ready().f.damage;
  }
  trialDamage(): Float64Array {
    return this.ready().f.trialDamage;
  }
  kappa(): Float64Array {
    return this.ready().f.kappa;
  }
  kappaRate(): Float64Array {
    return this.ready().f.kappaRate;
  }
  lambda(): Float64Array {
    return this.ready().f.lambda;
  }
  opening(): Float64Array {
    return this.ready().f.opening;
  }
  traction(): Float64Array {
    return this.ready().f.traction;
  }
  stress(): Float64Array {
    return this.ready().f.stress;
  }

  memoryBytes(): number {
    if (!this.fields || !this.diffusion || !this.mechanics) return 0;
    return this.fields.bytes() + this.diffusion.bytes() + this.mechanics.bytes();
  }

  dispose(): void {
    this.fields = null;
    this.diffusion = null;
    this.mechanics = null;
  }
}
