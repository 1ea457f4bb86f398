/**
 * Host wrapper of the WebAssembly kernel (`assembly/`, built to `build/kernel.wasm` and `build/kernel.debug.wasm`).
 *
 * - Loads and compiles the module once per source (Node: `fs`, path relative to this file, so it works from `src/`
 *   under vitest/tsx and from `dist/` after tsc; browser: `fetch` + `instantiateStreaming` of `opts.wasmUrl`, or
 *   the bytes/module passed in).
 * - `setup` validates the `KernelSetup` (clear `Error`s, never a trap), copies it into kernel memory and lets the
 *   kernel build its patterns, constant matrices and factor analyses. Nothing is allocated after that.
 * - Every slot, stride, array id and error code comes from the kernel's exported ABI (`wasm-abi.ts`), checked
 *   when the instance is created; arrays are addressed by name, with their lengths checked before a copy.
 * - Field accessors return Float64Array views on `memory.buffer`; views are re-created whenever the buffer changed
 *   (memory growth happens only inside `setup`), so a view obtained after `setup` stays valid until the next one.
 */
import type { Kernel, KernelSetup, KernelState, MechanicsOptions, MechanicsReport, SolveReport } from './kernel-api.js';
import { validateKernelSetup, KernelSetupError } from './setup-validation.js';
import { InputError } from '../errors.js';
import { exportKernelState, importKernelState } from './kernel-state.js';
import { readKernelAbi, type KernelAbi, type KernelArrayName } from './wasm-abi.js';
import { orientedMaterials } from './oriented-materials.js';

export { KernelSetupError };

/**
 * The scenario needs more memory than one WebAssembly instance can address (4 GiB, wasm32): a user-fixable
 * mesh size, reported with the config keys to change.
 */
export class KernelCapacityError extends InputError {
  constructor(nodes: number, triangles: number) {
    super(
      `geometry.mesh_size_um: the mesh (${nodes} nodes, ${triangles} triangles) needs more memory than one ` +
        'WebAssembly kernel can address (4 GiB, about 2 million unknowns at 1.1–1.4 kB each); increase ' +
        'geometry.mesh_size_um or reduce geometry.radius_um.',
    );
    this.name = 'KernelCapacityError';
  }
}

/** Where to get the kernel binary. */
export interface WasmKernelOptions {
  /** Use the checked debug build (`build/kernel.debug.wasm`). */
  debug?: boolean;
  /** URL (browser) or file URL/path (Node) of the .wasm file; default: the build next to the package. */
  wasmUrl?: string | URL;
  /** The .wasm bytes (skips loading). */
  wasmBytes?: ArrayBuffer | Uint8Array;
  /** An already compiled module (skips loading and compiling). */
  wasmModule?: WebAssembly.Module;
}

/** Diagnostics the WASM kernel offers beyond the `Kernel` contract (benchmarks, tuning). */
export interface WasmKernelDiagnostics {
  diffusionUnknowns: number;
  mechanicsUnknowns: number;
  mechanicsNonzeros: number;
  mechanicsFactorNonzeros: number;
  /** Mechanics factorisations since setup. */
  mechanicsFactorizations: number;
  /** Factorisations in the last mechanics solve. */
  lastMechanicsRefactorizations: number;
  /** Final relative residual of the last mechanics linear solve. */
  lastMechanicsResidual: number;
  /** Factorisation cost (in PCG iterations) the refactorisation rule uses. */
  refactorCostInSolves: number;
  /** Bytes of the two Cholesky factors (included in memoryBytes()). */
  diffusionFactorBytes: number;
  mechanicsFactorBytes: number;
}

export interface WasmKernel extends Kernel {
  readonly kind: 'wasm';
  diagnostics(): WasmKernelDiagnostics;
}

