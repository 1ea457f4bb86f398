/**
 * Result snapshots (docs/outputs.md): the mesh pieces of `vtu.ts` plus the fields of one step.
 *   fields_NNNN.vtu      point data x, displacement (3 components, µm); cell data grain, region, orientation_rad,
 *                        stress_xx_MPa, stress_yy_MPa, stress_xy_MPa, stress_zz_MPa, max_principal_MPa, and
 *                        `inactive` for a synthesized particle
 *   interfaces_NNNN.vtu  line cells: damage, opening_nm, grain_a, grain_b, kind
 */
import type { PolycrystalMesh } from '../mesh/types.js';
import type { SimulationFields } from '../engine/simulation.js';
import { buildVtu, interfaceVtuPiece, meshVtuPiece, writeVtu, type VtuPiece } from './vtu.js';

export function solidSnapshotPiece(mesh: PolycrystalMesh, f: SimulationFields): VtuPiece {
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
    principal[t] = 0.5 * (sxx + syy) + Math.sqrt(0.25 * (sxx - syy) ** 2 + sxy * sxy);
  }
  const u3 = new Float64Array(3 * mesh.nodeCount);
  for (let i = 0; i < mesh.nodeCount; i++) {
    u3[3 * i] = f.displacement_um[2 * i];
    u3[3 * i + 1] = f.displacement_um[2 * i + 1];
  }
  piece.pointData = [
    { name: 'x', data: f.x },
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

export function interfaceSnapshotPiece(mesh: PolycrystalMesh, f: SimulationFields): VtuPiece {
  const piece = interfaceVtuPiece(mesh);
  piece.cellData = [
    { name: 'damage', data: f.damage },
    { name: 'opening_nm', data: f.opening_nm },
    ...(piece.cellData ?? []),
  ];
  return piece;
}

export function writeSolidVtu(path: string, mesh: PolycrystalMesh, f: SimulationFields): void {
  writeVtu(path, solidSnapshotPiece(mesh, f));
}

export function writeInterfaceVtu(path: string, mesh: PolycrystalMesh, f: SimulationFields): void {
  writeVtu(path, interfaceSnapshotPiece(mesh, f));
}

/** Browser-safe: the VTU text of a snapshot (no file system). */
export function snapshotVtuText(mesh: PolycrystalMesh, f: SimulationFields): { fields: string; interfaces: string } {
  return { fields: buildVtu(solidSnapshotPiece(mesh, f)), interfaces: buildVtu(interfaceSnapshotPiece(mesh, f)) };
}
