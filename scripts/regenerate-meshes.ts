/**
 * Regenerate the reference meshes of `meshes/` from their specs.
 *
 * For every `meshes/<name>.spec.json` ({ description, spec: MeshSpec }) this writes
 *   meshes/<name>.stats.json          MeshStats without the wall time (tracked; the unit tests compare against it)
 *   meshes/vtu/<name>.vtu             triangles, cell data grain / region / orientation_rad (base64 binary VTU)
 *   meshes/vtu/<name>_interfaces.vtu  interface line cells, cell data grain_a / grain_b / kind
 * The VTU files are for looking at the meshes in ParaView only: no code or test reads them, so they are not tracked
 * (meshes/vtu/ is git-ignored) and not shipped in the package.
 * Meshing is deterministic: re-running on an unchanged mesher reproduces the files byte for byte.
 *
 * Run: npx tsx scripts/regenerate-meshes.ts [name …]
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { meshPolycrystal, type MeshSpec } from '../src/mesh/index.js';
import { checkMesh } from '../src/mesh/validate.js';
import { writeMeshVtu } from '../src/io/vtu.js';
import { writeFileAtomic } from '../src/io/atomic.js';

const meshesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'meshes');
const vtuDir = join(meshesDir, 'vtu');
mkdirSync(vtuDir, { recursive: true });
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
  writeMeshVtu(mesh, join(vtuDir, `${name}.vtu`), 'binary');
  const { buildTime_ms, ...stats } = mesh.stats;
  writeFileAtomic(join(meshesDir, `${name}.stats.json`), JSON.stringify(stats, null, 2) + '\n');
  console.log(
    `${name}: ${stats.grainCount} grains, ${stats.triCount} triangles, ${stats.nodeCount} nodes, ` +
      `${stats.interfaceCount} interfaces, min angle ${stats.minAngle_deg.toFixed(1)}° ` +
      `(generated ${stats.minAngleGenerated_deg.toFixed(1)}°), porosity ${(100 * stats.porosity).toFixed(1)} %, ` +
      `${buildTime_ms.toFixed(0)} ms`,
  );
}
