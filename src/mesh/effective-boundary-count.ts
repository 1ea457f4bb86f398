/**
 * Effective number of grain boundaries of a section, the inverse Herfindahl index of the boundary lengths:
 *
 *   N_eff = (Σ_b L_b)² / Σ_b L_b²,
 *
 * b over the distinct grain pairs joined by grain-boundary interface elements, L_b the summed length of a pair's
 * elements. It is the number of equal boundaries that would give the length-weighted mean damage D̄ the same
 * sensitivity to one boundary: D̄ = Σ_b w_b D_b with w_b = L_b / Σ L, and for independent errors ε_b of spread σ
 * per boundary, the spread of D̄'s error is σ (Σ w_b²)^½ = σ / √N_eff. A boundary fragment of a few elements
 * counts for almost nothing, unlike in a plain count. N_eff ≤ the number of boundaries, equal when all are equally
 * long. Used by the IMPL-EX tolerance law (src/scenario/implex-tolerance.ts).
 */
import { INTERFACE_GRAIN_BOUNDARY, type PolycrystalMesh } from './types.js';

/** N_eff of the grain boundaries of `mesh`; `interfaceLength_um[i]` the length of interface element i. */
export function effectiveBoundaryCount(mesh: PolycrystalMesh, interfaceLength_um: Float64Array): number {
  const lengthOfPair = new Map<number, number>();
  const grains = mesh.grainCount;
  for (let i = 0; i < mesh.interfaceCount; i++) {
    if (mesh.interfaceKind[i] !== INTERFACE_GRAIN_BOUNDARY) continue;
    const a = mesh.interfaceGrainA[i];
    const b = mesh.interfaceGrainB[i];
    const key = Math.min(a, b) * grains + Math.max(a, b);
    lengthOfPair.set(key, (lengthOfPair.get(key) ?? 0) + interfaceLength_um[i]);
  }
  let sum = 0;
  let sumOfSquares = 0;
  for (const L of lengthOfPair.values()) {
    sum += L;
    sumOfSquares += L * L;
  }
  return sumOfSquares > 0 ? (sum * sum) / sumOfSquares : 0;
}
