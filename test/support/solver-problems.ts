/**
 * The WebAssembly linear solvers (assembly/solver/) as a standalone module, and the sparse systems they are tested
 * and benchmarked on: P1 diffusion (M + Δt K, 1 dof/node) and plane-strain elasticity (2 dofs/node, interleaved) on
 * a triangulated quarter disk cut into "grains" whose boundary nodes are duplicated and tied by stiff penalty
 * springs (as the interface elements do), with symmetry conditions on the straight edges (reduced system).
 *
 * Shared by test/unit/solver.test.ts and bench/solver.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/mesh/random.js';

/** Uniform [0, 1) numbers from the project's one seeded generator (src/mesh/random.ts). */
const seededUniform = (seed: number): (() => number) => createRng(seed).next;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SolverExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  patternNew(n: number, nnz: number): number;
  patternRowPtr(A: number): number;
  patternCol(A: number): number;
  patternFind(A: number, i: number, j: number): number;
  matVec(A: number, values: number, x: number, y: number): void;
  cholNew(): number;
  cholAnalyse(c: number, A: number, coords: number): void;
  cholFactor(c: number, values: number): number;
  cholSolve(c: number, b: number, x: number): void;
  cholSingleCopyMinEntries(c: number, minEntries: number): void;
  cholSolveSingle(c: number, b: number, x: number): void;
  cholNnz(c: number): number;
  cholExactNnz(c: number): number;
  cholBytes(c: number): number;
  cholSupernodes(c: number): number;
  cholFlops(c: number): number;
  cholMaxSupernode(c: number): number;
  denseFill(a: number, nr: number, nc: number): void;
  denseFactor(a: number, nr: number, nc: number): number;
  solvePcg(
    A: number,
    values: number,
    b: number,
    x: number,
    M: number,
    rtol: number,
    maxIter: number,
    work: number,
    singlePrecisionFactor: number,
  ): number;
  pcgResidual(): number;
}

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(join(dir, f));
    if (s.isFile()) t = Math.max(t, s.mtimeMs);
  }
  return t;
}

/** Compile assembly/solver-exports.ts (release or debug) when stale. */
export function buildSolverWasm(debug: boolean): string {
  const out = join(ROOT, 'build', debug ? 'solver.debug.wasm' : 'solver.wasm');
  const src = Math.max(
    newest(join(ROOT, 'assembly', 'solver')),
    statSync(join(ROOT, 'assembly', 'solver-exports.ts')).mtimeMs,
  );
  if (!existsSync(out) || statSync(out).mtimeMs < src) {
    const flags = debug ? ['--debug'] : ['-O3', '--noAssert'];
    execFileSync(
      'npx',
      ['asc', 'assembly/solver-exports.ts', '--runtime', 'stub', '--enable', 'simd', ...flags, '--outFile', out],
      { cwd: ROOT, stdio: 'pipe' },
    );
  }
  return out;
}

const modules = new Map<string, WebAssembly.Module>();

/** Instantiate the solver module (compiled once per file and process; a fresh instance = fresh memory). */
export async function loadSolver(debug = false, fileOverride?: string): Promise<SolverExports> {
  const file = fileOverride ? join(ROOT, fileOverride) : buildSolverWasm(debug);
  let mod = modules.get(file);
  if (!mod) {
    mod = await WebAssembly.compile(readFileSync(file));
    modules.set(file, mod);
  }
  const instance = await WebAssembly.instantiate(mod, {
    env: {
      abort: (_m: number, _f: number, line: number, col: number) => {
        throw new Error(`wasm abort at ${line}:${col}`);
      },
      seed: () => 42,
    },
  });
  return instance.exports as unknown as SolverExports;
}

/** A symmetric sparse system in CSR (both triangles), with the unknowns' coordinates. */
export interface Problem {
  name: string;
  n: number;
  rowPtr: Int32Array;
  col: Int32Array;
  values: Float64Array;
  coords: Float64Array;
  /** value indices of the interface-spring entries (to soften them: a stale-factor test) */
  springEntries: { i: number; j: number }[];
}

interface Mesh {
  nodes: number; // node copies
  xy: Float64Array;
  tris: Int32Array;
  triAngle: Float64Array;
  springs: Int32Array; // pairs of node copies
  onX0: Uint8Array; // node on x = 0 (fix ux)
  onY0: Uint8Array; // node on y = 0 (fix uy)
}

/**
 * m × m cells on the unit square mapped to a quarter disk of radius R (r = max(u, v)), each cell split into two
 * triangles; grain boundaries along every `grain`-th grid line duplicate their nodes (one copy per side).
 */
