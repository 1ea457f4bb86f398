/**
 * Mesher: contract invariants (conformity, interface elements, node copies, boundary lists, areas), determinism,
 * quality, coating, porosity profile, isolated grains and bad input.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  grainsFromMeanDiameter,
  INTERFACE_COATING,
  INTERFACE_GRAIN_BOUNDARY,
  MeshInputError,
  meshPolycrystal,
  POROSITY_PRESETS,
  presetMeshSpec,
  REGION_COATING,
  targetPorosityAt,
  type MeshSpec,
  type PolycrystalMesh,
} from '../../src/mesh/index.js';
import { checkMesh } from '../../src/mesh/validate.js';

const R = 5;
/** A small, fast quarter (h = 0.15 µm, 40 grains). */
const small: MeshSpec = {
  shape: 'quarter',
  radius_um: R,
  mesh_size_um: 0.15,
  grains: 40,
  seed: 3,
  lloyd_iterations: 2,
  orientation: 'random',
  coating_thickness_um: 0,
  interfaces: 'cohesive',
};
/** The reference quarter of docs/physics.md: mean grain diameter 0.5 µm, h = 0.1 µm. */
const reference: MeshSpec = { ...small, mesh_size_um: 0.1, grains: grainsFromMeanDiameter('quarter', R, 0.5) };

function triangleArea(m: PolycrystalMesh, t: number): number {
  const X = m.coords_um;
  const [a, b, c] = [m.triNodes[3 * t], m.triNodes[3 * t + 1], m.triNodes[3 * t + 2]];
  return (
    ((X[2 * b] - X[2 * a]) * (X[2 * c + 1] - X[2 * a + 1]) - (X[2 * b + 1] - X[2 * a + 1]) * (X[2 * c] - X[2 * a])) / 2
  );
}

/** Area of the regular polygon inscribed in a circle of radius r, from its vertices on the circle (sum of chords). */
function sumOfTriangles(m: PolycrystalMesh, keep: (t: number) => boolean): number {
  let a = 0;
  for (let t = 0; t < m.triCount; t++) if (keep(t)) a += triangleArea(m, t);
  return a;
}

