/**
 * The mesh arrays a view needs to draw and export a run (the browser's engine workers, the `chemofrac/worker`
 * entry): copies of a `PolycrystalMesh`'s arrays, safe to transfer to another thread.
 */
import type { PolycrystalMesh } from './types.js';

export interface WorkerMesh {
  shape: 'quarter' | 'full';
  radius_um: number;
  coatingThickness_um: number;
  nodeCount: number;
  coords_um: Float64Array;
  triCount: number;
  triNodes: Uint32Array;
  triGrain: Int32Array;
  triRegion: Uint8Array;
  grainCount: number;
  grainOrientation_rad: Float64Array;
  /** Unit c-axis per grain, 3 per grain (docs/physics.md §7). */
  grainAxis: Float64Array;
  interfaceCount: number;
  interfaceNodes: Uint32Array;
  interfaceKind: Uint8Array;
  interfaceGrainA: Int32Array;
  interfaceGrainB: Int32Array;
  stats: PolycrystalMesh['stats'];
}

/** The mesh arrays a page needs to draw and export a run (copies: they cross the thread boundary). */
export function meshArrays(m: PolycrystalMesh): WorkerMesh {
  return {
    shape: m.shape,
    radius_um: m.radius_um,
    coatingThickness_um: m.coatingThickness_um,
    nodeCount: m.nodeCount,
    coords_um: m.coords_um.slice(),
    triCount: m.triCount,
    triNodes: m.triNodes.slice(),
    triGrain: m.triGrain.slice(),
    triRegion: m.triRegion.slice(),
    grainCount: m.grainCount,
    grainOrientation_rad: m.grainOrientation_rad.slice(),
    grainAxis: m.grainAxis.slice(),
    interfaceCount: m.interfaceCount,
    interfaceNodes: m.interfaceNodes.slice(),
    interfaceKind: m.interfaceKind.slice(),
    interfaceGrainA: m.interfaceGrainA.slice(),
    interfaceGrainB: m.interfaceGrainB.slice(),
    stats: structuredClone(m.stats),
  };
}