/** The raw exports of `assembly/index.ts`. */
interface KernelExports {
  memory: WebAssembly.Memory;
  setupBegin(
    nodeCount: number,
    triCount: number,
    materialCount: number,
    latticeTableLength: number,
    diffusionDofCount: number,
    interfaceCount: number,
    interfaceMaterialCount: number,
    fluxSegmentCount: number,
    fixedDofCount: number,
    generalizedPlaneStrain: number,
  ): number;
  setupFinish(): number;
  /** Address, element count and element bytes of ABI array `id` (assembly/abi.ts ARRAY_*). */
  arrayPointer(id: number): number;
  arrayLength(id: number): number;
  arrayElementBytes(id: number): number;
  diffusionStep(dt: number, hasExtra: number): number;
  diffusionIterations(): number;
  diffusionResidual(): number;
  diffusionRefactored(): number;
  liIntegral(): number;
  mechanicsSolve(
    dt: number,
    maxIterations: number,
    tolerance: number,
    hasPrescribed: number,
    hasExtra: number,
    scheme: number,
    linearRtol: number,
  ): number;
  mechanicsLinearSolves(): number;
  mechanicsAxialStrain(): number;
  mechanicsExtrapolationError(): number;
  mechanicsMeanExtrapolationError(): number;
  mechanicsConverged(): number;
  mechanicsIterations(): number;
  mechanicsLinearIterations(): number;
  mechanicsMaxDamageChange(): number;
  mechanicsMaxDamageIncrement(): number;
  mechanicsSofteningPoints(): number;
  mechanicsRefactorizations(): number;
  mechanicsResidual(): number;
  mechanicsFactorizationCount(): number;
  refactorCostInSolves(): number;
  commitDamage(): void;
  saveState(): void;
  restoreState(): void;
  resetSolverCaches(): void;
  memoryBytes(): number;
  diffusionUnknowns(): number;
  mechanicsUnknowns(): number;
  mechanicsNonzeros(): number;
  mechanicsFactorNonzeros(): number;
  diffusionFactorBytes(): number;
  mechanicsFactorBytes(): number;
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

async function loadBytesNode(url: URL): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  return new Uint8Array(await fs.readFile(url));
}

function defaultUrl(debug: boolean): URL {
  return new URL(debug ? '../../build/kernel.debug.wasm' : '../../build/kernel.wasm', import.meta.url);
}

/** Compile (once per source) the kernel module. */
function compiledModule(opts: WasmKernelOptions): Promise<WebAssembly.Module> {
  if (opts.wasmModule) return Promise.resolve(opts.wasmModule);
  if (opts.wasmBytes) {
    const bytes = opts.wasmBytes instanceof Uint8Array ? opts.wasmBytes : new Uint8Array(opts.wasmBytes);
    return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  const debug = opts.debug ?? false;
  let url: URL;
  if (opts.wasmUrl !== undefined) {
    const raw = opts.wasmUrl;
    url =
      raw instanceof URL
        ? raw
        : isNode() && !/^[a-z]+:\/\//i.test(raw)
          ? new URL(`file://${raw.startsWith('/') ? '' : process.cwd() + '/'}${raw}`)
          : new URL(raw, (globalThis as { location?: { href: string } }).location?.href);
  } else {
    url = defaultUrl(debug);
  }
  const key = url.href;
  let p = moduleCache.get(key);
  if (!p) {
    if (url.protocol === 'file:') {
      p = loadBytesNode(url).then((b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>));
    } else if (typeof WebAssembly.compileStreaming === 'function' && typeof fetch === 'function') {
      p = WebAssembly.compileStreaming(fetch(url)).catch(async () => {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`cannot load the WASM kernel from ${url.href}: HTTP ${res.status}`);
        return WebAssembly.compile(await res.arrayBuffer());
      });
    } else {
      p = fetch(url).then(async (res) => {
        if (!res.ok) throw new Error(`cannot load the WASM kernel from ${url.href}: HTTP ${res.status}`);
        return WebAssembly.compile(await res.arrayBuffer());
      });
    }
    p.catch(() => moduleCache.delete(key));
    moduleCache.set(key, p);
  }
  return p.catch((e: unknown) => {
    const hint = url.protocol === 'file:' ? ' (run `npm run build:wasm` first)' : '';
    throw new Error(`cannot load the WASM kernel from ${url.href}${hint}: ${(e as Error).message}`);
  });
}

