/**
 * Result snapshots (docs/outputs.md): the mesh pieces of `vtu.ts` plus the fields of one step.
 *   fields_NNNN.vtu      point data x, displacement (3 components, µm); cell data grain, region, orientation_rad,
 *                        stress_xx_MPa, stress_yy_MPa, stress_xy_MPa, stress_zz_MPa, max_principal_MPa, and
 *                        `inactive` for a synthesized particle
 *   interfaces_NNNN.vtu  line cells: damage, opening_nm, grain_a, grain_b, kind
 */
import type { SimulationFields } from '../engine/simulation.js';
import type { PolycrystalMesh } from '../mesh/types.js';
import {
  buildVtu,
  interfaceVtuPiece,
  meshVtuPiece,
  type InterfaceMeshArrays,
  type SolidMeshArrays,
  type VtuPiece,
} from './vtu-xml.js';

/** What a snapshot needs of the mesh: the CLI passes its `PolycrystalMesh`, the browser its worker copy. */
export type SnapshotMesh = SolidMeshArrays & InterfaceMeshArrays & Partial<Pick<PolycrystalMesh, 'grainInactive'>>;
/** What a snapshot needs of the fields (`SimulationFields`, or the browser's Float32 copy). */
export type SnapshotFields = { [K in keyof SimulationFields]: ArrayLike<number> };

export function solidSnapshotPiece(mesh: SnapshotMesh, f: SnapshotFields): VtuPiece {
  const piece = meshVtuPiece(mesh);
  const n = mesh.triCount;
  const comp = (k: number) => {
    const a = new Float64Array(n);
    for (let t = 0; t < n; t++) a[t] = f.stress_MPa[4 * t + k];
    return a;
  };
  const principal = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const sxx = f.stress_MPa[4 * t];
    const syy = f.stress_MPa[4 * t + 1];
    const sxy = f.stress_MPa[4 * t + 2];
    principal[t] = 0.5 * (sxx + syy) + Math.sqrt(0.25 * (sxx - syy) * (sxx - syy) + sxy * sxy);
  }
  const u3 = new Float64Array(3 * mesh.nodeCount);
  for (let i = 0; i < mesh.nodeCount; i++) {
    u3[3 * i] = f.displacement_um[2 * i];
    u3[3 * i + 1] = f.displacement_um[2 * i + 1];
  }
  piece.pointData = [
    { name: 'x', data: Float64Array.from(f.x) },
    { name: 'displacement', data: u3, components: 3 },
  ];
  piece.cellData = [
    ...(piece.cellData ?? []),
    { name: 'stress_xx_MPa', data: comp(0) },
    { name: 'stress_yy_MPa', data: comp(1) },
    { name: 'stress_xy_MPa', data: comp(2) },
    { name: 'stress_zz_MPa', data: comp(3) },
    { name: 'max_principal_MPa', data: principal },
  ];
  // a synthesized particle (docs/synthesis.md §9): 1 in the inactive rock-salt grains
  const inactive = mesh.grainInactive;
  if (inactive)
    piece.cellData.push({
      name: 'inactive',
      data: Uint8Array.from(mesh.triGrain, (g) => (g >= 0 ? inactive[g] : 0)),
    });
  return piece;
}

export function interfaceSnapshotPiece(mesh: SnapshotMesh, f: SnapshotFields): VtuPiece {
  const piece = interfaceVtuPiece(mesh);
  piece.cellData = [
    { name: 'damage', data: Float64Array.from(f.damage) },
    { name: 'opening_nm', data: Float64Array.from(f.opening_nm) },
    ...(piece.cellData ?? []),
  ];
  return piece;
}

/** Browser-safe (no file system): the VTU text of a snapshot, the same files the CLI writes. */
export function snapshotVtuText(mesh: SnapshotMesh, f: SnapshotFields): { fields: string; interfaces: string } {
  return { fields: buildVtu(solidSnapshotPiece(mesh, f)), interfaces: buildVtu(interfaceSnapshotPiece(mesh, f)) };
}
