/**
 * Mesher benchmark: generation time and memory for 100, 1 000 and 10 000 grains in a full disk of R = 5 µm, with
 * the mesh size chosen for ≈ 4 elements across a grain (h = d / 4, d the mean grain diameter). Prints a Markdown
 * table. Run: `npx tsx bench/mesh.ts` (add `node --expose-gc --import tsx bench/mesh.ts` for cleaner heap numbers).
 */
import { grainsFromMeanDiameter, meshPolycrystal, type MeshSpec, type PolycrystalMesh } from '../src/mesh/index.js';

export interface MeshBenchRow {
  grains: number;
  mesh_size_um: number;
  elements: number;
  nodes: number;
  interfaces: number;
  minAngle_deg: number;
  minAngleGenerated_deg: number;
  time_ms: number;
  heapDelta_MB: number;
  typedArrays_MB: number;
}

/** Bytes held by the mesh's typed arrays. */
export function meshTypedArrayBytes(mesh: PolycrystalMesh): number {
  let bytes = 0;
  for (const value of Object.values(mesh)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  return bytes;
}

const gc = (globalThis as { gc?: () => void }).gc;

export function benchMesh(grainCounts: number[] = [100, 1000, 10000], radius_um = 5, elementsAcrossGrain = 4): MeshBenchRow[] {
  const rows: MeshBenchRow[] = [];
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
    const mesh = meshPolycrystal(spec);
    const time = performance.now() - start;
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
      heapDelta_MB: (heapAfter - heapBefore) / 2 ** 20,
      typedArrays_MB: meshTypedArrayBytes(mesh) / 2 ** 20,
    });
  }
  return rows;
}

export function meshBenchMarkdown(rows: MeshBenchRow[]): string {
  const lines = [
    '| grains | h (µm) | elements | nodes | interfaces | min angle (°) | min generated (°) | time (ms) | heap Δ (MB) | typed arrays (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.grains} | ${r.mesh_size_um.toPrecision(3)} | ${r.elements} | ${r.nodes} | ${r.interfaces} | ` +
        `${r.minAngle_deg.toFixed(1)} | ${r.minAngleGenerated_deg.toFixed(1)} | ${r.time_ms.toFixed(0)} | ` +
        `${r.heapDelta_MB.toFixed(1)} | ${r.typedArrays_MB.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

/** For bench/run.ts: run and return the Markdown section. */
export function runMeshBench(): string {
  return `### Mesher (full disk, R = 5 µm, ≈ 4 elements across a grain)\n\n${meshBenchMarkdown(benchMesh())}\n`;
}

// Reference: the default quarter (mean grain 0.5 µm → grains), for context in the printed output.
export const REFERENCE_QUARTER_GRAINS = grainsFromMeanDiameter('quarter', 5, 0.5);

const isMain = typeof process !== 'undefined' && process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (isMain) {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log(runMeshBenchWith(counts.length ? counts : undefined));
}

function runMeshBenchWith(counts?: number[]): string {
  return `### Mesher (full disk, R = 5 µm, ≈ 4 elements across a grain)\n\n${meshBenchMarkdown(benchMesh(counts))}\n`;
}