describe('meshPolycrystal: contract invariants', () => {
  const cases: [string, MeshSpec][] = [
    ['quarter bare', small],
    ['quarter coated', { ...small, coating_thickness_um: 0.16 }],
    ['quarter porous', { ...small, porosity: POROSITY_PRESETS.gradient }],
    ['quarter coated porous', { ...small, coating_thickness_um: 0.16, porosity: { uniform: 0.25 } }],
    ['full bare', { ...small, shape: 'full', grains: 120, mesh_size_um: 0.2 }],
    ['full, interfaces none', { ...small, shape: 'full', grains: 60, mesh_size_um: 0.2, interfaces: 'none' }],
    ['single crystal quarter', { ...small, grains: 1 }],
    ['single crystal full', { ...small, shape: 'full', grains: 1, mesh_size_um: 0.25 }],
    ['raw Voronoi (no Lloyd), size spread', { ...small, lloyd_iterations: 0, size_spread: 0.6 }],
  ];
  for (const [name, spec] of cases) {
    it(`${name}: conforming, CCW, one interface per boundary edge, boundary lists complete, areas close`, () => {
      const m = meshPolycrystal(spec);
      expect(checkMesh(m)).toEqual([]);
      expect(m.triCount).toBeGreaterThan(100);
      expect(m.stats.triCount).toBe(m.triCount);
      expect(m.stats.nodeCount).toBe(m.nodeCount);
      expect(m.grainOrientation_rad.length).toBe(m.grainCount);
      // Grain areas from triangles add up to the solid grain area.
      let grainSum = 0;
      for (const a of m.grainArea_um2) {
        expect(a).toBeGreaterThan(0);
        grainSum += a;
      }
      const grainTris = sumOfTriangles(m, (t) => m.triGrain[t] >= 0);
      expect(grainSum).toBeWithin(grainTris, { rel: 1e-9 });
      // Solid + pores = the polygonal particle, which is the disk up to the chord error O(h²/R²).
      const frac = spec.shape === 'quarter' ? 0.25 : 1;
      const particle = m.stats.particleArea_um2;
      expect(particle).toBeWithin(frac * Math.PI * R * R, { rel: 1e-3 });
      const solid = sumOfTriangles(m, () => true);
      expect(m.stats.solidArea_um2).toBeWithin(solid, { rel: 1e-9 });
      if (spec.interfaces === 'none') expect(m.interfaceCount).toBe(0);
      if (spec.grains === 1 && !spec.coating_thickness_um) expect(m.interfaceCount).toBe(0);
    });
  }

  it('every grain-boundary subsegment carries exactly one interface element joining coincident copies', () => {
    const m = meshPolycrystal(reference);
    expect(checkMesh(m)).toEqual([]);
    // Interface lengths add up to the reported grain-boundary length.
    let length = 0;
    const X = m.coords_um;
    for (let i = 0; i < m.interfaceCount; i++) {
      const [a0, a1, b0, b1] = m.interfaceNodes.subarray(4 * i, 4 * i + 4);
      expect(X[2 * a0]).toBe(X[2 * b0]);
      expect(X[2 * a0 + 1]).toBe(X[2 * b0 + 1]);
      expect(X[2 * a1]).toBe(X[2 * b1]);
      expect(X[2 * a1 + 1]).toBe(X[2 * b1 + 1]);
      expect(m.interfaceKind[i]).toBe(INTERFACE_GRAIN_BOUNDARY);
      expect(m.interfaceGrainA[i]).toBeLessThan(m.interfaceGrainB[i]);
      length += Math.hypot(X[2 * a1] - X[2 * a0], X[2 * a1 + 1] - X[2 * a0 + 1]);
    }
    expect(length).toBeCloseTo(m.stats.grainBoundaryLength_um, 9);
    // Triple (and higher) junctions: some points carry ≥ 3 copies.
    const copies = new Map<string, number>();
    for (let n = 0; n < m.nodeCount; n++) {
      const k = `${X[2 * n]},${X[2 * n + 1]}`;
      copies.set(k, (copies.get(k) ?? 0) + 1);
    }
    const maxCopies = Math.max(...copies.values());
    expect(maxCopies).toBeGreaterThanOrEqual(3);
    // Surface: valid grains, length = the polygonal arc ≈ πR/2.
    expect(m.surfaceCount).toBeGreaterThan(0);
    for (const g of m.surfaceGrain) expect(g >= 0 && g < m.grainCount).toBe(true);
    expect(m.stats.surfaceLength_um).toBeWithin((Math.PI * R) / 2, { rel: 1e-3 });
    // Quarter symmetry lists: exactly the nodes on x = 0 / y = 0, every copy.
    const onX = [];
    const onY = [];
    for (let n = 0; n < m.nodeCount; n++) {
      if (X[2 * n] === 0) onX.push(n);
      if (X[2 * n + 1] === 0) onY.push(n);
    }
    expect(Array.from(m.symmetryXNodes)).toEqual(onX);
    expect(Array.from(m.symmetryYNodes)).toEqual(onY);
    expect(onX.length).toBeGreaterThan(R / 0.1);
  });
});

describe('meshPolycrystal: junctions', () => {
  it('collapsed short boundaries give 4-grain junctions: one node copy per region, all invariants hold', () => {
    let fourCopies = 0;
    for (const seed of [1, 2, 3]) {
      const m = meshPolycrystal({ ...small, seed, grains: 150, lloyd_iterations: 0 });
      expect(checkMesh(m)).toEqual([]);
      const X = m.coords_um;
      const copies = new Map<string, number>();
      for (let n = 0; n < m.nodeCount; n++) {
        const k = `${X[2 * n]},${X[2 * n + 1]}`;
        copies.set(k, (copies.get(k) ?? 0) + 1);
      }
      for (const c of copies.values()) if (c >= 4) fourCopies++;
    }
    expect(fourCopies).toBeGreaterThan(0);
  });
});

