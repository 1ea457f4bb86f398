/**
 * VTK XML UnstructuredGrid (.vtu) text, with no file-system access (usable in the browser, e.g. to download a
 * snapshot). `buildVtu(piece, format)` returns the XML for any points + cells (one VTK cell type or a per-cell
 * type array) + point data + cell data; `meshVtuPiece` / `interfaceVtuPiece` describe a `PolycrystalMesh`.
 *
 * Encodings ParaView reads:
 *  - "ascii": numbers as text (diffable, large);
 *  - "binary": inline base64. For uncompressed data VTK expects *one* base64 stream of [UInt32 byte count][raw
 *    little-endian bytes] (header and data encoded together — the header is encoded separately only for
 *    compressed data), which is what VTK's own writer and meshio produce.
 * Coordinates are written as 3-component Float64 (z = 0 for 2D meshes), in the mesh's units (µm).
 */
import type { PolycrystalMesh } from '../mesh/types.js';

export const VTK_VERTEX = 1;
export const VTK_LINE = 3;
export const VTK_TRIANGLE = 5;
export const VTK_QUAD = 9;

export type VtuFormat = 'ascii' | 'binary';

export type VtuTypedArray =
  Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

export interface VtuDataArray {
  name: string;
  data: VtuTypedArray;
  /** Components per tuple (1 scalar, 3 vector); default 1. */
  components?: number;
}

export interface VtuPiece {
  /** Point coordinates, `pointDimension` values per point. */
  points: Float64Array | Float32Array;
  pointDimension: 2 | 3;
  /** Flat connectivity. */
  connectivity: Uint32Array | Int32Array;
  /** Either every cell has `nodesPerCell` nodes and VTK type `cellType`… */
  nodesPerCell?: number;
  cellType?: number;
  /** …or explicit offsets (end index of each cell in `connectivity`) and per-cell types. */
  offsets?: Int32Array | Uint32Array;
  cellTypes?: Uint8Array;
  pointData?: VtuDataArray[];
  cellData?: VtuDataArray[];
}

function vtkTypeName(a: VtuTypedArray): string {
  if (a instanceof Float64Array) return 'Float64';
  if (a instanceof Float32Array) return 'Float32';
  if (a instanceof Int32Array) return 'Int32';
  if (a instanceof Uint32Array) return 'UInt32';
  if (a instanceof Int16Array) return 'Int16';
  if (a instanceof Uint16Array) return 'UInt16';
  if (a instanceof Int8Array) return 'Int8';
  return 'UInt8';
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648 with padding); Buffer when available (Node), a plain loop in the browser. */
export function base64Encode(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (B) return B.from(bytes).toString('base64');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + '=';
  }
  return out;
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function encodeArray(a: VtuTypedArray, format: VtuFormat): string {
  if (format === 'ascii') {
    const float = a instanceof Float64Array || a instanceof Float32Array;
    const parts: string[] = new Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      parts[i] = float ? (Number.isFinite(v) ? String(v) : 'nan') : String(v);
    }
    return parts.join(' ');
  }
  if (!isLittleEndian()) throw new Error('VTU binary writer: big-endian hosts are not supported (use format "ascii")');
  const bytes = new Uint8Array(4 + a.byteLength);
  new DataView(bytes.buffer).setUint32(0, a.byteLength, true);
  bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 4);
  return base64Encode(bytes);
}

function dataArrayXml(name: string | null, a: VtuTypedArray, components: number, format: VtuFormat): string {
  const nameAttr = name === null ? '' : ` Name="${name.replace(/[<>&"]/g, '_')}"`;
  return (
    `        <DataArray type="${vtkTypeName(a)}"${nameAttr} NumberOfComponents="${components}" format="${format}">\n` +
    `          ${encodeArray(a, format)}\n` +
    `        </DataArray>\n`
  );
}

