/**
 * Structured meshes honour the `PolycrystalMesh` contract the kernels rely on: counter-clockwise triangles, exact
 * areas, one node copy per grain at every point with an interface element on every edge between grains (side a's
 * triangle to the left of a0 → a1, so n = (t_y, −t_x) points into side b), triple junctions with three copies,
 * surface segments with the solid on the left, and exact symmetry lists for the quarter disk.
 */
import { describe, expect, it } from 'vitest';
import type { PolycrystalMesh } from '../../src/mesh/types.js';
import { bicrystalMesh, diskMesh, rectangleMesh } from '../../src/mesh/structured.js';

function cross(m: PolycrystalMesh, a: number, b: number, c: number): number {
  const X = m.coords_um;
  return (X[2 * b] - X[2 * a]) * (X[2 * c + 1] - X[2 * a + 1]) - (X[2 * c] - X[2 * a]) * (X[2 * b + 1] - X[2 * a + 1]);
}

/** Triangles using both nodes p and q, with their third node. */
function trianglesOnEdge(m: PolycrystalMesh, p: number, q: number): { t: number; third: number }[] {
  const out: { t: number; third: number }[] = [];
  for (let t = 0; t < m.triCount; t++) {
    const n = [m.triNodes[3 * t], m.triNodes[3 * t + 1], m.triNodes[3 * t + 2]];
    if (n.includes(p) && n.includes(q)) out.push({ t, third: n.find((k) => k !== p && k !== q) as number });
  }
  return out;
}

function checkContract(m: PolycrystalMesh): void {
  let area = 0;
  for (let t = 0; t < m.triCount; t++) {
    const c = cross(m, m.triNodes[3 * t], m.triNodes[3 * t + 1], m.triNodes[3 * t + 2]);
    expect(c).toBeGreaterThan(0);
    area += c / 2;
  }
  expect(area).toBeCloseTo(m.stats.solidArea_um2, 12);
  expect(m.grainArea_um2.reduce((a, b) => a + b, 0)).toBeCloseTo(area, 12);
  // Every node belongs to exactly one grain when cohesive.
  if (m.interfaces === 'cohesive') {
    const grainOfNode = new Int32Array(m.nodeCount).fill(-2);
    for (let t = 0; t < m.triCount; t++)
      for (let k = 0; k < 3; k++) {
        const n = m.triNodes[3 * t + k];
        if (grainOfNode[n] === -2) grainOfNode[n] = m.triGrain[t];
        expect(grainOfNode[n]).toBe(m.triGrain[t]);
      }
  }
  for (let e = 0; e < m.interfaceCount; e++) {
    const [a0, a1, b0, b1] = m.interfaceNodes.subarray(4 * e, 4 * e + 4);
    const X = m.coords_um;
    expect([X[2 * a0], X[2 * a0 + 1]]).toEqual([X[2 * b0], X[2 * b0 + 1]]);
    expect([X[2 * a1], X[2 * a1 + 1]]).toEqual([X[2 * b1], X[2 * b1 + 1]]);
    const ta = trianglesOnEdge(m, a0, a1);
    const tb = trianglesOnEdge(m, b0, b1);
    expect(ta.length).toBe(1);
    expect(tb.length).toBe(1);
    expect(m.triGrain[ta[0].t]).toBe(m.interfaceGrainA[e]);
    expect(m.triGrain[tb[0].t]).toBe(m.interfaceGrainB[e]);
    expect(m.interfaceGrainA[e]).not.toBe(m.interfaceGrainB[e]);
    expect(cross(m, a0, a1, ta[0].third)).toBeGreaterThan(0); // side a to the left
    expect(cross(m, b0, b1, tb[0].third)).toBeLessThan(0); // side b to the right
  }
  for (let s = 0; s < m.surfaceCount; s++) {
    const p = m.surfaceNodes[2 * s],
      q = m.surfaceNodes[2 * s + 1];
    const tris = trianglesOnEdge(m, p, q);
    expect(tris.length).toBe(1);
    expect(cross(m, p, q, tris[0].third)).toBeGreaterThan(0);
    expect(m.triGrain[tris[0].t]).toBe(m.surfaceGrain[s]);
  }
  expect(m.stats.nodeCount).toBe(m.nodeCount);
  expect(m.stats.triCount).toBe(m.triCount);
  expect(m.stats.interfaceCount).toBe(m.interfaceCount);
}