describe('meshPolycrystal: determinism', () => {
  const arrays = (m: PolycrystalMesh) =>
    [
      m.coords_um,
      m.triNodes,
      m.triGrain,
      m.triRegion,
      m.grainOrientation_rad,
      m.interfaceNodes,
      m.interfaceGrainA,
      m.interfaceGrainB,
      m.surfaceNodes,
      m.surfaceGrain,
      m.poreWallNodes,
      m.symmetryXNodes,
      m.symmetryYNodes,
    ].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));

  it('same spec and seed → byte-identical arrays', () => {
    const spec: MeshSpec = { ...small, porosity: POROSITY_PRESETS.gradient, coating_thickness_um: 0.16 };
    const a = arrays(meshPolycrystal(spec));
    const b = arrays(meshPolycrystal(spec));
    a.forEach((buf, i) => expect(Buffer.compare(buf, b[i])).toBe(0));
  });

  it('different seeds → different meshes', () => {
    const a = meshPolycrystal({ ...small, seed: 1 });
    const b = meshPolycrystal({ ...small, seed: 2 });
    expect(Buffer.compare(arrays(a)[0], arrays(b)[0])).not.toBe(0);
    expect(Buffer.compare(arrays(a)[4], arrays(b)[4])).not.toBe(0);
  });
});

describe('meshPolycrystal: quality', () => {
  it('minimum angle of generated triangles ≥ 20° on several seeds, quarter and full', () => {
    for (const seed of [1, 2, 3, 4]) {
      for (const spec of [
        { ...reference, seed },
        { ...small, seed, shape: 'full' as const, grains: 150, mesh_size_um: 0.2, lloyd_iterations: seed % 2 },
      ]) {
        const m = meshPolycrystal(spec);
        expect(m.stats.minAngleGenerated_deg).toBeGreaterThanOrEqual(20);
        expect(m.stats.minAngle_deg).toBeGreaterThan(0);
        expect(m.stats.minAngle_deg).toBeLessThanOrEqual(m.stats.minAngleGenerated_deg);
      }
    }
  });

  it('element count follows the mesh size: ≈ area / (0.43 h²)', () => {
    const m = meshPolycrystal(reference);
    const estimate = (Math.PI * R * R) / 4 / (0.43 * 0.1 * 0.1);
    expect(m.triCount / estimate).toBeGreaterThan(0.8);
    expect(m.triCount / estimate).toBeLessThan(1.5);
  });
});

describe('meshPolycrystal: grain-size spread', () => {
  it('size_spread σ widens the distribution of ln(grain diameter) to ≈ σ (Lloyd keeps it)', () => {
    const sdLnDiameter = (m: PolycrystalMesh) => {
      const logs = Array.from(m.grainArea_um2).map((a) => 0.5 * Math.log(a));
      const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
      return Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / logs.length);
    };
    const spec: MeshSpec = { ...small, shape: 'full', grains: 300, mesh_size_um: 0.2, lloyd_iterations: 2 };
    const none = sdLnDiameter(meshPolycrystal(spec));
    const spread = sdLnDiameter(meshPolycrystal({ ...spec, size_spread: 0.6 }));
    expect(none).toBeLessThan(0.3);
    expect(spread).toBeGreaterThan(0.45);
    expect(spread).toBeLessThan(0.75);
  });
});

