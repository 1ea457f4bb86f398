/**
 * Reading a synthesized particle back (docs/synthesis.md §5): `microstructure.json` is checked against the mesh a
 * charge config would build (format, format version, engine version, mesh hash) before anything uses it. This is
 * the validation half of `"microstructure": { "from_synthesis": … }`; applying the particle to a charge (voids as
 * pores, rock-salt grains inactive, merged grains as one) is not wired into the charge yet. Errors name the key
 * `microstructure.from_synthesis`.
 */
import { readFileSync } from 'node:fs';
import type { PolycrystalMesh } from '../mesh/types.js';
import { ENGINE_VERSION } from '../version.js';
import { SynthesisConfigError } from './config.js';
import { meshHash } from './mesh-hash.js';
import {
  MICROSTRUCTURE_FORMAT,
  MICROSTRUCTURE_FORMAT_VERSION,
  type synthesizedMicrostructure,
} from './microstructure.js';

export type SynthesizedMicrostructure = ReturnType<typeof synthesizedMicrostructure>;

const KEY = 'microstructure.from_synthesis';

function fail(path: string, message: string): never {
  throw new SynthesisConfigError([{ key: KEY, message: `"${path}": ${message}` }]);
}

/**
 * Read and check a microstructure.json. With `mesh`, the file must have been computed on exactly that mesh (same
 * hash: same geometry, microstructure keys, seed and mesher version).
 */
export function loadSynthesizedMicrostructure(path: string, mesh?: PolycrystalMesh): SynthesizedMicrostructure {
  let data: SynthesizedMicrostructure;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as SynthesizedMicrostructure;
  } catch (e) {
    fail(path, `cannot read it as JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!data || typeof data !== 'object' || data.format !== MICROSTRUCTURE_FORMAT)
    fail(path, `is not a synthesized microstructure (format must be "${MICROSTRUCTURE_FORMAT}")`);
  if (data.format_version !== MICROSTRUCTURE_FORMAT_VERSION)
    fail(path, `has format_version ${data.format_version}; this chemofrac reads ${MICROSTRUCTURE_FORMAT_VERSION}`);
  if (data.engine_version !== ENGINE_VERSION)
    fail(
      path,
      `was written by chemofrac ${data.engine_version}, this is ${ENGINE_VERSION}; the mesh may differ, run the synthesis again`,
    );
  if (mesh) {
    const hash = meshHash(mesh);
    if (data.mesh?.hash_sha256 !== hash)
      fail(
        path,
        `was computed on another mesh (hash ${String(data.mesh?.hash_sha256).slice(0, 12)}…, this config's mesh ${hash.slice(0, 12)}…); ` +
          'use the geometry and microstructure keys stored in the file (mesh.geometry, mesh.microstructure)',
      );
    if (!Array.isArray(data.grains) || data.grains.length !== mesh.grainCount)
      fail(path, `has ${data.grains?.length} grains, the mesh ${mesh.grainCount}`);
  }
  return data;
}