export function quarterDiskMesh(m: number, grain = 12, R = 5): Mesh {
  const cut = (i: number) => i > 0 && i < m && i % grain === 0;
  const base = new Int32Array((m + 1) * (m + 1) + 1);
  let cnt = 0;
  for (let j = 0; j <= m; j++)
    for (let i = 0; i <= m; i++) {
      base[j * (m + 1) + i] = cnt;
      cnt += (cut(i) ? 2 : 1) * (cut(j) ? 2 : 1);
    }
  const xy = new Float64Array(2 * cnt);
  const onX0 = new Uint8Array(cnt);
  const onY0 = new Uint8Array(cnt);
  const rng = seededUniform(7);
  for (let j = 0; j <= m; j++)
    for (let i = 0; i <= m; i++) {
      const u = i / m,
        v = j / m;
      const r = Math.max(u, v),
        h = Math.hypot(u, v);
      const x = h > 0 ? (R * r * u) / h : 0,
        y = h > 0 ? (R * r * v) / h : 0;
      const k = (cut(i) ? 2 : 1) * (cut(j) ? 2 : 1);
      for (let c = 0; c < k; c++) {
        const id = base[j * (m + 1) + i] + c;
        xy[2 * id] = x;
        xy[2 * id + 1] = y;
        onX0[id] = i === 0 ? 1 : 0;
        onY0[id] = j === 0 ? 1 : 0;
      }
    }
  const copy = (i: number, j: number, ci: number, cj: number) => {
    const nx = cut(i) ? 2 : 1;
    const sx = cut(i) && ci > i ? 1 : 0;
    const sy = cut(j) && cj > j ? 1 : 0;
    return base[j * (m + 1) + i] + sx + nx * sy;
  };
  const tris = new Int32Array(6 * m * m);
  const triAngle = new Float64Array(2 * m * m);
  const grainAngle = new Float64Array((Math.floor(m / grain) + 1) ** 2).map(() => rng() * Math.PI);
  let t = 0;
  for (let j = 0; j < m; j++)
    for (let i = 0; i < m; i++) {
      const ci = i + 0.5,
        cj = j + 0.5;
      const a = copy(i, j, ci, cj),
        b = copy(i + 1, j, ci, cj),
        c = copy(i + 1, j + 1, ci, cj),
        d = copy(i, j + 1, ci, cj);
      const g = grainAngle[Math.floor(j / grain) * (Math.floor(m / grain) + 1) + Math.floor(i / grain)];
      // alternate the diagonal for a less regular graph
      if ((i + j) % 2 === 0) tris.set([a, b, c, a, c, d], 6 * t);
      else tris.set([a, b, d, b, c, d], 6 * t);
      triAngle[2 * t] = g;
      triAngle[2 * t + 1] = g;
      t++;
    }
  const springs: number[] = [];
  for (let j = 0; j <= m; j++)
    for (let i = 0; i <= m; i++) {
      const nx = cut(i) ? 2 : 1,
        ny = cut(j) ? 2 : 1,
        b0 = base[j * (m + 1) + i];
      if (nx === 2) for (let sy = 0; sy < ny; sy++) springs.push(b0 + 2 * sy, b0 + 1 + 2 * sy);
      if (ny === 2) for (let sx = 0; sx < nx; sx++) springs.push(b0 + sx, b0 + sx + nx);
    }
  return { nodes: cnt, xy, tris, triAngle, springs: Int32Array.from(springs), onX0, onY0 };
}

/** Assemble a CSR matrix from element dof lists and element matrices (dense, row-major). */
function assemble(
  n: number,
  elems: { dofs: number[]; ke: number[] }[] | null,
  forEach: (emit: (dofs: number[], ke: Float64Array) => void) => void,
): { rowPtr: Int32Array; col: Int32Array; values: Float64Array } {
  void elems;
  const rows: number[][] = Array.from({ length: n }, (_, i) => [i]);
  forEach((dofs) => {
    for (const a of dofs) if (a >= 0) for (const b of dofs) if (b >= 0) rows[a].push(b);
  });
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = Int32Array.from(rows[i]).sort();
    let u = 0;
    for (let k = 0; k < r.length; k++) if (k === 0 || r[k] !== r[k - 1]) r[u++] = r[k];
    rows[i] = Array.from(r.subarray(0, u));
    rowPtr[i + 1] = rowPtr[i] + u;
  }
  const col = new Int32Array(rowPtr[n]);
  for (let i = 0; i < n; i++) col.set(rows[i], rowPtr[i]);
  const values = new Float64Array(rowPtr[n]);
  const find = (i: number, j: number) => {
    let lo = rowPtr[i],
      hi = rowPtr[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (col[mid] < j) lo = mid + 1;
      else if (col[mid] > j) hi = mid - 1;
      else return mid;
    }
    throw new Error('entry missing');
  };
  forEach((dofs, ke) => {
    const k = dofs.length;
    for (let a = 0; a < k; a++)
      if (dofs[a] >= 0) for (let b = 0; b < k; b++) if (dofs[b] >= 0) values[find(dofs[a], dofs[b])] += ke[a * k + b];
  });
  return { rowPtr, col, values };
}