describe('meshPolycrystal: coating', () => {
  it('coating annulus R < r < R + t: own region, bonded by coating interfaces, ≥ 2 elements through t', () => {
    const t = 0.16;
    const m = meshPolycrystal({ ...reference, coating_thickness_um: t });
    expect(checkMesh(m)).toEqual([]);
    const coatingArea = sumOfTriangles(m, (k) => m.triRegion[k] === REGION_COATING);
    const annulus = (Math.PI / 4) * ((R + t) ** 2 - R ** 2);
    expect(coatingArea).toBeWithin(annulus, { rel: 1e-3 });
    let coatingTris = 0;
    for (let k = 0; k < m.triCount; k++) {
      if (m.triRegion[k] !== REGION_COATING) continue;
      coatingTris++;
      expect(m.triGrain[k]).toBe(-1);
      // Every coating triangle lies in the annulus.
      for (let j = 0; j < 3; j++) {
        const n = m.triNodes[3 * k + j];
        const r = Math.hypot(m.coords_um[2 * n], m.coords_um[2 * n + 1]);
        expect(r).toBeGreaterThan(R - 1e-9);
        expect(r).toBeLessThan(R + t + 1e-9);
      }
    }
    // Two layers: ≈ 4 triangles per outer surface segment (one layer would give ≈ 2).
    expect(coatingTris).toBeGreaterThan(3.5 * m.surfaceCount);
    // Coating interface elements: grain on side a, coating (−1) on side b; their length is the arc length.
    let coatingLength = 0;
    for (let i = 0; i < m.interfaceCount; i++) {
      if (m.interfaceKind[i] !== INTERFACE_COATING) continue;
      expect(m.interfaceGrainB[i]).toBe(-1);
      expect(m.interfaceGrainA[i]).toBeGreaterThanOrEqual(0);
      const [a0, a1] = m.interfaceNodes.subarray(4 * i, 4 * i + 2);
      coatingLength += Math.hypot(
        m.coords_um[2 * a1] - m.coords_um[2 * a0],
        m.coords_um[2 * a1 + 1] - m.coords_um[2 * a0 + 1],
      );
    }
    expect(coatingLength).toBeWithin((Math.PI * R) / 2, { rel: 1e-3 });
    // Flux surface = the coating's outer arc, each segment tagged with the grain under it.
    expect(m.stats.surfaceLength_um).toBeWithin((Math.PI * (R + t)) / 2, { rel: 1e-3 });
    const X = m.coords_um;
    const angleOf = (n: number) => Math.atan2(X[2 * n + 1], X[2 * n]);
    const spans: { a0: number; a1: number; grain: number }[] = [];
    for (let i = 0; i < m.interfaceCount; i++) {
      if (m.interfaceKind[i] !== INTERFACE_COATING) continue;
      const [a0, a1] = m.interfaceNodes.subarray(4 * i, 4 * i + 2);
      spans.push({
        a0: Math.min(angleOf(a0), angleOf(a1)),
        a1: Math.max(angleOf(a0), angleOf(a1)),
        grain: m.interfaceGrainA[i],
      });
    }
    for (let s = 0; s < m.surfaceCount; s++) {
      const g = m.surfaceGrain[s];
      expect(g >= 0 && g < m.grainCount).toBe(true);
      // The grain under the segment's midpoint angle (on the grain | coating interface) is g.
      const [p, q] = m.surfaceNodes.subarray(2 * s, 2 * s + 2);
      const angle = Math.atan2(X[2 * p + 1] + X[2 * q + 1], X[2 * p] + X[2 * q]);
      const under = spans.filter((sp) => angle >= sp.a0 - 1e-12 && angle <= sp.a1 + 1e-12).map((sp) => sp.grain);
      expect(under).toContain(g);
    }
  });
});

