/**
 * Kernel benchmark: per-solve time of diffusion and of elasticity (assembly + solve) on a structured quarter-disk
 * triangulation with random per-triangle c-axis orientations, at about 10k, 50k and 200k unknowns, for the
 * WebAssembly kernel and (when present) the TypeScript oracle as the "no WASM" baseline.
 *
 *   npx tsx bench/kernel.ts [--sizes 10000,50000,200000] [--ts-max 50000] [--repeat 5]
 *
 * Rows: "setup" = `setup()` (validation, copy, patterns, constant matrices, ordering and symbolic analysis of both
 * factors); "first" = the first solve after setup (assembly + numeric factorisation + solve); "repeat" = the
 * fastest of the following solves (diffusion: same Δt, factor reused; elasticity: new eigenstrain load, same
 * matrix, one PCG iteration with the existing factor) — the minimum, because shared machines are noisy.
 * Bytes per unknown = `memoryBytes()` / (diffusion + mechanics unknowns of that setup; both fields are set up).
 * `runKernelBench` and `kernelBenchTable` are exported for the top-level bench runner.
 */
import { pathToFileURL } from 'node:url';
import type { Kernel, KernelSetup } from '../src/engine/kernel-api.js';
import { createWasmKernel } from '../src/engine/wasm-kernel.js';
import { diskMesh } from '../src/mesh/structured.js';
import { createRng } from '../src/mesh/random.js';

/** Uniform [0, 1) numbers from the project's one seeded generator (src/mesh/random.ts). */
const seededUniform = (seed: number): (() => number) => createRng(seed).next;

export interface KernelBenchRow {
  kernel: 'wasm' | 'ts';
  field: 'diffusion' | 'elasticity';
  unknowns: number;
  setup_ms: number;
  first_ms: number;
  repeat_ms: number;
  /** Linear (PCG) iterations of a repeated solve. */
  repeatIterations: number;
  bytesPerUnknown: number;
}