/** Triangle t of a mesh as P1 data: its nodes, area and the shape-function gradients ∂N/∂x, ∂N/∂y. */
function p1Triangle(mesh: { tris: ArrayLike<number>; xy: ArrayLike<number> }, t: number) {
  const v = [mesh.tris[3 * t], mesh.tris[3 * t + 1], mesh.tris[3 * t + 2]];
  const x = v.map((k) => mesh.xy[2 * k]),
    y = v.map((k) => mesh.xy[2 * k + 1]);
  const det = (x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]);
  return {
    v,
    A: Math.abs(det) / 2,
    bx: [y[1] - y[2], y[2] - y[0], y[0] - y[1]].map((z) => z / det),
    by: [x[2] - x[1], x[0] - x[2], x[1] - x[0]].map((z) => z / det),
  };
}

/** Backward-Euler P1 diffusion matrix M + Δt K (anisotropic D per grain) + interface conductance kc. */
export function diffusionProblem(m: number, dt = 0.01, grain = 12, kc = 1e3): Problem {
  const mesh = quarterDiskMesh(m, grain);
  const n = mesh.nodes;
  const Dab = 1,
    Dc = 0.1;
  const { rowPtr, col, values } = assemble(n, null, (emit) => {
    const ke = new Float64Array(9);
    for (let t = 0; t < mesh.tris.length / 3; t++) {
      const { v, A, bx, by } = p1Triangle(mesh, t);
      const th = mesh.triAngle[t],
        c = Math.cos(th),
        s = Math.sin(th);
      const Dxx = Dc * c * c + Dab * s * s,
        Dyy = Dc * s * s + Dab * c * c,
        Dxy = (Dc - Dab) * c * s;
      for (let a = 0; a < 3; a++)
        for (let b = 0; b < 3; b++) {
          const k = A * (bx[a] * (Dxx * bx[b] + Dxy * by[b]) + by[a] * (Dxy * bx[b] + Dyy * by[b]));
          ke[3 * a + b] = (A / 12) * (a === b ? 2 : 1) + dt * k;
        }
      emit(v, ke);
    }
    const ks = new Float64Array([dt * kc, -dt * kc, -dt * kc, dt * kc]);
    for (let s = 0; s < mesh.springs.length; s += 2) emit([mesh.springs[s], mesh.springs[s + 1]], ks);
  });
  const springEntries: { i: number; j: number }[] = [];
  for (let s = 0; s < mesh.springs.length; s += 2) springEntries.push({ i: mesh.springs[s], j: mesh.springs[s + 1] });
  return { name: 'diffusion', n, rowPtr, col, values, coords: mesh.xy, springEntries };
}

