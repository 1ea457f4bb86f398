/**
 * Mesher benchmark: generation time and memory for 100, 1 000 and 10 000 grains in a full disk of R = 5 µm, with
 * the mesh size chosen for ≈ 4 elements across a grain (h = d / 4, d the mean grain diameter). Prints a Markdown
 * table. Run: `npx tsx bench/mesh.ts` (add `node --expose-gc --import tsx bench/mesh.ts` for cleaner heap numbers).
 */
import { meshPolycrystal, type MeshSpec, type PolycrystalMesh } from '../src/mesh/index.js';

export interface MeshBenchRow {
  grains: number;
  mesh_size_um: number;
  elements: number;
  nodes: number;
  interfaces: number;
  minAngle_deg: number;
  minAngleGenerated_deg: number;
  time_ms: number;
  /** CPU time of this process during the build (user + system): meaningful even on a busy machine. */
  cpu_ms: number;
  heapDelta_MB: number;
  typedArrays_MB: number;
  /** Peak resident set size of the process so far (rows run in increasing size, so ≈ this row's peak). */
  peakRss_MB: number;
}

/** Bytes held by the mesh's typed arrays. */
export function meshTypedArrayBytes(mesh: PolycrystalMesh): number {
  let bytes = 0;
  for (const value of Object.values(mesh)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  return bytes;
}

const gc = (globalThis as { gc?: () => void }).gc;

export function benchMesh(
  grainCounts: number[] = [100, 1000, 10000],
  radius_um = 5,
  elementsAcrossGrain = 4,
): MeshBenchRow[] {
  const rows: MeshBenchRow[] = [];
  // Warm-up (JIT) on a small mesh so the first row measures the mesher, not the compiler.
  meshPolycrystal({
    shape: 'full',
    radius_um,
    mesh_size_um: radius_um / 20,
    grains: 50,
    seed: 99,
    lloyd_iterations: 1,
    orientation: 'random',
    coating_thickness_um: 0,
    interfaces: 'cohesive',
  });
  for (const grains of grainCounts) {
    // Mean grain diameter from grains = πR² / (π d² / 4).
    const d = (2 * radius_um) / Math.sqrt(grains);
    const h = d / elementsAcrossGrain;
    const spec: MeshSpec = {
      shape: 'full',
      radius_um,
      mesh_size_um: h,
      grains,
      seed: 1,
      lloyd_iterations: 2,
      orientation: 'random',
      coating_thickness_um: 0,
      interfaces: 'cohesive',
    };
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const mesh = meshPolycrystal(spec);
    const time = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const heapAfter = process.memoryUsage().heapUsed;
    rows.push({
      grains,
      mesh_size_um: h,
      elements: mesh.triCount,
      nodes: mesh.nodeCount,
      interfaces: mesh.interfaceCount,
      minAngle_deg: mesh.stats.minAngle_deg,
      minAngleGenerated_deg: mesh.stats.minAngleGenerated_deg,
      time_ms: time,
      cpu_ms: (cpu.user + cpu.system) / 1000,
      heapDelta_MB: (heapAfter - heapBefore) / 2 ** 20,
      typedArrays_MB: meshTypedArrayBytes(mesh) / 2 ** 20,
      peakRss_MB: process.resourceUsage().maxRSS / 1024,
    });
  }
  return rows;
}

export function meshBenchMarkdown(rows: MeshBenchRow[]): string {
  const lines = [
    '| grains | h (µm) | elements | nodes | interfaces | min angle (°) | min generated (°) | wall (ms) | CPU (ms) | heap Δ (MB) | typed arrays (MB) | peak RSS (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.grains} | ${r.mesh_size_um.toPrecision(3)} | ${r.elements} | ${r.nodes} | ${r.interfaces} | ` +
        `${r.minAngle_deg.toFixed(1)} | ${r.minAngleGenerated_deg.toFixed(1)} | ${r.time_ms.toFixed(0)} | ${r.cpu_ms.toFixed(0)} | ` +
        `${r.heapDelta_MB.toFixed(1)} | ${r.typedArrays_MB.toFixed(1)} | ${r.peakRss_MB.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

/** For a caller in the same process: run and return the Markdown table. */
export function runMeshBench(grainCounts?: number[]): string {
  return meshBenchMarkdown(benchMesh(grainCounts));
}

const isMain =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''));
if (isMain) {
  const counts = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = benchMesh(counts.length > 0 ? counts : undefined);
  console.log(
    'Full disk, R = 5 µm, h = d/4 (≈ 4 elements across a grain of mean diameter d), cohesive interfaces, ' +
      'Lloyd × 2. CPU = user + system time of the process (wall time also counts waiting for a busy machine); ' +
      'heap Δ = JS heap retained after the build; typed arrays = the mesh output.\n\n' +
      meshBenchMarkdown(rows),
  );
}
