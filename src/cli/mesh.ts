/** `chemofrac mesh <config> --out mesh.vtu`: build the particle a config describes and write it for ParaView. */
import { resolveConfig } from '../scenario/resolve.js';
import { meshSpecFromConfig } from '../scenario/build.js';
import { meshPolycrystal } from '../mesh/index.js';
import { writeMeshVtu } from '../io/vtu.js';
import { UserError } from '../errors.js';

export async function meshCommand(config: unknown, opts: { out: string }): Promise<void> {
  if (!opts.out.endsWith('.vtu')) throw new UserError(`--out: got "${opts.out}"; the mesh file name must end in .vtu`);
  const resolved = resolveConfig(config);
  const mesh = meshPolycrystal(meshSpecFromConfig(resolved));
  const written = writeMeshVtu(mesh, opts.out);
  const s = mesh.stats;
  console.log(
    `${s.grainCount} grains, ${s.triCount} elements, ${s.nodeCount} nodes, ${s.interfaceCount} interface elements, ` +
      `min angle ${s.minAngle_deg.toFixed(1)}°, porosity ${(100 * s.porosity).toFixed(1)} %, ${s.buildTime_ms.toFixed(0)} ms → ` +
      (Array.isArray(written) ? written.join(', ') : opts.out),
  );
}
