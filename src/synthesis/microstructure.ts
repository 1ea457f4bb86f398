/**
 * microstructure.json (docs/synthesis.md §5): the synthesized particle in the terms a charge can use — the mesh
 * it was computed on (engine version, mesh hash, the geometry/microstructure keys that rebuild it), per-grain
 * lithiated / rock-salt / void fractions, the grain boundaries with their final opening, and the merged grain
 * groups. Loading it into a charge (`"microstructure": { "from_synthesis": … }`) is not implemented yet.
 */
import type { SynthesisConfig } from './config.js';
import { mergedGrains } from './closure.js';
import { meshHash } from './mesh-hash.js';
import type { SynthesisModel } from './model.js';
import { ENGINE_VERSION } from '../version.js';

export const MICROSTRUCTURE_FORMAT = 'chemofrac-synthesized-microstructure';
export const MICROSTRUCTURE_FORMAT_VERSION = 1;

export function synthesizedMicrostructure(model: SynthesisModel, config: SynthesisConfig) {
  const mesh = model.mesh;
  const out = config.synthesis.output;
  const { boundaries, groups, grainGroup } = mergedGrains(
    mesh,
    model.opening,
    model.transport.interfaceLength_um,
    out.open_threshold,
    out.merge_threshold,
    out.merge_misorientation_deg,
  );
  const lith = model.grainMeans(model.XL);
  const rs = model.grainMeans(model.XRS);
  const voids = model.grainMeans(model.voidField());
  return {
    format: MICROSTRUCTURE_FORMAT,
    format_version: MICROSTRUCTURE_FORMAT_VERSION,
    engine_version: ENGINE_VERSION,
    mesh: {
      hash_sha256: meshHash(mesh),
      geometry: config.geometry,
      microstructure: config.microstructure,
      nodeCount: mesh.nodeCount,
      triCount: mesh.triCount,
      grainCount: mesh.grainCount,
      interfaceCount: mesh.interfaceCount,
    },
    end: { time_s: model.time_s, T_C: model.T_C },
    grains: Array.from({ length: mesh.grainCount }, (_, g) => ({
      grain: g,
      area_um2: mesh.grainArea_um2[g],
      lithiated: lith[g],
      rock_salt: rs[g],
      void: voids[g],
      merged_into: grainGroup[g],
    })),
    merged_groups: groups,
    boundaries,
  };
}
