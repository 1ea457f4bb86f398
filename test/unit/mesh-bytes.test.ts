/**
 * The mesher's output, byte for byte: SHA-256 of every array of the mesh for a few specs (bare, coated, porous,
 * full disk, spread grain sizes). Refactoring the mesher must keep these hashes; a deliberate change of the
 * mesher changes them, and the commit says why. (The last change: the mesher computes sin, cos, atan2, asin, acos,
 * exp, log and hypot with src/math/portable.ts, the same bits in every JavaScript engine, instead of Math.*: node
 * coordinates and grain areas moved by round-off (≤ 1e-14 µm, ≤ 5e-15 relative), the node and triangle counts
 * stayed, but some refinement decisions and the node numbering changed with them, so every digest changed.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { meshPolycrystal, POROSITY_PRESETS, type MeshSpec, type PolycrystalMesh } from '../../src/mesh/index.js';

const small: MeshSpec = {
  shape: 'quarter',
  radius_um: 5,
  mesh_size_um: 0.15,
  grains: 40,
  seed: 3,
  lloyd_iterations: 2,
  orientation: 'random',
  coating_thickness_um: 0,
  interfaces: 'cohesive',
};

/**
 * SHA-256 over the mesh's typed arrays (in key order, each with its name and type), its counts and its stats (but the
 * wall time). `grainCell` (each grain's Voronoi cell, added for synthesized particles) is left out so the recorded
 * digests keep pinning the arrays they were recorded on; test/synthesis/charge.test.ts checks it.
 */
export function meshDigest(m: PolycrystalMesh): string {
  const hash = createHash('sha256');
  const record = m as unknown as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (key === 'grainCell') continue;
    const v = record[key];
    if (ArrayBuffer.isView(v)) {
      hash.update(`${key}:${v.constructor.name}:${v.byteLength};`);
      hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else if (key === 'stats') {
      const { buildTime_ms: _wallTime, ...stats } = m.stats;
      hash.update(`stats=${JSON.stringify(stats)};`); // every number printed exactly
    } else hash.update(`${key}=${JSON.stringify(v)};`);
  }
  return hash.digest('hex').slice(0, 16);
}

const CASES: [string, MeshSpec, string][] = [
  ['quarter bare', small, '78172b75106dad30'],
  ['quarter coated', { ...small, coating_thickness_um: 0.16, seed: 5 }, '1cd05797c4abea26'],
  ['quarter gradient porous', { ...small, porosity: POROSITY_PRESETS.gradient, seed: 7 }, '99f1e4b42de0f36b'],
  [
    'full disk, one Lloyd step',
    { ...small, shape: 'full', grains: 120, mesh_size_um: 0.25, lloyd_iterations: 1 },
    'd6caa372d05b2cd9',
  ],
  ['quarter, spread grain sizes', { ...small, size_spread: 0.4, seed: 11 }, '2236ece03cb186c2'],
];

describe('mesher output is byte-identical to the recorded hashes', () => {
  for (const [name, spec, digest] of CASES) {
    it(name, () => {
      expect(meshDigest(meshPolycrystal(spec))).toBe(digest);
    });
  }
});