/** Imports of the AssemblyScript stub runtime: `abort` decodes the message and throws. */
function kernelImports(getMemory: () => WebAssembly.Memory | undefined): WebAssembly.Imports {
  const readString = (ptr: number): string => {
    const mem = getMemory();
    if (!mem || ptr === 0) return '';
    const len = new Uint32Array(mem.buffer, ptr - 4, 1)[0] >>> 1;
    return String.fromCharCode(...new Uint16Array(mem.buffer, ptr, len));
  };
  return {
    env: {
      abort(msg: number, file: number, line: number, column: number): never {
        throw new Error(`WASM kernel abort: ${readString(msg)} at ${readString(file)}:${line}:${column}`);
      },
      trace(): void {},
      seed(): number {
        return Date.now();
      },
    },
  };
}

/** Load the kernel module and return a fresh `Kernel` instance (one WebAssembly instance per kernel). */
export async function createWasmKernel(opts: WasmKernelOptions = {}): Promise<WasmKernel> {
  const module = await compiledModule(opts);
  const holder: { exports?: KernelExports } = {};
  const instance = await WebAssembly.instantiate(
    module,
    kernelImports(() => holder.exports?.memory),
  );
  holder.exports = instance.exports as unknown as KernelExports;
  return new WasmKernelImpl(holder.exports, readKernelAbi(instance.exports));
}

class WasmKernelImpl implements WasmKernel {
  readonly kind = 'wasm' as const;
  private k: KernelExports | null;
  private s: KernelSetup | null = null;
  private buffer: ArrayBuffer | null = null;
  private views: {
    li: Float64Array;
    u: Float64Array;
    damage: Float64Array;
    trialDamage: Float64Array;
    kappa: Float64Array;
    kappaRate: Float64Array;
    lambda: Float64Array;
    opening: Float64Array;
    traction: Float64Array;
    stress: Float64Array;
  } | null = null;

  constructor(
    exports: KernelExports,
    private readonly abi: KernelAbi,
  ) {
    this.k = exports;
  }

  private exp(): KernelExports {
    if (!this.k) throw new Error('WASM kernel: used after dispose()');
    return this.k;
  }

  private setupDone(): KernelSetup {
    if (!this.s) throw new Error('WASM kernel: call setup() first');
    return this.s;
  }

  private check(code: number, what: string): void {
    if (code !== 0) throw new Error(`WASM kernel ${what}: ${this.abi.errorText(code)}`);
  }

  /**
   * A view on kernel array `name`, `length` elements long; the kernel's own length and element size must agree
   * (a disagreement is an ABI or setup bug, never silently truncated).
   */
  private array(name: KernelArrayName, length: number): Float64Array | Uint32Array {
    const k = this.exp();
    const { id, type } = this.abi.arrays[name];
    const kernelLength = k.arrayLength(id);
    const bytes = k.arrayElementBytes(id);
    if (kernelLength !== length || bytes !== (type === 'f64' ? 8 : 4)) {
      throw new Error(
        `WASM kernel: array ${name} holds ${kernelLength} × ${bytes} bytes, the host expected ${length} × ${type}`,
      );
    }
    const buffer = k.memory.buffer;
    const pointer = k.arrayPointer(id);
    return type === 'f64' ? new Float64Array(buffer, pointer, length) : new Uint32Array(buffer, pointer, length);
  }
  private f64(name: KernelArrayName, length: number): Float64Array {
    const view = this.array(name, length);
    if (!(view instanceof Float64Array)) throw new Error(`WASM kernel: array ${name} is not f64`);
    return view;
  }
  private u32(name: KernelArrayName, length: number): Uint32Array {
    const view = this.array(name, length);
    if (!(view instanceof Uint32Array)) throw new Error(`WASM kernel: array ${name} is not u32`);
    return view;
  }

