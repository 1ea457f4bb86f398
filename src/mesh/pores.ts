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
 *    porosity is within half a cell of its target and every ring within about one cell;
 *  - a cell is not removed if that would leave one of its solid neighbours without any other solid neighbour
 *    (a single-grain island).
 *
 * Isolated grains: a solid cell not connected to the main solid by a chain of positive-length boundaries (grain |
 * grain or grain | coating) is cut off: it cannot carry load or Li. It is *reported* and removed (it counts as
 * porosity). The main solid is the connected component of largest area (with a coating, the coating's component).
 */
import { createUnionFind } from './union-find.js';
import type { Rng } from './random.js';
import { shuffleInPlace } from './random.js';
import { targetPorosityAt, type PorositySpec } from './spec.js';
import { hypot } from '../math/portable.js';

export function choosePoreCells(
  areas: Float64Array,
  centroidX: Float64Array,
  centroidY: Float64Array,
  alive: Uint8Array,
  radius_um: number,
  porosity: PorositySpec | undefined,
  rng: Rng,
  links: [number, number][] = [],
  coated = false,
): Uint8Array {
  const n = areas.length;
  const pore = new Uint8Array(n);
  if (!porosity) return pore;
  // Solid neighbours of each cell (through positive-length edges; −2 = the coating, always solid).
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const [f, g] of links) {
    if (f >= 0 && (g >= 0 || (g === -2 && coated))) neighbours[f].push(g);
    if (g >= 0 && (f >= 0 || (f === -2 && coated))) neighbours[g].push(f);
  }
  const isSolid = (f: number) => f === -2 || (alive[f] === 1 && pore[f] === 0);
  /**
   * Removing c must not strand a neighbour: every solid neighbour of c keeps another solid neighbour. This local
   * test prevents the common single-grain islands (clusters cut off as a whole are still caught, reported and
   * removed by findIsolatedCells).
   */
  const strandsANeighbour = (c: number) =>
    neighbours[c].some((m) => m >= 0 && isSolid(m) && !neighbours[m].some((k) => k !== c && isSolid(k)));
  const ringCount = 10;
  const rings: number[][] = Array.from({ length: ringCount }, () => []);
  for (let c = 0; c < n; c++) {
    if (!alive[c]) continue;
    const r = hypot(centroidX[c], centroidY[c]);
    rings[Math.min(ringCount - 1, Math.floor((r / radius_um) * ringCount))].push(c);
  }
  let carry = 0;
  for (let k = ringCount - 1; k >= 0; k--) {
    const cells = rings[k];
    let target = carry;
    for (const c of cells)
      target += targetPorosityAt(porosity, hypot(centroidX[c], centroidY[c]), radius_um) * areas[c];
    shuffleInPlace(cells, rng);
    let removed = 0;
    for (const c of cells) {
      if (removed + areas[c] / 2 <= target && !strandsANeighbour(c)) {
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
  const { find, union } = createUnionFind(n + 1);
  const node = (f: number) => (f === -2 ? coatingNode : f);
  const isSolidFace = (f: number) => (f === -2 ? hasCoating : f >= 0 && solid[f] === 1);
  for (const [f, g] of links) {
    if (!isSolidFace(f) || !isSolidFace(g)) continue;
    union(node(f), node(g));
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

/**
 * Reconnect grain clusters that the pore choice cut off: for each solid cluster outside the main component, a pore
 * cell touching both the cluster and the main component (through positive-length edges) is turned back into solid,
 * which joins them. Repeats until no such bridge exists; clusters separated by two or more pore cells stay cut off
 * (then findIsolatedCells reports and removes them). Returns the number of pore cells restored.
 */
export function reconnectIsolatedClusters(
  pore: Uint8Array,
  alive: Uint8Array,
  areas: Float64Array,
  links: [number, number][],
  coated: boolean,
): number {
  const n = pore.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const [f, g] of links) {
    if (f >= 0 && g >= 0) {
      neighbours[f].push(g);
      neighbours[g].push(f);
    }
  }
  let restored = 0;
  for (let pass = 0; pass < 100; pass++) {
    const solid = new Uint8Array(n);
    for (let c = 0; c < n; c++) solid[c] = alive[c] && !pore[c] ? 1 : 0;
    const isolated = findIsolatedCells(solid, areas, links, coated);
    if (isolated.length === 0) break;
    const isIsolated = new Uint8Array(n);
    for (const c of isolated) isIsolated[c] = 1;
    let bridge = -1;
    for (const c of isolated) {
      for (const p of neighbours[c]) {
        if (!pore[p] || !alive[p]) continue;
        const touchesMain =
          neighbours[p].some((m) => solid[m] === 1 && !isIsolated[m]) ||
          (coated && links.some(([f, g]) => (f === p && g === -2) || (g === p && f === -2)));
        if (touchesMain && (bridge < 0 || p < bridge)) bridge = p;
      }
      if (bridge >= 0) break;
    }
    if (bridge < 0) break;
    pore[bridge] = 0;
    restored++;
  }
  return restored;
}
