/**
 * The polycrystal a synthesis runs on: the same mesher and the same config keys (`geometry`, `microstructure`) as a
 * charge (src/scenario/build.ts `meshSpecFromConfig`, src/mesh `meshPolycrystal`), without a coating annulus or
 * pores (the WO3-ALD layer is nanometres thick and acts through its rates; the precursor is dense). Pure (no Node
 * module): the browser's synthesis view builds the mesh here too; the mesh hash is in mesh-hash.ts (node:crypto).
 */
import { meshPolycrystal } from '../mesh/index.js';
import type { PolycrystalMesh } from '../mesh/types.js';
import { meshSpecFromConfig } from '../scenario/build.js';
import { resolveConfig, type ResolvedConfig } from '../scenario/resolve.js';
import type { SynthesisConfig } from './config.js';

/** The charge config whose mesh is the synthesis mesh (default material, cohesive boundaries). */
export function chargeConfigFor(config: SynthesisConfig): ResolvedConfig {
  return resolveConfig({
    name: config.name ?? 'synthesis',
    geometry: config.geometry,
    microstructure: config.microstructure,
  });
}

export function buildSynthesisMesh(config: SynthesisConfig): PolycrystalMesh {
  return meshPolycrystal(meshSpecFromConfig(chargeConfigFor(config)));
}