  private fieldViews(): NonNullable<WasmKernelImpl['views']> {
    const k = this.exp();
    const s = this.setupDone();
    if (!this.views || this.buffer !== k.memory.buffer) {
      this.buffer = k.memory.buffer as ArrayBuffer;
      const nq = 2 * s.interfaceCount;
      this.views = {
        li: this.f64('li', s.diffusionDofCount),
        u: this.f64('displacement', 2 * s.nodeCount),
        damage: this.f64('damage', nq),
        trialDamage: this.f64('trialDamage', nq),
        kappa: this.f64('kappa', nq),
        kappaRate: this.f64('kappaRate', nq),
        lambda: this.f64('lambda', nq),
        opening: this.f64('opening', 2 * nq),
        traction: this.f64('traction', 2 * nq),
        stress: this.f64('stress', 4 * s.triCount),
      };
    }
    return this.views;
  }

  setup(s: KernelSetup): void {
    validateKernelSetup(s);
    try {
      this.setupUnchecked(s);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/Allocation too large|Maximum memory size exceeded|Out of memory|could not allocate memory/i.test(msg))
        throw new KernelCapacityError(s.nodeCount, s.triCount);
      throw e;
    }
  }

  private setupUnchecked(s: KernelSetup): void {
    const k = this.exp();
    this.s = null;
    this.views = null;
    const tableLength = s.materials.reduce((n, m) => n + 3 * m.latticeX.length, 0);
    // the in-plane constants of every (material, c-axis) pair, computed once here (oriented-materials.ts)
    const { records, triRecord } = orientedMaterials(s);
    this.check(
      k.setupBegin(
        s.nodeCount,
        s.triCount,
        records.length,
        tableLength,
        s.diffusionDofCount,
        s.interfaceCount,
        s.interfaceMaterials.length,
        s.fluxSegmentCount,
        s.fixedDofs.length,
        s.plane === 'generalized-strain' ? 1 : 0,
      ),
      'setup',
    );
    this.f64('coords', 2 * s.nodeCount).set(s.coords_um);
    this.u32('triNodes', 3 * s.triCount).set(s.triNodes);
    this.u32('triMaterial', s.triCount).set(triRecord);
    const { materialStride, material, interfaceStride, interfaceMaterial } = this.abi;
    const params = this.f64('materialParams', materialStride * records.length);
    const table = this.f64('latticeTable', tableLength);
    // one lattice-strain table per hexagonal material, shared by its oriented records
    const tableOffset: number[] = [];
    let offset = 0;
    for (const m of s.materials) {
      const len = m.latticeX.length;
      tableOffset.push(offset);
      table.set(m.latticeX, offset);
      table.set(m.latticeA, offset + len);
      table.set(m.latticeC, offset + 2 * len);
      offset += 3 * len;
    }
    records.forEach((r, i) => {
      const record = materialStride * i;
      const put = (slot: number, values: readonly number[]) => params.set(values, record + slot);
      put(material.D_xx, [r.diffusivity_um2_s[0]]);
      put(material.D_xy, [r.diffusivity_um2_s[1]]);
      put(material.D_yy, [r.diffusivity_um2_s[2]]);
      const [kxxxx, kxxyy, kxxxy, kyyyy, kyyxy, kxyxy] = r.stiffness_MPa;
      put(material.stiffness_xx_xx, [kxxxx]);
      put(material.stiffness_xx_yy, [kxxyy]);
      put(material.stiffness_xx_xy, [kxxxy]);
      put(material.stiffness_yy_yy, [kyyyy]);
      put(material.stiffness_yy_xy, [kyyxy]);
      put(material.stiffness_xy_xy, [kxyxy]);
      put(material.eigenstressA, r.eigenstressA_MPa);
      put(material.eigenstressC, r.eigenstressC_MPa);
      put(material.stressZz, r.stressZz_MPa);
      put(material.stressZzA, [r.stressZzA_MPa]);
      put(material.stressZzC, [r.stressZzC_MPa]);
      put(material.tableOffset, [tableOffset[r.material]]);
      put(material.tableLength, [s.materials[r.material].latticeX.length]);
      put(material.stiffnessZz, r.stiffnessZz_MPa);
      put(material.stiffnessZzZz, [r.stiffnessZzZz_MPa]);
      // D(x): φ(x) = (prefactor / D_ab) · 10^(…) scales the record's tensor (kernel-api.ts KernelDiffusivityFit)
      const m = s.materials[r.material];
      const fit = m.diffusivityFit;
      put(material.diffusivityFit, [fit ? 1 : 0]);
      if (fit) {
        put(material.diffusivityFitScale, [fit.prefactor_um2_s / m.D_ab_um2_s]);
        put(material.diffusivityFitC0, [fit.c0]);
        put(material.diffusivityFitA, fit.amplitude);
        put(material.diffusivityFitB, fit.centre);
        put(material.diffusivityFitC, fit.width);
        put(material.diffusivityFitSMin, [fit.sMin]);
        put(material.diffusivityFitSMax, [fit.sMax]);
      }
    });
    this.u32('diffusionDof', s.nodeCount).set(s.diffusionDof);
    this.u32('interfaceNodes', 4 * s.interfaceCount).set(s.interfaceNodes);
    this.u32('interfaceMaterial', s.interfaceCount).set(s.interfaceMaterial);
    const ip = this.f64('interfaceParams', interfaceStride * s.interfaceMaterials.length);
    s.interfaceMaterials.forEach((m, i) => {
      const record = interfaceStride * i;
      ip[record + interfaceMaterial.penalty_MPa_per_um] = m.penalty_MPa_per_um;
      ip[record + interfaceMaterial.strength_MPa] = m.strength_MPa;
      ip[record + interfaceMaterial.Gc_J_m2] = m.Gc_J_m2;
      ip[record + interfaceMaterial.damageable] = m.damageable ? 1 : 0;
      ip[record + interfaceMaterial.viscosity_s] = m.viscosity_s;
      ip[record + interfaceMaterial.liConductance_um_s] = m.liConductance_um_s;
      ip[record + interfaceMaterial.fatigueLength_um] = m.fatigueLength_um ?? 0;
      ip[record + interfaceMaterial.fatigueEndurance_MPa] = m.fatigueEndurance_MPa ?? 0;
    });
    this.u32('fluxSegmentNodes', 2 * s.fluxSegmentCount).set(s.fluxSegmentNodes);
    this.u32('fixedDofs', s.fixedDofs.length).set(s.fixedDofs);
    this.check(k.setupFinish(), 'setup');
    this.s = s;
  }

  li(): Float64Array {
    return this.fieldViews().li;
  }
  displacement(): Float64Array {
    return this.fieldViews().u;
  }
  damage(): Float64Array {
    return this.fieldViews().damage;
  }
  trialDamage(): Float64Array {
    return this.fieldViews().trialDamage;
  }
  kappa(): Float64Array {
    return this.fieldViews().kappa;
  }
  kappaRate(): Float64Array {
    return this.fieldViews().kappaRate;
  }
  lambda(): Float64Array {
    return this.fieldViews().lambda;
  }
  opening(): Float64Array {
    return this.fieldViews().opening;
  }
  traction(): Float64Array {
    return this.fieldViews().traction;
  }
  stress(): Float64Array {
    return this.fieldViews().stress;
  }

  diffusionStep(dt_s: number, segmentFlux_um_s: Float64Array, extraRhs?: Float64Array): SolveReport {
    const k = this.exp();
    const s = this.setupDone();
    if (!(dt_s > 0) || !Number.isFinite(dt_s)) throw new Error(`diffusionStep: dt_s must be > 0 (got ${dt_s})`);
    if (segmentFlux_um_s.length !== s.fluxSegmentCount) {
      throw new Error(
        `diffusionStep: segmentFlux_um_s has ${segmentFlux_um_s.length} values, expected fluxSegmentCount = ${s.fluxSegmentCount}`,
      );
    }
    if (extraRhs && extraRhs.length !== s.diffusionDofCount) {
      throw new Error(
        `diffusionStep: extraRhs has ${extraRhs.length} values, expected diffusionDofCount = ${s.diffusionDofCount}`,
      );
    }
    this.f64('segmentFlux', s.fluxSegmentCount).set(segmentFlux_um_s);
    if (extraRhs) this.f64('diffusionExtra', s.diffusionDofCount).set(extraRhs);
    const code = k.diffusionStep(dt_s, extraRhs ? 1 : 0);
    this.check(code, 'diffusionStep');
    return {
      iterations: k.diffusionIterations(),
      relativeResidual: k.diffusionResidual(),
      refactored: k.diffusionRefactored() !== 0,
    };
  }

  liIntegral(): number {
    this.setupDone();
    return this.exp().liIntegral();
  }

  mechanicsSolve(opts: MechanicsOptions): MechanicsReport {
    const k = this.exp();
    const s = this.setupDone();
    if (opts.prescribed && opts.prescribed.length !== s.fixedDofs.length) {
      throw new Error(
        `mechanicsSolve: prescribed has ${opts.prescribed.length} values, expected fixedDofs.length = ${s.fixedDofs.length}`,
      );
    }
    if (opts.extraRhs && opts.extraRhs.length !== 2 * s.nodeCount) {
      throw new Error(
        `mechanicsSolve: extraRhs has ${opts.extraRhs.length} values, expected 2 · nodeCount = ${2 * s.nodeCount}`,
      );
    }
    if (!(opts.dt_s >= 0)) throw new Error(`mechanicsSolve: dt_s must be ≥ 0 (got ${opts.dt_s})`);
    if (opts.prescribed) this.f64('prescribed', s.fixedDofs.length).set(opts.prescribed);
    if (opts.extraRhs) this.f64('mechanicsExtra', 2 * s.nodeCount).set(opts.extraRhs);
    const maxIterations = Math.max(1, Math.floor(opts.maxIterations));
    const code = k.mechanicsSolve(
      opts.dt_s,
      maxIterations,
      opts.tolerance,
      opts.prescribed ? 1 : 0,
      opts.extraRhs ? 1 : 0,
      opts.scheme === 'implex' ? 1 : 0,
      opts.linearTolerance ?? 0,
    );
    this.check(code, 'mechanicsSolve');
    return {
      converged: k.mechanicsConverged() !== 0,
      iterations: k.mechanicsIterations(),
      linearIterations: k.mechanicsLinearIterations(),
      linearSolves: k.mechanicsLinearSolves(),
      axialStrain: k.mechanicsAxialStrain(),
      extrapolationError: k.mechanicsExtrapolationError(),
      meanExtrapolationError: k.mechanicsMeanExtrapolationError(),
      maxDamageChange: k.mechanicsMaxDamageChange(),
      maxDamageIncrement: k.mechanicsMaxDamageIncrement(),
      softeningPoints: k.mechanicsSofteningPoints(),
    };
  }

  commitDamage(): void {
    this.setupDone();
    this.exp().commitDamage();
  }
  saveState(): void {
    this.setupDone();
    this.exp().saveState();
  }
  restoreState(): void {
    this.setupDone();
    this.exp().restoreState();
  }

  exportState(): KernelState {
    return exportKernelState(this);
  }
  importState(state: KernelState): void {
    importKernelState(this, state);
  }
  resetSolverCaches(): void {
    this.setupDone();
    this.exp().resetSolverCaches();
  }

  memoryBytes(): number {
    return this.s ? this.exp().memoryBytes() : 0;
  }

  diagnostics(): WasmKernelDiagnostics {
    const k = this.exp();
    this.setupDone();
    return {
      diffusionUnknowns: k.diffusionUnknowns(),
      mechanicsUnknowns: k.mechanicsUnknowns(),
      mechanicsNonzeros: k.mechanicsNonzeros(),
      mechanicsFactorNonzeros: k.mechanicsFactorNonzeros(),
      mechanicsFactorizations: k.mechanicsFactorizationCount(),
      lastMechanicsRefactorizations: k.mechanicsRefactorizations(),
      lastMechanicsResidual: k.mechanicsResidual(),
      refactorCostInSolves: k.refactorCostInSolves(),
      diffusionFactorBytes: k.diffusionFactorBytes(),
      mechanicsFactorBytes: k.mechanicsFactorBytes(),
    };
  }

  dispose(): void {
    this.k = null;
    this.s = null;
    this.views = null;
    this.buffer = null;
  }
}