describe('meshPolycrystal: pores', () => {
  it('gradient preset: ring porosity follows φ(r) averaged over 5 seeds', () => {
    const rings = 5;
    const sum = new Float64Array(rings);
    let overall = 0;
    const seeds = [1, 2, 3, 4, 5];
    for (const seed of seeds) {
      const m = meshPolycrystal({ ...reference, seed, porosity: POROSITY_PRESETS.gradient });
      expect(m.stats.porosityByRing.length).toBe(rings);
      m.stats.porosityByRing.forEach((r, k) => (sum[k] += r.porosity / seeds.length));
      overall += m.stats.porosity / seeds.length;
      expect(m.poreWallCount).toBeGreaterThan(0);
    }
    const m0 = meshPolycrystal({ ...reference, seed: 1, porosity: POROSITY_PRESETS.gradient });
    m0.stats.porosityByRing.forEach((ring, k) => {
      // Area-weighted mean of φ over the ring.
      let num = 0;
      let den = 0;
      for (let i = 0; i < 100; i++) {
        const r = ring.r0_um + ((i + 0.5) / 100) * (ring.r1_um - ring.r0_um);
        num += targetPorosityAt(POROSITY_PRESETS.gradient, r, R) * r;
        den += r;
      }
      expect(sum[k]).toBeWithin(num / den, { abs: 0.045 });
    });
    // Whole-disk target of the linear profile: c + (s − c)·2/3.
    const target = 0.13 + (0.08 - 0.13) * (2 / 3);
    expect(overall).toBeWithin(target, { abs: 0.02 });
  });

  it('dense preset: ≈ 2 % uniform', () => {
    let overall = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      overall += meshPolycrystal({ ...reference, seed, porosity: POROSITY_PRESETS.dense }).stats.porosity / 5;
    }
    expect(overall).toBeWithin(0.02, { abs: 0.01 });
  });

  const connectedGrains = (m: PolycrystalMesh) => {
    const parent = Array.from({ length: m.grainCount }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    for (let i = 0; i < m.interfaceCount; i++) {
      const a = m.interfaceGrainA[i];
      const b = m.interfaceGrainB[i];
      if (a >= 0 && b >= 0) parent[find(a)] = find(b);
    }
    return new Set(Array.from({ length: m.grainCount }, (_, i) => find(i))).size === 1;
  };

  it('a grain cut off by pores is reported, removed and counted as porosity', () => {
    // Without pores (and no vanished cells) grain ids are the Voronoi cell ids: pick an interior grain and make all
    // its neighbours pores.
    const bare = meshPolycrystal(small);
    expect(bare.grainCount).toBe(small.grains);
    const neighbours = new Map<number, Set<number>>();
    for (let i = 0; i < bare.interfaceCount; i++) {
      const [a, b] = [bare.interfaceGrainA[i], bare.interfaceGrainB[i]];
      if (!neighbours.has(a)) neighbours.set(a, new Set());
      if (!neighbours.has(b)) neighbours.set(b, new Set());
      neighbours.get(a)!.add(b);
      neighbours.get(b)!.add(a);
    }
    const onSurface = new Set(bare.surfaceGrain);
    const isolatedCell = [...neighbours.keys()].find((g) => !onSurface.has(g) && neighbours.get(g)!.size >= 4)!;
    const poreCells = [...neighbours.get(isolatedCell)!];
    const m = meshPolycrystal({ ...small, pore_cells: poreCells });
    expect(checkMesh(m)).toEqual([]);
    expect(m.stats.isolatedGrains).toEqual([isolatedCell]);
    expect(m.grainCount).toBe(small.grains - poreCells.length - 1);
    expect(connectedGrains(m)).toBe(true);
    // The isolated grain's area counts as porosity.
    const removed = [...poreCells, isolatedCell].reduce((s, g) => s + bare.grainArea_um2[g], 0);
    expect(m.stats.porosity).toBeCloseTo(removed / bare.stats.particleArea_um2, 2);
  });

  it('random pores never leave the solid disconnected (clusters are reconnected or reported)', () => {
    for (const seed of [1, 2, 3]) {
      const m = meshPolycrystal({ ...small, seed, porosity: { uniform: 0.45 } });
      expect(checkMesh(m)).toEqual([]);
      expect(connectedGrains(m)).toBe(true);
      expect(m.stats.porosity).toBeGreaterThan(0.3);
      expect(m.stats.porosity).toBeLessThan(0.5);
    }
  });
});

