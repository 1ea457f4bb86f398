/**
 * Pores: whole Voronoi cells removed from the solid so that the void fraction follows a radial profile φ(r)
 * (linear from `center` at r = 0 to `surface` at r = R, or uniform), and grains cut off by pores.
 *
 * Choice of pore cells (seeded, stratified so the profile is hit even with ~100 grains):
 *  - cells are binned by the radius of their centroid into ten rings of width R/10;
 *  - each ring's target pore area is Σ_cells φ(r_c) A_c (the profile evaluated at each cell, so the target is the
 *    area-weighted profile over that ring);
 *  - rings are processed from the surface inwards; inside a ring the cells are visited in a seeded random order
 *    and a cell becomes a pore when that brings the removed area closer to the target (removed + A_c/2 ≤ target);
 *  - the shortfall or excess of a ring is carried over to the next ring inwards (error diffusion), so the overall
 *    porosity is within half a cell of its target and every ring within about one cell.
 *
 * Isolated grains: a solid cell not connected to the main solid by a chain of positive-length boundaries (grain |
 * grain or grain | coating) is cut off: it cannot carry load or Li. It is *reported* and removed (it counts as
 * porosity). The main solid is the connected component of largest area (with a coating, the coating's component).
 */
import type { Rng } from './random.js';
import { shuffleInPlace } from './random.js';
import { targetPorosityAt, type PorositySpec } from './spec.js';

export function choosePoreCells(
  areas: Float64Array,
  centroidX: Float64Array,
  centroidY: Float64Array,
  alive: Uint8Array,
  radius_um: number,
  porosity: PorositySpec | undefined,
  rng: Rng,
): Uint8Array {
  const n = areas.length;
  const pore = new Uint8Array(n);
  if (!porosity) return pore;
  const ringCount = 10;
  const rings: number[][] = Array.from({ length: ringCount }, () => []);
  for (let c = 0; c < n; c++) {
    if (!alive[c]) continue;
    const r = Math.hypot(centroidX[c], centroidY[c]);
    rings[Math.min(ringCount - 1, Math.floor((r / radius_um) * ringCount))].push(c);
  }
  let carry = 0;
  for (let k = ringCount - 1; k >= 0; k--) {
    const cells = rings[k];
    let target = carry;
    for (const c of cells)
      target += targetPorosityAt(porosity, Math.hypot(centroidX[c], centroidY[c]), radius_um) * areas[c];
    shuffleInPlace(cells, rng);
    let removed = 0;
    for (const c of cells) {
      if (removed + areas[c] / 2 <= target) {
        pore[c] = 1;
        removed += areas[c];
      }
    }
    carry = target - removed;
  }
  return pore;
}

/**
 * Connected components of the solid cells through shared boundary edges of positive length. `links` are pairs of
 * faces sharing an edge; face −2 (coating) is a node of its own. Returns the ids of solid cells outside the main
 * component, ascending.
 */
export function findIsolatedCells(
  solid: Uint8Array,
  areas: Float64Array,
  links: [number, number][],
  hasCoating: boolean,
): number[] {
  const n = solid.length;
  const coatingNode = n;
  const parent = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const node = (f: number) => (f === -2 ? coatingNode : f);
  const isSolidFace = (f: number) => (f === -2 ? hasCoating : f >= 0 && solid[f] === 1);
  for (const [f, g] of links) {
    if (!isSolidFace(f) || !isSolidFace(g)) continue;
    const a = find(node(f));
    const b = find(node(g));
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const componentArea = new Map<number, number>();
  for (let c = 0; c < n; c++) {
    if (!solid[c]) continue;
    const root = find(c);
    componentArea.set(root, (componentArea.get(root) ?? 0) + areas[c]);
  }
  let main = -1;
  if (hasCoating) main = find(coatingNode);
  else {
    let best = -1;
    for (const [root, a] of componentArea) {
      if (a > best || (a === best && root < main)) {
        best = a;
        main = root;
      }
    }
  }
  const isolated: number[] = [];
  for (let c = 0; c < n; c++) if (solid[c] && find(c) !== main) isolated.push(c);
  return isolated;
}
