/**
 * Mesher bugs already fixed, each replayed on a small spec that triggers it, found by a search over seeds and
 * sizes (test/fixtures/mesher/, one file per bug, named after it). Each test checks both that the fixture still
 * reaches the situation of the bug (so a change of the seeding cannot quietly turn it into an ordinary mesh) and
 * that the mesh is now right. Both were checked to fail with their fix reverted: with d057c14's closed-arc criterion undone, the cleanup leaves a
 * closed arc in the quarter (and the mesher does not converge); without the merge of tiny cells, a 0.066 µm² cell
 * (h² = 0.25 µm²) is left.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanupGeometry, faceAreas } from '../../src/mesh/geometry-cleanup.js';
import { meshPolycrystal, type MeshSpec } from '../../src/mesh/index.js';
import { arcSpan, edgeLength, isArcKind, type Pslg } from '../../src/mesh/pslg.js';
import { createRng } from '../../src/mesh/random.js';
import { checkMesh } from '../../src/mesh/validate.js';
import { buildVoronoiPslg, generateSeeds, lloydRelax } from '../../src/mesh/voronoi.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mesher');

function fixture(name: string): MeshSpec {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')).spec as MeshSpec;
}

/** The mesher's first stage (seeds, Lloyd, Voronoi PSLG) as meshPolycrystal runs it, without size spread. */
function voronoiPslg(spec: MeshSpec): Pslg {
  if (spec.size_spread) throw new Error('fixtures without size_spread only');
  const rng = createRng(spec.seed);
  const seeds = generateSeeds(spec.shape, spec.radius_um, spec.grains, null, rng);
  lloydRelax(spec.shape, spec.radius_um, seeds, spec.lloyd_iterations, null);
  return buildVoronoiPslg(spec.shape, spec.radius_um, seeds);
}

function trianglesPerGrain(m: ReturnType<typeof meshPolycrystal>): number[] {
  const count = new Array<number>(m.grainCount).fill(0);
  for (let t = 0; t < m.triCount; t++) if (m.triGrain[t] >= 0) count[m.triGrain[t]]++;
  return count;
}

describe('mesher regressions (test/fixtures/mesher/)', () => {
  it('closed-arc misdetection after collapse (d057c14)', () => {
    const spec = fixture('closed-arc-misdetection-after-collapse');
    const h = spec.mesh_size_um;
    const g = voronoiPslg(spec);
    // The situation: a surface arc shorter than the collapse length (0.3 h), whose two ends the cleanup merges.
    const shortArcs = g.edges.filter((e) => isArcKind(e.kind) && edgeLength(g, e) < 0.3 * h);
    expect(shortArcs.length).toBeGreaterThan(0);
    cleanupGeometry(g, spec.radius_um, h);
    // Right: no arc became a closed circle, and the arcs still cover exactly the quarter's surface (π/2).
    const arcs = g.edges.filter((e) => isArcKind(e.kind));
    expect(arcs.filter((e) => e.a === e.b)).toEqual([]);
    const span = arcs.reduce((s, e) => s + arcSpan(g.xs[e.a], g.ys[e.a], g.xs[e.b], g.ys[e.b], false), 0);
    expect(span).toBeCloseTo(Math.PI / 2, 12);
    const m = meshPolycrystal(spec);
    expect(checkMesh(m)).toEqual([]);
    expect(m.stats.minAngleGenerated_deg).toBeGreaterThanOrEqual(20);
  });

  it('needle cells after collapses (f458052)', () => {
    const spec = fixture('needle-cells-after-collapses');
    const h = spec.mesh_size_um;
    // The situation: without the merge of tiny cells, the cleanup leaves a cell smaller than h².
    const unmerged = voronoiPslg(spec);
    cleanupGeometry(unmerged, spec.radius_um, h, { minCellAreaFactor: 0 });
    const smallest = Math.min(...Array.from(faceAreas(unmerged)).filter((a) => a > 0));
    expect(smallest).toBeLessThan(h * h);
    // Right: every cell of the real cleanup is at least h², every grain has several elements, and no sliver is
    // forced into the mesh (the smallest angle of all triangles, forced ones included, is ≥ 20°).
    const g = voronoiPslg(spec);
    cleanupGeometry(g, spec.radius_um, h);
    const areas = Array.from(faceAreas(g)).filter((a) => a > 0);
    expect(Math.min(...areas)).toBeGreaterThanOrEqual(h * h);
    const m = meshPolycrystal(spec);
    expect(checkMesh(m)).toEqual([]);
    expect(Math.min(...trianglesPerGrain(m))).toBeGreaterThanOrEqual(3);
    expect(m.stats.minAngle_deg).toBeGreaterThanOrEqual(20);
  });
});