describe('meshPolycrystal: bad input names the key', () => {
  const bad: [string, Partial<MeshSpec> | Record<string, unknown>][] = [
    ['grains', { grains: 0 }],
    ['grains', { grains: 2.5 }],
    ['radius_um', { radius_um: 0 }],
    ['radius_um', { radius_um: -1 }],
    ['radius_um', { radius_um: NaN }],
    ['mesh_size_um', { mesh_size_um: 0 }],
    ['mesh_size_um', { mesh_size_um: NaN }],
    ['seed', { seed: NaN }],
    ['porosity.center', { porosity: { center: 0.6, surface: 0.1 } }],
    ['porosity.surface', { porosity: { center: 0.1, surface: -0.1 } }],
    ['porosity.uniform', { porosity: { uniform: 0.5 } }],
    ['coating_thickness_um', { coating_thickness_um: 5 }],
    ['coating_thickness_um', { coating_thickness_um: -0.1 }],
    ['lloyd_iterations', { lloyd_iterations: -1 }],
    ['pore_cells', { pore_cells: [1000] }],
    ['orientation.fixed_deg', { orientation: { fixed_deg: NaN } }],
    ['mesh_size_um', { mesh_size_um: 1e-4 }], // would not fit in memory
  ];
  for (const [key, patch] of bad) {
    it(`${key} = ${JSON.stringify(patch)}`, () => {
      let error: unknown = null;
      try {
        meshPolycrystal({ ...small, ...patch } as MeshSpec);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MeshInputError);
      expect((error as MeshInputError).key).toBe(key);
      expect((error as Error).message).toContain(key);
      expect((error as Error).message).toMatch(/allowed/);
    });
  }

  it('memory guard reports the estimated element count and memory before allocating', () => {
    const start = performance.now();
    expect(() => meshPolycrystal({ ...small, mesh_size_um: 1e-4 })).toThrow(/Estimated .* elements .* MB/);
    expect(performance.now() - start).toBeLessThan(100);
    expect(() => meshPolycrystal({ ...small, mesh_size_um: 0.05, maxElements: 1000 })).toThrow(MeshInputError);
  });
});

describe('reference meshes in meshes/', () => {
  it('quarter-bare and quarter-gradient-porous are up to date with the mesher (regenerate-meshes.ts)', () => {
    for (const name of ['quarter-bare', 'quarter-gradient-porous']) {
      const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'meshes');
      const { spec } = JSON.parse(readFileSync(join(dir, `${name}.spec.json`), 'utf8')) as { spec: MeshSpec };
      const stored = JSON.parse(readFileSync(join(dir, `${name}.stats.json`), 'utf8'));
      const { buildTime_ms, ...stats } = meshPolycrystal(spec).stats;
      expect(buildTime_ms).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(stats))).toEqual(stored);
    }
  });
});

describe('presetMeshSpec', () => {
  it('matches the specs of the shipped reference meshes', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'meshes');
    const read = (name: string) =>
      (JSON.parse(readFileSync(join(dir, `${name}.spec.json`), 'utf8')) as { spec: MeshSpec }).spec;
    expect(read('quarter-bare')).toEqual(presetMeshSpec('bare'));
    expect(read('quarter-coated')).toEqual(presetMeshSpec('coated'));
    expect(read('quarter-gradient-porous')).toEqual(presetMeshSpec('gradient-porous'));
    expect(read('quarter-dense-porous')).toEqual(presetMeshSpec('dense-porous'));
    expect(read('full-bare')).toEqual(presetMeshSpec('bare', 'full'));
  });
});

describe('grainsFromMeanDiameter', () => {
  it('0.5 µm grains in a 5 µm quarter: 100 grains (400 in the full disk)', () => {
    expect(grainsFromMeanDiameter('quarter', 5, 0.5)).toBe(100);
    expect(grainsFromMeanDiameter('full', 5, 0.5)).toBe(400);
    expect(() => grainsFromMeanDiameter('full', 5, 0)).toThrow(MeshInputError);
  });
});
