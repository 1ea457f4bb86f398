/**
 * The mesh arrays a view needs to draw and export a run (the browser's engine workers, the `chemofrac/worker`
 * entry): copies of a `PolycrystalMesh`'s arrays, safe to transfer to another thread.
 */
import type { PolycrystalMesh } from './types.js';

/** The fields of `PolycrystalMesh` a view reads (the types and meanings are the mesh's own). */
export type WorkerMesh = Pick<
  PolycrystalMesh,
  | 'shape'
  | 'radius_um'
  | 'coatingThickness_um'
  | 'nodeCount'
  | 'coords_um'
  | 'triCount'
  | 'triNodes'
  | 'triGrain'
  | 'triRegion'
  | 'grainCount'
  | 'grainOrientation_rad'
  | 'grainAxis'
  | 'interfaceCount'
  | 'interfaceNodes'
  | 'interfaceKind'
  | 'interfaceGrainA'
  | 'interfaceGrainB'
  | 'stats'
>;

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