/** XML text of a VTK UnstructuredGrid with one piece. */
export function buildVtu(piece: VtuPiece, format: VtuFormat = 'binary'): string {
  const dim = piece.pointDimension;
  const pointCount = piece.points.length / dim;
  const points3 = new Float64Array(3 * pointCount);
  for (let i = 0; i < pointCount; i++) {
    points3[3 * i] = piece.points[dim * i];
    points3[3 * i + 1] = piece.points[dim * i + 1];
    points3[3 * i + 2] = dim === 3 ? piece.points[3 * i + 2] : 0;
  }
  let offsets: Int32Array;
  let types: Uint8Array;
  if (piece.offsets && piece.cellTypes) {
    offsets = Int32Array.from(piece.offsets);
    types = piece.cellTypes;
  } else {
    const k = piece.nodesPerCell;
    const type = piece.cellType;
    if (!k || type === undefined) throw new Error('VTU piece: give nodesPerCell + cellType, or offsets + cellTypes');
    const cellCount = piece.connectivity.length / k;
    offsets = new Int32Array(cellCount);
    for (let c = 0; c < cellCount; c++) offsets[c] = (c + 1) * k;
    types = new Uint8Array(cellCount).fill(type);
  }
  const cellCount = types.length;
  const parts: string[] = [];
  parts.push('<?xml version="1.0"?>\n');
  parts.push('<VTKFile type="UnstructuredGrid" version="1.0" byte_order="LittleEndian" header_type="UInt32">\n');
  parts.push('  <UnstructuredGrid>\n');
  parts.push(`    <Piece NumberOfPoints="${pointCount}" NumberOfCells="${cellCount}">\n`);
  const dataSection = (tag: string, arrays: VtuDataArray[] | undefined, expected: number) => {
    if (!arrays || arrays.length === 0) return;
    parts.push(`      <${tag}>\n`);
    for (const d of arrays) {
      const comp = d.components ?? 1;
      if (d.data.length !== expected * comp) {
        throw new Error(`VTU ${tag} "${d.name}": ${d.data.length} values, expected ${expected} × ${comp}`);
      }
      parts.push(dataArrayXml(d.name, d.data, comp, format));
    }
    parts.push(`      </${tag}>\n`);
  };
  dataSection('PointData', piece.pointData, pointCount);
  dataSection('CellData', piece.cellData, cellCount);
  parts.push('      <Points>\n');
  parts.push(dataArrayXml('Points', points3, 3, format));
  parts.push('      </Points>\n');
  parts.push('      <Cells>\n');
  parts.push(dataArrayXml('connectivity', Int32Array.from(piece.connectivity), 1, format));
  parts.push(dataArrayXml('offsets', offsets, 1, format));
  parts.push(dataArrayXml('types', types, 1, format));
  parts.push('      </Cells>\n');
  parts.push('    </Piece>\n');
  parts.push('  </UnstructuredGrid>\n');
  parts.push('</VTKFile>\n');
  return parts.join('');
}

/**
 * The solid mesh as a VTU piece: triangles with cell data grain (Int32), region (UInt8), orientation_rad (in-plane
 * angle of the c-axis projection) and c_axis (the unit c-axis in 3D, 3 components; docs/physics.md §7).
 */
export function meshVtuPiece(mesh: PolycrystalMesh): VtuPiece {
  const orientation = new Float64Array(mesh.triCount);
  const cAxis = new Float64Array(3 * mesh.triCount);
  for (let t = 0; t < mesh.triCount; t++) {
    const g = mesh.triGrain[t];
    orientation[t] = g >= 0 ? mesh.grainOrientation_rad[g] : 0; // the coating is isotropic: 0 by convention
    if (g >= 0) cAxis.set(mesh.grainAxis.subarray(3 * g, 3 * g + 3), 3 * t);
  }
  return {
    points: mesh.coords_um,
    pointDimension: 2,
    connectivity: mesh.triNodes,
    nodesPerCell: 3,
    cellType: VTK_TRIANGLE,
    cellData: [
      { name: 'grain', data: Int32Array.from(mesh.triGrain) },
      { name: 'region', data: Uint8Array.from(mesh.triRegion) },
      { name: 'orientation_rad', data: orientation },
      { name: 'c_axis', data: cAxis, components: 3 },
    ],
  };
}

/**
 * Interface elements as VTK lines on their a-side nodes [a0, a1], cell data grain_a, grain_b, kind. Only the
 * a-side nodes are written (renumbered in order of first use), which keeps the file small; `mesh_node` (point
 * data) gives each point's node index in the mesh so results can be mapped back.
 */
export function interfaceVtuPiece(mesh: PolycrystalMesh): VtuPiece {
  const lines = new Uint32Array(2 * mesh.interfaceCount);
  const local = new Int32Array(mesh.nodeCount).fill(-1);
  const used: number[] = [];
  for (let i = 0; i < 2 * mesh.interfaceCount; i++) {
    const node = mesh.interfaceNodes[4 * (i >> 1) + (i & 1)];
    if (local[node] < 0) {
      local[node] = used.length;
      used.push(node);
    }
    lines[i] = local[node];
  }
  const points = new Float64Array(2 * used.length);
  used.forEach((node, k) => {
    points[2 * k] = mesh.coords_um[2 * node];
    points[2 * k + 1] = mesh.coords_um[2 * node + 1];
  });
  return {
    pointData: [{ name: 'mesh_node', data: Int32Array.from(used) }],
    points,
    pointDimension: 2,
    connectivity: lines,
    nodesPerCell: 2,
    cellType: VTK_LINE,
    cellData: [
      { name: 'grain_a', data: Int32Array.from(mesh.interfaceGrainA) },
      { name: 'grain_b', data: Int32Array.from(mesh.interfaceGrainB) },
      { name: 'kind', data: Uint8Array.from(mesh.interfaceKind) },
    ],
  };
}
