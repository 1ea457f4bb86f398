/** VTU writer: the files parse back to the mesh (both encodings), are written atomically and sit side by side. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshPolycrystal, type MeshSpec } from '../../src/mesh/index.js';
import { base64Encode, buildVtu, VTK_TRIANGLE, writeMeshVtu } from '../../src/io/vtu.js';

const spec: MeshSpec = {
  shape: 'quarter',
  radius_um: 5,
  mesh_size_um: 0.2,
  grains: 30,
  seed: 4,
  lloyd_iterations: 1,
  orientation: 'radial',
  coating_thickness_um: 0.16,
  interfaces: 'cohesive',
};
const dir = mkdtempSync(join(tmpdir(), 'chemofrac-vtu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Parsed = { points: number; cells: number; arrays: Map<string, { type: string; values: number[] }> };

const readers: Record<string, (dv: DataView, i: number) => number> = {
  Float64: (dv, i) => dv.getFloat64(8 * i, true),
  Float32: (dv, i) => dv.getFloat32(4 * i, true),
  Int32: (dv, i) => dv.getInt32(4 * i, true),
  UInt32: (dv, i) => dv.getUint32(4 * i, true),
  UInt8: (dv, i) => dv.getUint8(i),
};
const sizes: Record<string, number> = { Float64: 8, Float32: 4, Int32: 4, UInt32: 4, UInt8: 1 };

/** A minimal VTU reader: one piece, inline ascii or base64 ([UInt32 byte count][data] in one stream). */
function parseVtu(xml: string): Parsed {
  const piece = /<Piece NumberOfPoints="(\d+)" NumberOfCells="(\d+)">/.exec(xml);
  expect(piece).not.toBeNull();
  const arrays = new Map<string, { type: string; values: number[] }>();
  const re =
    /<DataArray type="(\w+)" Name="(\w+)" NumberOfComponents="(\d+)" format="(\w+)">\s*([^<]*?)\s*<\/DataArray>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const [, type, name, , format, text] = m;
    let values: number[];
    if (format === 'ascii') values = text.split(/\s+/).filter(Boolean).map(Number);
    else {
      const bytes = Buffer.from(text, 'base64');
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const byteCount = dv.getUint32(0, true);
      expect(byteCount).toBe(bytes.byteLength - 4);
      const body = new DataView(bytes.buffer, bytes.byteOffset + 4, byteCount);
      values = Array.from({ length: byteCount / sizes[type] }, (_, i) => readers[type](body, i));
    }
    arrays.set(name, { type, values });
  }
  return { points: Number(piece![1]), cells: Number(piece![2]), arrays };
}

describe('VTU writer', () => {
  const mesh = meshPolycrystal(spec);

  for (const format of ['binary', 'ascii'] as const) {
    it(`${format}: mesh.vtu and mesh_interfaces.vtu round-trip`, () => {
      const path = join(dir, `${format}.vtu`);
      const written = writeMeshVtu(mesh, path, format);
      expect(written).toEqual([path, join(dir, `${format}_interfaces.vtu`)]);
      const solid = parseVtu(readFileSync(path, 'utf8'));
      expect(solid.points).toBe(mesh.nodeCount);
      expect(solid.cells).toBe(mesh.triCount);
      const pts = solid.arrays.get('Points')!;
      expect(pts.type).toBe('Float64');
      for (let n = 0; n < mesh.nodeCount; n += 97) {
        expect(pts.values[3 * n]).toBe(mesh.coords_um[2 * n]);
        expect(pts.values[3 * n + 1]).toBe(mesh.coords_um[2 * n + 1]);
        expect(pts.values[3 * n + 2]).toBe(0);
      }
      expect(solid.arrays.get('connectivity')!.values).toEqual(Array.from(mesh.triNodes));
      expect(solid.arrays.get('offsets')!.values.at(-1)).toBe(3 * mesh.triCount);
      expect(new Set(solid.arrays.get('types')!.values)).toEqual(new Set([VTK_TRIANGLE]));
      expect(solid.arrays.get('grain')!.type).toBe('Int32');
      expect(solid.arrays.get('grain')!.values).toEqual(Array.from(mesh.triGrain));
      expect(solid.arrays.get('region')!.type).toBe('UInt8');
      expect(solid.arrays.get('region')!.values).toEqual(Array.from(mesh.triRegion));
      const orientation = solid.arrays.get('orientation_rad')!;
      expect(orientation.type).toBe('Float64');
      for (let t = 0; t < mesh.triCount; t += 13) {
        const g = mesh.triGrain[t];
        expect(orientation.values[t]).toBe(g >= 0 ? mesh.grainOrientation_rad[g] : 0);
      }

      const ifs = parseVtu(readFileSync(written[1], 'utf8'));
      expect(ifs.cells).toBe(mesh.interfaceCount);
      expect(ifs.arrays.get('grain_a')!.values).toEqual(Array.from(mesh.interfaceGrainA));
      expect(ifs.arrays.get('grain_b')!.values).toEqual(Array.from(mesh.interfaceGrainB));
      expect(ifs.arrays.get('kind')!.values).toEqual(Array.from(mesh.interfaceKind));
      // Line cells sit on the a-side nodes.
      const conn = ifs.arrays.get('connectivity')!.values;
      const meshNode = ifs.arrays.get('mesh_node')!.values;
      for (let i = 0; i < mesh.interfaceCount; i++) {
        expect(meshNode[conn[2 * i]]).toBe(mesh.interfaceNodes[4 * i]);
        expect(meshNode[conn[2 * i + 1]]).toBe(mesh.interfaceNodes[4 * i + 1]);
      }
    });
  }

  it('writes atomically: no temporary files are left behind', () => {
    writeMeshVtu(mesh, join(dir, 'atomic.vtu'));
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('general pieces: explicit offsets and cell types, point data with components', () => {
    const xml = buildVtu(
      {
        points: new Float64Array([0, 0, 0, 1, 0, 0, 0, 1, 0]),
        pointDimension: 3,
        connectivity: new Uint32Array([0, 1, 2, 0, 1]),
        offsets: new Int32Array([3, 5]),
        cellTypes: new Uint8Array([5, 3]),
        pointData: [{ name: 'displacement', data: new Float64Array(9).fill(0.5), components: 3 }],
      },
      'binary',
    );
    const parsed = parseVtu(xml);
    expect(parsed.cells).toBe(2);
    expect(parsed.arrays.get('displacement')!.values).toEqual(new Array(9).fill(0.5));
    expect(parsed.arrays.get('types')!.values).toEqual([5, 3]);
    expect(() =>
      buildVtu({ points: new Float64Array(4), pointDimension: 2, connectivity: new Uint32Array(0) }),
    ).toThrow();
  });

  it('base64 fallback encoder matches Buffer', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      const B = (globalThis as { Buffer?: unknown }).Buffer;
      (globalThis as { Buffer?: unknown }).Buffer = undefined;
      const ours = base64Encode(bytes);
      (globalThis as { Buffer?: unknown }).Buffer = B;
      expect(ours).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
