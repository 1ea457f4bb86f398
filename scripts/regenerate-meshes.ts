/**
 * Regenerate the reference meshes shipped in `meshes/` from their specs.
 *
 * For every `meshes/<name>.spec.json` ({ description, spec: MeshSpec }) this writes
 *   meshes/<name>.vtu               triangles, cell data grain / region / orientation_rad (base64 binary VTU)
 *   meshes/<name>_interfaces.vtu    interface line cells, cell data grain_a / grain_b / kind
 *   meshes/<name>.stats.json        MeshStats without the wall time (so the file only changes when the mesh does)
 * Meshing is deterministic: re-running on an unchanged mesher reproduces the files byte for byte.
 *
 * Run: npx tsx scripts/regenerate-meshes.ts [name …]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { meshPolycrystal, type MeshSpec } from '../src/mesh/index.js';
import { checkMesh } from '../src/mesh/validate.js';
import { writeMeshVtu } from '../src/io/vtu.js';
import { writeFileAtomic } from '../src/io/atomic.js';

const meshesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'meshes');
const only = new Set(process.argv.slice(2));
const specs = readdirSync(meshesDir)
  .filter((f) => f.endsWith('.spec.json'))
  .sort();
for (const file of specs) {
  const name = file.replace(/\.spec\.json$/, '');
  if (only.size > 0 && !only.has(name)) continue;
  const { spec } = JSON.parse(readFileSync(join(meshesDir, file), 'utf8')) as { spec: MeshSpec };
  const mesh = meshPolycrystal(spec);
  const problems = checkMesh(mesh);
  if (problems.length > 0) throw new Error(`${name}: mesh fails its checks:\n${problems.join('\n')}`);
  writeMeshVtu(mesh, join(meshesDir, `${name}.vtu`), 'binary');
  const { buildTime_ms, ...stats } = mesh.stats;
  writeFileAtomic(join(meshesDir, `${name}.stats.json`), JSON.stringify(stats, null, 2) + '\n');
  console.log(
    `${name}: ${stats.grainCount} grains, ${stats.triCount} triangles, ${stats.nodeCount} nodes, ` +
      `${stats.interfaceCount} interfaces, min angle ${stats.minAngle_deg.toFixed(1)}° ` +
      `(generated ${stats.minAngleGenerated_deg.toFixed(1)}°), porosity ${(100 * stats.porosity).toFixed(1)} %, ` +
      `${buildTime_ms.toFixed(0)} ms`,
  );
}