export interface KernelBenchOptions {
  /** Target unknown counts per field. */
  sizes?: number[];
  /** Largest size at which the TS oracle runs (it is slow). */
  tsMaxUnknowns?: number;
  /** Repeated solves to time after the first one. */
  repeat?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** Deterministic pseudo-random numbers (mulberry32). */

/** Quarter disk (R = 5 µm) with about `nodes` nodes, random orientation per triangle, symmetry supports. */
export function quarterDiskSetup(nodes: number): KernelSetup {
  const rings = Math.max(4, Math.round(Math.sqrt(nodes / 0.8)));
  const mesh = diskMesh({ radius_um: 5, shape: 'quarter', rings });
  const rnd = seededUniform(12345);
  const triAngle = Float64Array.from({ length: mesh.triCount }, () => Math.PI * rnd());
  const fixed: number[] = [];
  for (const n of mesh.symmetryXNodes) fixed.push(2 * n);
  for (const n of mesh.symmetryYNodes) fixed.push(2 * n + 1);
  fixed.sort((a, b) => a - b);
  const unique = fixed.filter((d, i) => i === 0 || d !== fixed[i - 1]);
  return {
    nodeCount: mesh.nodeCount,
    coords_um: mesh.coords_um,
    triCount: mesh.triCount,
    triNodes: mesh.triNodes,
    triMaterial: new Uint32Array(mesh.triCount),
    triAngle_rad: triAngle,
    materials: [
      {
        D_ab_um2_s: 0.01,
        D_c_um2_s: 0.001,
        C11_MPa: 250e3,
        C12_MPa: 90e3,
        C13_MPa: 70e3,
        C33_MPa: 180e3,
        C44_MPa: 50e3,
        latticeX: Float64Array.from([0, 0.27, 0.45, 0.64, 0.8, 1]),
        latticeA: Float64Array.from([-0.012, -0.01, -0.0075, -0.005, -0.0025, 0]),
        latticeC: Float64Array.from([-0.025, -0.02, 0, 0.01, 0.005, 0]),
      },
    ],
    plane: 'strain',
    diffusionDofCount: mesh.nodeCount,
    diffusionDof: Uint32Array.from({ length: mesh.nodeCount }, (_, i) => i),
    interfaceCount: 0,
    interfaceNodes: new Uint32Array(0),
    interfaceMaterial: new Uint32Array(0),
    interfaceMaterials: [],
    fluxSegmentCount: mesh.surfaceCount,
    fluxSegmentNodes: mesh.surfaceNodes,
    fixedDofs: Uint32Array.from(unique),
  };
}

function fastest(xs: number[]): number {
  return xs.length ? Math.min(...xs) : NaN;
}

async function tsKernelFactory(): Promise<(() => Kernel) | null> {
  try {
    const mod = (await import('../src/engine/ts-kernel/index.js')) as { createTsKernel?: () => Kernel };
    return mod.createTsKernel ?? null;
  } catch {
    return null;
  }
}

function benchDiffusion(
  k: Kernel,
  s: KernelSetup,
  repeat: number,
): Omit<KernelBenchRow, 'kernel' | 'field' | 'setup_ms'> {
  const x = k.li();
  for (let i = 0; i < x.length; i++) x[i] = 1;
  const q = new Float64Array(s.fluxSegmentCount).fill(0.01);
  let t = performance.now();
  k.diffusionStep(1, q);
  const first = performance.now() - t;
  const times: number[] = [];
  let iterations = 0;
  for (let r = 0; r < repeat; r++) {
    t = performance.now();
    iterations = k.diffusionStep(1, q).iterations;
    times.push(performance.now() - t);
  }
  return {
    unknowns: s.diffusionDofCount,
    first_ms: first,
    repeat_ms: fastest(times),
    repeatIterations: iterations,
    bytesPerUnknown: 0,
  };
}

function benchElasticity(
  k: Kernel,
  s: KernelSetup,
  repeat: number,
): Omit<KernelBenchRow, 'kernel' | 'field' | 'setup_ms'> {
  const x = k.li();
  const X = s.coords_um;
  // a radial Li profile (delithiated surface): inhomogeneous eigenstrain
  const fill = (shift: number): void => {
    for (let i = 0; i < x.length; i++) x[i] = 1 - 0.6 * (Math.hypot(X[2 * i], X[2 * i + 1]) / 5) ** 2 - shift;
  };
  fill(0);
  const opts = { dt_s: 1, maxIterations: 5, tolerance: 1e-8 };
  let t = performance.now();
  k.mechanicsSolve(opts);
  const first = performance.now() - t;
  const times: number[] = [];
  let iterations = 0;
  for (let r = 0; r < repeat; r++) {
    fill(0.01 * (r + 1));
    t = performance.now();
    iterations = k.mechanicsSolve(opts).linearIterations;
    times.push(performance.now() - t);
  }
  const free = 2 * s.nodeCount - s.fixedDofs.length;
  return {
    unknowns: free,
    first_ms: first,
    repeat_ms: fastest(times),
    repeatIterations: iterations,
    bytesPerUnknown: 0,
  };
}

/** Run the benchmark; returns one row per (kernel, field, size). */
export async function runKernelBench(opts: KernelBenchOptions = {}): Promise<KernelBenchRow[]> {
  const sizes = opts.sizes ?? [10_000, 50_000, 200_000];
  const tsMax = opts.tsMaxUnknowns ?? 50_000;
  const repeat = opts.repeat ?? 5;
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const createTs = await tsKernelFactory();
  const rows: KernelBenchRow[] = [];
  for (const size of sizes) {
    for (const field of ['diffusion', 'elasticity'] as const) {
      const s = quarterDiskSetup(field === 'diffusion' ? size : size / 2);
      const makers: [KernelBenchRow['kernel'], () => Promise<Kernel>][] = [['wasm', () => createWasmKernel()]];
      if (createTs && size <= tsMax) makers.push(['ts', async () => createTs()]);
      for (const [name, make] of makers) {
        const k = await make();
        const t = performance.now();
        k.setup(s);
        const setup = performance.now() - t;
        const r = field === 'diffusion' ? benchDiffusion(k, s, repeat) : benchElasticity(k, s, repeat);
        const totalUnknowns = s.diffusionDofCount + 2 * s.nodeCount - s.fixedDofs.length;
        const row: KernelBenchRow = {
          kernel: name,
          field,
          setup_ms: setup,
          ...r,
          bytesPerUnknown: k.memoryBytes() / totalUnknowns,
        };
        rows.push(row);
        log(
          `${name} ${field} n=${row.unknowns}: setup ${setup.toFixed(0)} ms, first ${row.first_ms.toFixed(1)} ms, ` +
            `repeat ${row.repeat_ms.toFixed(1)} ms`,
        );
        k.dispose();
      }
    }
  }
  return rows;
}

/** Markdown table of the rows. */
export function kernelBenchTable(rows: KernelBenchRow[]): string {
  const head =
    '| kernel | field | unknowns | setup (ms) | first solve (ms) | repeated solve (ms) | PCG it. (repeat) | bytes / unknown |\n' +
    '|---|---|---:|---:|---:|---:|---:|---:|\n';
  return (
    head +
    rows
      .map(
        (r) =>
          `| ${r.kernel} | ${r.field} | ${r.unknowns} | ${r.setup_ms.toFixed(0)} | ${r.first_ms.toFixed(1)} | ` +
          `${r.repeat_ms.toFixed(2)} | ${r.repeatIterations} | ${r.bytesPerUnknown.toFixed(0)} |`,
      )
      .join('\n') +
    '\n'
  );
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = argValue('--sizes')?.split(',').map(Number);
  const tsMax = argValue('--ts-max');
  const repeat = argValue('--repeat');
  const rows = await runKernelBench({
    sizes,
    tsMaxUnknowns: tsMax ? Number(tsMax) : undefined,
    repeat: repeat ? Number(repeat) : undefined,
  });
  process.stdout.write(kernelBenchTable(rows));
}
