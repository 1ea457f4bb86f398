/**
 * VTU files for ParaView: atomic writers on top of the pure XML builder in ./vtu-xml.ts (re-exported here).
 * `writeMeshVtu(mesh, path)` writes the mesh and `<stem>_interfaces.vtu` beside it.
 */
import { writeFileAtomic } from './atomic.js';
import type { PolycrystalMesh } from '../mesh/types.js';
import { buildVtu, interfaceVtuPiece, meshVtuPiece, type VtuFormat, type VtuPiece } from './vtu-xml.js';

export * from './vtu-xml.js';

/** Write a .vtu atomically (temporary sibling file, then rename). */
export function writeVtu(path: string, piece: VtuPiece, format: VtuFormat = 'binary'): void {
  writeFileAtomic(path, buildVtu(piece, format));
}

/** `<dir>/<stem>_interfaces.vtu` next to `<dir>/<stem>.vtu`. */
export function interfacesPathFor(meshPath: string): string {
  return meshPath.replace(/(\.vtu)?$/i, '_interfaces.vtu');
}

/**
 * Write `path` (the triangles: grain, region, orientation_rad) and `<stem>_interfaces.vtu` beside it (interface
 * line cells on the a-side nodes: grain_a, grain_b, kind — 0 grain boundary, 1 coating). Coordinates in µm, z = 0.
 * Returns the paths written.
 */
export function writeMeshVtu(mesh: PolycrystalMesh, path: string, format: VtuFormat = 'binary'): string[] {
  writeVtu(path, meshVtuPiece(mesh), format);
  const ifPath = interfacesPathFor(path);
  writeVtu(ifPath, interfaceVtuPiece(mesh), format);
  return [path, ifPath];
}
