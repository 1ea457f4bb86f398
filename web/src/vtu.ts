/**
 * Browser-side VTU (VTK XML UnstructuredGrid, ASCII) builders for one step, matching the CLI's run-directory layout
 * (docs/outputs.md): the solid mesh with point data `x`, `displacement` and cell data `grain`, `region`,
 * `orientation_rad`, `stress_xx_MPa`, `stress_yy_MPa`, `stress_xy_MPa`; and the interfaces as line cells with
 * `damage`, `opening_nm`, `grain_a`, `grain_b`. Coordinates in µm. (src/io writes files with node:fs, so the
 * browser has its own small string builder.)
 */
import type { WorkerMesh } from './worker-protocol.js';
import type { Snapshot } from './run-state.js';

type Arr = ArrayLike<number>;

function dataArray(name: string, type: 'Float64' | 'Int32' | 'UInt8', comps: number, a: Arr): string {
  const parts: string[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) parts[i] = type === 'Float64' ? fmt(a[i]) : String(a[i]);
  const nc = comps > 1 ? ` NumberOfComponents="${comps}"` : '';
  return `<DataArray type="${type}" Name="${name}"${nc} format="ascii">\n${lines(parts, 12)}\n</DataArray>`;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : Number(v.toPrecision(9)).toString()) : 'nan';
}

function lines(parts: string[], perLine: number): string {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += perLine) out.push(parts.slice(i, i + perLine).join(' '));
  return out.join('\n');
}

function piece(
  points: Arr,
  nPoints: number,
  conn: Arr,
  cellSize: number,
  cellType: number,
  pointData: string[],
  cellData: string[],
): string {
  const nCells = conn.length / cellSize;
  const offsets = new Int32Array(nCells);
  for (let c = 0; c < nCells; c++) offsets[c] = (c + 1) * cellSize;
  const types = new Uint8Array(nCells).fill(cellType);
  return [
    '<?xml version="1.0"?>',
    '<VTKFile type="UnstructuredGrid" version="1.0" byte_order="LittleEndian" header_type="UInt64">',
    '<UnstructuredGrid>',
    `<Piece NumberOfPoints="${nPoints}" NumberOfCells="${nCells}">`,
    `<Points>\n${dataArray('Points', 'Float64', 3, points)}\n</Points>`,
    `<Cells>\n${dataArray('connectivity', 'Int32', 1, conn)}\n${dataArray('offsets', 'Int32', 1, offsets)}\n${dataArray('types', 'UInt8', 1, types)}\n</Cells>`,
    `<PointData Scalars="x">\n${pointData.join('\n')}\n</PointData>`,
    `<CellData>\n${cellData.join('\n')}\n</CellData>`,
    '</Piece>',
    '</UnstructuredGrid>',
    '</VTKFile>',
    '',
  ].join('\n');
}

/** The solid mesh and its fields at one step. */
export function fieldsVtu(mesh: WorkerMesh, s: Snapshot): string {
  const n = mesh.nodeCount;
  const pts = new Float64Array(3 * n);
  const disp = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    pts[3 * i] = mesh.coords_um[2 * i];
    pts[3 * i + 1] = mesh.coords_um[2 * i + 1];
    disp[3 * i] = s.displacement_um[2 * i];
    disp[3 * i + 1] = s.displacement_um[2 * i + 1];
  }
  const nt = mesh.triCount;
  const orient = new Float64Array(nt);
  const sxx = new Float64Array(nt);
  const syy = new Float64Array(nt);
  const sxy = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    const g = mesh.triGrain[t];
    orient[t] = g >= 0 ? mesh.grainOrientation_rad[g] : 0;
    sxx[t] = s.stress_MPa[4 * t];
    syy[t] = s.stress_MPa[4 * t + 1];
    sxy[t] = s.stress_MPa[4 * t + 2];
  }
  return piece(
    pts,
    n,
    mesh.triNodes,
    3,
    5,
    [dataArray('x', 'Float64', 1, s.x), dataArray('displacement', 'Float64', 3, disp)],
    [
      dataArray('grain', 'Int32', 1, mesh.triGrain),
      dataArray('region', 'Int32', 1, mesh.triRegion),
      dataArray('orientation_rad', 'Float64', 1, orient),
      dataArray('stress_xx_MPa', 'Float64', 1, sxx),
      dataArray('stress_yy_MPa', 'Float64', 1, syy),
      dataArray('stress_xy_MPa', 'Float64', 1, sxy),
    ],
  );
}

/** Grain-boundary (and coating-interface) segments at one step, as line cells on side a's nodes. */
export function interfacesVtu(mesh: WorkerMesh, s: Snapshot): string {
  const ni = mesh.interfaceCount;
  const pts = new Float64Array(6 * ni);
  const conn = new Int32Array(2 * ni);
  for (let i = 0; i < ni; i++) {
    for (let k = 0; k < 2; k++) {
      const nd = mesh.interfaceNodes[4 * i + k];
      pts[6 * i + 3 * k] = mesh.coords_um[2 * nd];
      pts[6 * i + 3 * k + 1] = mesh.coords_um[2 * nd + 1];
      conn[2 * i + k] = 2 * i + k;
    }
  }
  return piece(
    pts,
    2 * ni,
    conn,
    2,
    3,
    [],
    [
      dataArray('damage', 'Float64', 1, s.damage),
      dataArray('opening_nm', 'Float64', 1, s.opening_nm),
      dataArray('grain_a', 'Int32', 1, mesh.interfaceGrainA),
      dataArray('grain_b', 'Int32', 1, mesh.interfaceGrainB),
      dataArray('kind', 'Int32', 1, mesh.interfaceKind),
    ],
  ).replace('<PointData Scalars="x">\n\n</PointData>', '<PointData>\n</PointData>');
}
