/**
 * The polycrystal a synthesis runs on: the same mesher and the same config keys (`geometry`, `microstructure`) as a
 * charge (src/scenario/build.ts `meshSpecFromConfig`, src/mesh `meshPolycrystal`), without a coating annulus or
 * pores (the WO3-ALD layer is nanometres thick and acts through its rates; the precursor is dense). The mesh hash
 * identifies the mesh in microstructure.json.
 */
import { createHash } from 'node:crypto';
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

/** sha256 of the mesh's nodes, triangles, grains and interfaces. */
export function meshHash(mesh: PolycrystalMesh): string {
  const h = createHash('sha256');
  for (const a of [mesh.coords_um, mesh.triNodes, mesh.triGrain, mesh.interfaceNodes, mesh.grainOrientation_rad])
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}