/** Plane-strain elasticity (2 dofs/node interleaved) with penalty springs on grain boundaries, symmetry BCs removed. */
export function elasticityProblem(m: number, grain = 12, penaltyFactor = 1e3): Problem {
  const mesh = quarterDiskMesh(m, grain);
  const E = 140e3,
    nu = 0.3,
    kpen = penaltyFactor * E;
  const lam = (E * nu) / ((1 + nu) * (1 - 2 * nu)),
    mu = E / (2 * (1 + nu));
  // reduced numbering: ux fixed on x = 0, uy fixed on y = 0
  const dof = new Int32Array(2 * mesh.nodes);
  let n = 0;
  for (let k = 0; k < mesh.nodes; k++) {
    dof[2 * k] = mesh.onX0[k] ? -1 : n++;
    dof[2 * k + 1] = mesh.onY0[k] ? -1 : n++;
  }
  const coords = new Float64Array(2 * n);
  for (let k = 0; k < mesh.nodes; k++)
    for (let c = 0; c < 2; c++)
      if (dof[2 * k + c] >= 0) {
        coords[2 * dof[2 * k + c]] = mesh.xy[2 * k];
        coords[2 * dof[2 * k + c] + 1] = mesh.xy[2 * k + 1];
      }
  const springDofs: { i: number; j: number }[] = [];
  const { rowPtr, col, values } = assemble(n, null, (emit) => {
    const ke = new Float64Array(36);
    for (let t = 0; t < mesh.tris.length / 3; t++) {
      const { v, A, bx, by } = p1Triangle(mesh, t);
      // B (3 × 6), D (3 × 3) plane strain
      const B = [0, 1, 2].map(() => new Float64Array(6));
      for (let a = 0; a < 3; a++) {
        B[0][2 * a] = bx[a];
        B[1][2 * a + 1] = by[a];
        B[2][2 * a] = by[a];
        B[2][2 * a + 1] = bx[a];
      }
      const D = [
        [lam + 2 * mu, lam, 0],
        [lam, lam + 2 * mu, 0],
        [0, 0, mu],
      ];
      for (let a = 0; a < 6; a++)
        for (let b = 0; b < 6; b++) {
          let s = 0;
          for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) s += B[r][a] * D[r][q] * B[q][b];
          ke[6 * a + b] = A * s;
        }
      emit(
        v.flatMap((k) => [dof[2 * k], dof[2 * k + 1]]),
        ke,
      );
    }
    const ks = new Float64Array(16);
    for (let c = 0; c < 2; c++) {
      ks[4 * c + c] = kpen;
      ks[4 * (c + 2) + c + 2] = kpen;
      ks[4 * c + c + 2] = -kpen;
      ks[4 * (c + 2) + c] = -kpen;
    }
    for (let s = 0; s < mesh.springs.length; s += 2) {
      const a = mesh.springs[s],
        b = mesh.springs[s + 1];
      emit([dof[2 * a], dof[2 * a + 1], dof[2 * b], dof[2 * b + 1]], ks);
    }
  });
  for (let s = 0; s < mesh.springs.length; s += 2) {
    const a = mesh.springs[s],
      b = mesh.springs[s + 1];
    for (let c = 0; c < 2; c++)
      if (dof[2 * a + c] >= 0 && dof[2 * b + c] >= 0) springDofs.push({ i: dof[2 * a + c], j: dof[2 * b + c] });
  }
  return { name: 'elasticity', n, rowPtr, col, values, coords, springEntries: springDofs };
}

/**
 * Soften a fraction of the interface springs: a_ij ← a_ij + (1 − s)·k for the entries (i,i),(j,j),(i,j),(j,i)
 * with k = −a_ij (the spring's stiffness), i.e. the spring's stiffness scaled by s. Returns new values.
 */
export function softenSprings(p: Problem, fraction: number, s: number, seed = 3): Float64Array {
  const v = p.values.slice();
  const rng = seededUniform(seed);
  const find = (i: number, j: number) => {
    for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) if (p.col[k] === j) return k;
    throw new Error('missing');
  };
  for (const { i, j } of p.springEntries) {
    if (rng() >= fraction) continue;
    const ij = find(i, j),
      ji = find(j, i),
      ii = find(i, i),
      jj = find(j, j);
    const k = -v[ij] * (1 - s) * 0.999; // keep a little of the coupling from the other contributions
    v[ij] += k;
    v[ji] += k;
    v[ii] -= k;
    v[jj] -= k;
  }
  return v;
}

/** Owns wasm-side copies of a problem. Views are re-created on every access (memory may grow). */
export class WasmProblem {
  A: number;
  values: number;
  coords: number;
  constructor(
    public w: SolverExports,
    public p: Problem,
  ) {
    const n = p.n,
      nnz = p.rowPtr[n];
    this.A = w.patternNew(n, nnz);
    new Int32Array(w.memory.buffer, w.patternRowPtr(this.A), n + 1).set(p.rowPtr);
    new Int32Array(w.memory.buffer, w.patternCol(this.A), nnz).set(p.col);
    this.values = this.f64(p.values);
    this.coords = this.f64(p.coords);
  }
  f64(a: Float64Array | number): number {
    const len = typeof a === 'number' ? a : a.length;
    const ptr = this.w.alloc(8 * Math.max(len, 1));
    if (typeof a !== 'number') new Float64Array(this.w.memory.buffer, ptr, len).set(a);
    return ptr;
  }
  view(ptr: number, len: number): Float64Array {
    return new Float64Array(this.w.memory.buffer, ptr, len);
  }
}

/** ‖A x − b‖ / ‖b‖ computed on the host. */
export function relResidual(p: Problem, values: Float64Array, x: Float64Array, b: Float64Array): number {
  let r2 = 0,
    b2 = 0;
  for (let i = 0; i < p.n; i++) {
    let s = 0;
    for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) s += values[k] * x[p.col[k]];
    r2 += (s - b[i]) ** 2;
    b2 += b[i] ** 2;
  }
  return Math.sqrt(r2 / b2);
}