describe('structured meshes', () => {
  for (const pattern of ['alternating', 'uniform', 'crossed'] as const) {
    it(`rectangle with three grains and a triple junction (${pattern})`, () => {
      const m = rectangleMesh({
        width_um: 2,
        height_um: 1,
        nx: 8,
        ny: 4,
        grainOf: (x, y) => (x < 1 ? 0 : y < 0.5 ? 1 : 2),
        orientation_rad: [0.1, 0.2, 0.3],
        pattern,
      });
      checkContract(m);
      expect(m.grainCount).toBe(3);
      expect(Array.from(m.grainOrientation_rad)).toEqual([0.1, 0.2, 0.3]);
      expect(m.stats.solidArea_um2).toBeCloseTo(2, 14);
      expect(m.stats.grainBoundaryLength_um).toBeCloseTo(2, 12);
      expect(m.stats.surfaceLength_um).toBeCloseTo(6, 12);
      // Triple junction at (1, 0.5): three node copies.
      const copies = [...Array(m.nodeCount).keys()].filter(
        (n) => m.coords_um[2 * n] === 1 && m.coords_um[2 * n + 1] === 0.5,
      );
      expect(copies.length).toBe(3);
      // Boundary lists hold every copy on each side.
      expect(m.leftNodes.length).toBe(5);
      expect(m.rightNodes.length).toBe(6); // the point (2, 0.5) has copies in grains 1 and 2
      expect(Array.from(m.surfaceSide).filter((s) => s === 3).length).toBe(8);
    });
  }

  it("interfaces: 'none' shares nodes", () => {
    const m = rectangleMesh({
      width_um: 2,
      height_um: 1,
      nx: 4,
      ny: 2,
      grainOf: (x) => (x < 1 ? 0 : 1),
      interfaces: 'none',
    });
    checkContract(m);
    expect(m.interfaceCount).toBe(0);
    expect(m.nodeCount).toBe(15);
    expect(m.stats.grainBoundaryLength_um).toBeCloseTo(1, 12);
  });

  it('bicrystal: one straight interface with n = (1, 0)', () => {
    const m = bicrystalMesh({ width_um: 2, height_um: 1, nx: 4, ny: 3, orientation_rad: [0, 1] });
    checkContract(m);
    expect(m.interfaceCount).toBe(3);
    for (let e = 0; e < 3; e++) {
      const [a0, a1] = m.interfaceNodes.subarray(4 * e, 4 * e + 2);
      expect(m.coords_um[2 * a0]).toBe(1);
      expect(m.coords_um[2 * a1 + 1] - m.coords_um[2 * a0 + 1]).toBeGreaterThan(0); // t = (0, 1) ⇒ n = (1, 0)
      expect(m.interfaceGrainA[e]).toBe(0);
    }
  });

  for (const shape of ['full', 'quarter'] as const) {
    it(`${shape} disk: area, arc surface, quality${shape === 'quarter' ? ', symmetry lists' : ''}`, () => {
      const R = 5,
        rings = 24;
      const m = diskMesh({ radius_um: R, shape, rings });
      checkContract(m);
      const exact = (shape === 'full' ? 1 : 0.25) * Math.PI * R * R;
      expect(m.stats.solidArea_um2).toBeWithin(exact, { rel: 1e-3 });
      expect(m.stats.minAngle_deg).toBeGreaterThan(25);
      const surfaceRadius = Array.from(m.surfaceNodes, (n) => Math.hypot(m.coords_um[2 * n], m.coords_um[2 * n + 1]));
      expect(surfaceRadius).toBeCloseArray(R, { abs: 5e-13 });
      expect(m.stats.surfaceLength_um / ((shape === 'full' ? 2 : 0.5) * Math.PI * R)).toBeGreaterThan(0.999);
      if (shape === 'quarter') {
        expect(m.symmetryXNodes.length).toBe(rings + 1);
        expect(m.symmetryYNodes.length).toBe(rings + 1);
        for (const n of m.symmetryXNodes) expect(m.coords_um[2 * n]).toBe(0);
        for (const n of m.symmetryYNodes) expect(m.coords_um[2 * n + 1]).toBe(0);
      } else {
        expect(m.symmetryXNodes.length + m.symmetryYNodes.length).toBe(0);
      }
    });
  }
});
