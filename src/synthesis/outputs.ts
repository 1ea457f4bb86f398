/**
 * Synthesis outputs (docs/synthesis.md §5): history.csv, fields_NNNN.vtu, profiles.csv (radial profiles in the
 * 50–100 % rings at every snapshot) and summary.json, through the atomic writers.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { csvTable } from '../io/csv.js';
import { buildVtu, meshVtuPiece } from '../io/vtu-xml.js';
import { SYNTHESIS_HISTORY_COLUMNS, type RingProfile, type SynthesisModel } from './model.js';

export interface SnapshotInfo {
  index: number;
  file: string | null;
  time_s: number;
  T_C: number;
  /** The program step that just ended (−1: the start). */
  program_step: number;
  rings: RingProfile[];
}

export function writeHistory(dir: string, model: SynthesisModel): void {
  writeFileAtomic(join(dir, 'history.csv'), csvTable([...SYNTHESIS_HISTORY_COLUMNS], model.history));
}

/** fields_NNNN.vtu: the mesh with cell data lithiated, rock_salt, void, precursor (+ grain, region, orientation). */
export function snapshotVtu(model: SynthesisModel): string {
  const piece = meshVtuPiece(model.mesh);
  const lith = model.triangleField(model.XL);
  const rs = model.triangleField(model.XRS);
  const voids = model.triangleField(model.voidField());
  const pre = lith.map((v, t) => Math.max(0, 1 - v - rs[t]));
  piece.cellData = [
    { name: 'lithiated', data: lith },
    { name: 'rock_salt', data: rs },
    { name: 'void', data: voids },
    { name: 'precursor', data: pre },
    ...(piece.cellData ?? []),
  ];
  piece.pointData = [{ name: 'li_solution', data: Float64Array.from(model.c) }];
  return buildVtu(piece, 'binary');
}

export function writeSnapshot(
  dir: string,
  model: SynthesisModel,
  index: number,
  programStep: number,
  vtu: boolean,
): SnapshotInfo {
  const file = vtu ? `fields_${String(index).padStart(4, '0')}.vtu` : null;
  if (file) writeFileAtomic(join(dir, file), snapshotVtu(model));
  return { index, file, time_s: model.time_s, T_C: model.T_C, program_step: programStep, rings: model.ringProfiles() };
}

export function writeProfiles(dir: string, snapshots: SnapshotInfo[]): void {
  const rows = snapshots.flatMap((s) =>
    s.rings.map((r) => ({
      snapshot: s.index,
      time_s: s.time_s,
      T_C: s.T_C,
      r0_um: r.r0_um,
      r1_um: r.r1_um,
      lithiated: r.lithiated,
      rock_salt: r.rock_salt,
      void: r.void,
    })),
  );
  writeFileAtomic(
    join(dir, 'profiles.csv'),
    csvTable(['snapshot', 'time_s', 'T_C', 'r0_um', 'r1_um', 'lithiated', 'rock_salt', 'void'], rows),
  );
}
