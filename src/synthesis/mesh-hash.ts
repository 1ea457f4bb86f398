/**
 * The mesh hash of a synthesis (Node only: node:crypto). It names the mesh a synthesis ran on in summary.json and
 * microstructure.json, and a charge that loads a synthesized particle checks it (src/synthesis/load-microstructure.ts).
 * Kept apart from src/synthesis/mesh.ts so that the browser, which builds the mesh and runs the model but writes no
 * files, imports no Node module.
 */
import { createHash } from 'node:crypto';
import type { PolycrystalMesh } from '../mesh/types.js';

/** sha256 of the mesh's nodes, triangles, grains and interfaces. */
export function meshHash(mesh: PolycrystalMesh): string {
  const h = createHash('sha256');
  for (const a of [mesh.coords_um, mesh.triNodes, mesh.triGrain, mesh.interfaceNodes, mesh.grainOrientation_rad])
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}
