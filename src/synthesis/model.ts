/**
 * The synthesis (calcination) model on a polycrystal mesh (docs/synthesis.md): state, step loop, metrics and
 * the Li mass balance. One step of Δt (ending at t¹, rates at T(t¹)):
 *   1. transport (src/synthesis/transport.ts): c from the surface source, bulk and open-boundary transport;
 *   2. reactions at every node (src/synthesis/reaction.ts): lithiation, decomposition, rock-salt lithiation;
 *   3. closure of boundaries between lithiated grains (src/synthesis/closure.ts).
 * Li balance, every step: supplied through the surface = ∫c dA + β ∫X_L dA (µm² × unit of c).
 */
import type { PolycrystalMesh } from '../mesh/types.js';
import { triangleDiskArea } from '../mesh/stats.js';
import type { SynthesisConfig, SynthesisSection } from './config.js';
import { compileProgram, type ProgramSegment, type TemperatureProgram } from './temperature-program.js';
import { localPinning, ratesAt, type RatesAtT } from './rates.js';
import { SynthesisTransport } from './transport.js';
import { reactNode, type NodeState } from './reaction.js';
import { closeBoundaries } from './closure.js';
import { hypot } from '../math/portable.js';

export const SYNTHESIS_HISTORY_COLUMNS = [
  'step',
  'time_s',
  'T_C',
  'dt_s',
  'lithiated_fraction',
  'rock_salt_fraction',
  'void_fraction',
  'precursor_fraction',
  'lithiation_std',
  'open_boundary_fraction',
  'core_lithiated_fraction',
  'core_void_fraction',
  'li_supplied',
  'li_solution',
  'li_bound',
  'mass_balance_error',
] as const;

export type SynthesisRecord = Record<(typeof SYNTHESIS_HISTORY_COLUMNS)[number], number>;

/** The evolving state of a synthesis (SynthesisModel.exportState / importState). */
export interface SynthesisState {
  time_s: number;
  stepCount: number;
  liSupplied: number;
  dtNext: number;
  c: Float64Array;
  XL: Float64Array;
  XRS: Float64Array;
  Y: Float64Array;
  opening: Float64Array;
  history: SynthesisRecord[];
}

export interface RingProfile {
  r0_um: number;
  r1_um: number;
  lithiated: number;
  rock_salt: number;
  void: number;
}

export class SynthesisModel {
  readonly mesh: PolycrystalMesh;
  readonly section: SynthesisSection;
  readonly program: TemperatureProgram;
  readonly transport: SynthesisTransport;
  /** Nodal state. */
  readonly c: Float64Array;
  readonly XL: Float64Array;
  readonly XRS: Float64Array;
  readonly Y: Float64Array;
  /** Boundary opening o per interface element. */
  readonly opening: Float64Array;
  readonly interfacePinning: Float64Array;
  readonly nodeGrain: Int32Array;
  readonly history: SynthesisRecord[] = [];
  time_s = 0;
  stepCount = 0;
  liSupplied = 0;
  private dtNext: number;
  private readonly totalArea: number;
  private readonly triArea: Float64Array;
  /** Triangle area in the core r < R/2 and in the rings [0.5R, 0.6R], …, [0.9R, R] (6 per triangle). */
  private readonly triRingArea: Float64Array;
  readonly ringRadii_um: number[];

  constructor(mesh: PolycrystalMesh, section: SynthesisSection) {
    this.mesh = mesh;
    this.section = section;
    this.program = compileProgram(section.temperature_program.start_C, section.temperature_program.steps);
    this.transport = new SynthesisTransport(mesh);
    const n = mesh.nodeCount;
    this.c = new Float64Array(n);
    this.XL = new Float64Array(n);
    this.XRS = new Float64Array(n);
    this.Y = new Float64Array(n);
    this.opening = new Float64Array(mesh.interfaceCount).fill(1);
    this.nodeGrain = new Int32Array(n).fill(-1);
    for (let t = 0; t < mesh.triCount; t++)
      for (let k = 0; k < 3; k++) this.nodeGrain[mesh.triNodes[3 * t + k]] = mesh.triGrain[t];
    const xy = mesh.coords_um;
    const R = mesh.radius_um;
    this.interfacePinning = new Float64Array(mesh.interfaceCount);
    for (let i = 0; i < mesh.interfaceCount; i++) {
      const a0 = mesh.interfaceNodes[4 * i],
        a1 = mesh.interfaceNodes[4 * i + 1];
      const r = hypot((xy[2 * a0] + xy[2 * a1]) / 2, (xy[2 * a0 + 1] + xy[2 * a1 + 1]) / 2);
      this.interfacePinning[i] = localPinning(section, R - r);
    }
    this.totalArea = this.transport.integral(new Float64Array(n).fill(1));
    this.triArea = new Float64Array(mesh.triCount);
    this.ringRadii_um = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0].map((f) => f * R);
    const radii = this.ringRadii_um;
    this.triRingArea = new Float64Array(6 * mesh.triCount);
    const tn = mesh.triNodes;
    for (let t = 0; t < mesh.triCount; t++) {
      const [a, b, c] = [tn[3 * t], tn[3 * t + 1], tn[3 * t + 2]];
      const args = [xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1], xy[2 * c], xy[2 * c + 1]] as const;
      const area = 0.5 * ((args[2] - args[0]) * (args[5] - args[1]) - (args[4] - args[0]) * (args[3] - args[1]));
      this.triArea[t] = area;
      let prev = 0;
      for (let k = 1; k < radii.length; k++) {
        const inside = k === radii.length - 1 ? area : triangleDiskArea(...args, radii[k]);
        this.triRingArea[6 * t + k - 1] = inside - prev;
        prev = inside;
      }
    }
    this.dtNext = section.solver.initial_dt_s;
  }

  /** The state a step reads and writes (exactly what a checkpoint needs: the transport is refactorised every step). */
  exportState(): SynthesisState {
    return {
      time_s: this.time_s,
      stepCount: this.stepCount,
      liSupplied: this.liSupplied,
      dtNext: this.dtNext,
      c: Float64Array.from(this.c),
      XL: Float64Array.from(this.XL),
      XRS: Float64Array.from(this.XRS),
      Y: Float64Array.from(this.Y),
      opening: Float64Array.from(this.opening),
      history: this.history.map((r) => ({ ...r })),
    };
  }

  /** Continue from `exportState()` of a model on the same mesh and section. */
  importState(s: SynthesisState): void {
    const sizes = [s.c, s.XL, s.XRS, s.Y].every((a) => a.length === this.mesh.nodeCount);
    if (!sizes || s.opening.length !== this.mesh.interfaceCount)
      throw new Error('synthesis state: array sizes do not match this mesh');
    this.time_s = s.time_s;
    this.stepCount = s.stepCount;
    this.liSupplied = s.liSupplied;
    this.dtNext = s.dtNext;
    this.c.set(s.c);
    this.XL.set(s.XL);
    this.XRS.set(s.XRS);
    this.Y.set(s.Y);
    this.opening.set(s.opening);
    this.history.length = 0;
    this.history.push(...s.history.map((r) => ({ ...r })));
  }

  get T_C(): number {
    return this.program.at(this.time_s);
  }

  get done(): boolean {
    return this.time_s >= this.program.duration_s * (1 - 1e-12);
  }

  /** The program segment containing (t, t + ε). */
  segmentAt(t: number): ProgramSegment | null {
    for (const g of this.program.segments) if (t < g.t1_s * (1 - 1e-12)) return g;
    return null;
  }

  /**
   * The program step (its index in `program.segments`) that the last `step()` ended, −1 when it ended none: the
   * points where `chemofrac synthesize` writes its snapshots. Not state: −1 again after a restore.
   */
  programStepEnded = -1;

  /** Advance one step; returns the step's record. */
  step(): SynthesisRecord {
    const s = this.section;
    const seg = this.segmentAt(this.time_s);
    if (!seg) throw new Error('synthesis: the temperature program has ended');
    let dt = Math.min(this.dtNext, s.solver.max_dt_s, seg.t1_s - this.time_s);
    if (seg.kind === 'ramp') {
      const rate_C_s = Math.abs(seg.T1_C - seg.T0_C) / (seg.t1_s - seg.t0_s);
      dt = Math.min(dt, s.solver.max_temperature_step_C / rate_C_s);
    }
    // Do not leave a sliver at the end of a segment.
    if (seg.t1_s - (this.time_s + dt) < 1e-6 * dt) dt = seg.t1_s - this.time_s;
    const t1 = Math.abs(seg.t1_s - (this.time_s + dt)) <= 1e-9 * seg.t1_s ? seg.t1_s : this.time_s + dt;
    dt = t1 - this.time_s;
    const T1 = this.program.at(t1);
    const k = ratesAt(s, T1);
    const maxChange = this.advance(k, dt);
    this.time_s = t1;
    this.stepCount++;
    // a step never crosses a segment end (dt is clamped to it), so it ended `seg` when it left it
    this.programStepEnded = this.segmentAt(t1) !== seg ? seg.index : -1;
    const grow = maxChange > 0 ? s.solver.target_increment / maxChange : 2;
    this.dtNext = dt * Math.min(1.5, Math.max(0.3, grow));
    const rec = this.record(dt);
    this.history.push(rec);
    return rec;
  }

  /** Transport, reactions and closure over dt at the rates k; returns the largest change of a state variable. */
  advance(k: RatesAtT, dt: number): number {
    const s = this.section;
    const h = meanEdge(this.mesh);
    this.liSupplied += this.transport.step(
      this.c,
      this.opening,
      {
        D_bulk_um2_s: k.D_bulk_um2_s,
        D_GB_delta_um3_s: k.D_GB_delta_um3_s,
        h_surface_um_s: k.h_surface_um_s,
        transverse_um_s: (s.rates.transverse_conductance_factor * k.D_bulk_um2_s) / h,
        c_source: s.li_source.concentration,
      },
      dt,
    );
    const beta = s.precursor.li_capacity;
    const node: NodeState = { c: 0, XL: 0, XRS: 0, Y: 0 };
    const rr = { k_L: k.k_L_per_s, k_D: k.k_D_per_s, k_RS: k.k_RS_per_s };
    let maxChange = 0;
    for (let i = 0; i < this.mesh.nodeCount; i++) {
      node.c = this.c[i];
      node.XL = this.XL[i];
      node.XRS = this.XRS[i];
      node.Y = this.Y[i];
      reactNode(node, rr, beta, dt);
      maxChange = Math.max(maxChange, Math.abs(node.XL - this.XL[i]), Math.abs(node.XRS - this.XRS[i]));
      this.c[i] = node.c;
      this.XL[i] = node.XL;
      this.XRS[i] = node.XRS;
      this.Y[i] = node.Y;
    }
    const dO = closeBoundaries(this.mesh, this.opening, this.XL, this.interfacePinning, k.k_c_per_s, dt);
    return Math.max(maxChange, dO);
  }

  /** Run to the end of the program; `onStep` after every step. */
  run(onStep?: (rec: SynthesisRecord, model: SynthesisModel) => void): void {
    while (!this.done) {
      const rec = this.step();
      onStep?.(rec, this);
    }
  }

  /** Mass-weighted mean of a nodal field over the solid. */
  mean(v: Float64Array): number {
    return this.transport.integral(v) / this.totalArea;
  }

  /** Per-grain mass-weighted means of a nodal field. */
  grainMeans(v: Float64Array): Float64Array {
    const sum = new Float64Array(this.mesh.grainCount);
    const w = new Float64Array(this.mesh.grainCount);
    const m = this.transport.nodeMass_um2;
    for (let i = 0; i < this.mesh.nodeCount; i++) {
      const g = this.nodeGrain[i];
      if (g < 0) continue;
      sum[g] += m[i] * v[i];
      w[g] += m[i];
    }
    for (let g = 0; g < sum.length; g++) sum[g] = w[g] > 0 ? sum[g] / w[g] : 0;
    return sum;
  }

  /** Void fraction per node: ν_v · Y. */
  voidField(): Float64Array {
    const nu = this.section.precursor.void_per_decomposed;
    return this.Y.map((y) => Math.min(1, nu * y));
  }

  /** Per-triangle mean of a nodal field. */
  triangleField(v: Float64Array): Float64Array {
    const tn = this.mesh.triNodes;
    const out = new Float64Array(this.mesh.triCount);
    for (let t = 0; t < this.mesh.triCount; t++) out[t] = (v[tn[3 * t]] + v[tn[3 * t + 1]] + v[tn[3 * t + 2]]) / 3;
    return out;
  }

  /** Area-weighted means in the core (r < R/2, index 0) and the rings 50–100 % of R (indices 1–5). */
  ringMeans(v: Float64Array): number[] {
    const f = this.triangleField(v);
    const sum = new Float64Array(6);
    const area = new Float64Array(6);
    for (let t = 0; t < this.mesh.triCount; t++)
      for (let k = 0; k < 6; k++) {
        const a = this.triRingArea[6 * t + k];
        sum[k] += a * f[t];
        area[k] += a;
      }
    return Array.from(sum, (s, k) => (area[k] > 0 ? s / area[k] : 0));
  }

  /** Radial profiles in the rings 50–100 % of R. */
  ringProfiles(): RingProfile[] {
    const L = this.ringMeans(this.XL);
    const RS = this.ringMeans(this.XRS);
    const V = this.ringMeans(this.voidField());
    const out: RingProfile[] = [];
    for (let k = 1; k < 6; k++)
      out.push({
        r0_um: this.ringRadii_um[k],
        r1_um: this.ringRadii_um[k + 1],
        lithiated: L[k],
        rock_salt: RS[k],
        void: V[k],
      });
    return out;
  }

  /** Area-weighted standard deviation of the grains' lithiated fractions. */
  lithiationStd(): number {
    const gm = this.grainMeans(this.XL);
    const A = this.mesh.grainArea_um2;
    let w = 0,
      s = 0,
      s2 = 0;
    for (let g = 0; g < gm.length; g++) {
      w += A[g];
      s += A[g] * gm[g];
    }
    const mean = s / w;
    for (let g = 0; g < gm.length; g++) {
      const d = gm[g] - mean;
      s2 += A[g] * (d * d);
    }
    return Math.sqrt(s2 / w);
  }

  /** Length share of grain boundaries with o ≥ threshold. */
  openBoundaryFraction(): number {
    const L = this.transport.interfaceLength_um;
    const th = this.section.output.open_threshold;
    let total = 0,
      open = 0;
    for (let i = 0; i < this.mesh.interfaceCount; i++) {
      total += L[i];
      if (this.opening[i] >= th) open += L[i];
    }
    return total > 0 ? open / total : 0;
  }

  /** Li in solution, bound in the layered oxide, supplied, and the relative balance error. */
  massBalance(): { supplied: number; solution: number; bound: number; error: number } {
    const solution = this.transport.integral(this.c);
    const bound = this.section.precursor.li_capacity * this.transport.integral(this.XL);
    const supplied = this.liSupplied;
    const scale = Math.max(Math.abs(supplied), Math.abs(solution) + Math.abs(bound), 1e-300);
    return { supplied, solution, bound, error: (supplied - solution - bound) / scale };
  }

  private record(dt: number): SynthesisRecord {
    const lith = this.mean(this.XL);
    const rs = this.mean(this.XRS);
    const voids = this.voidField();
    const mb = this.massBalance();
    const coreL = this.ringMeans(this.XL)[0];
    const coreV = this.ringMeans(voids)[0];
    return {
      step: this.stepCount,
      time_s: this.time_s,
      T_C: this.T_C,
      dt_s: dt,
      lithiated_fraction: lith,
      rock_salt_fraction: rs,
      void_fraction: this.mean(voids),
      precursor_fraction: 1 - lith - rs,
      lithiation_std: this.lithiationStd(),
      open_boundary_fraction: this.openBoundaryFraction(),
      core_lithiated_fraction: coreL,
      core_void_fraction: coreV,
      li_supplied: mb.supplied,
      li_solution: mb.solution,
      li_bound: mb.bound,
      mass_balance_error: mb.error,
    };
  }
}

/** Mean edge length of the mesh (µm): the h of the transverse conductance κ = f_⊥ D / h. */
function meanEdge(mesh: PolycrystalMesh): number {
  const cached = edgeCache.get(mesh);
  if (cached !== undefined) return cached;
  const xy = mesh.coords_um;
  let s = 0;
  for (let t = 0; t < mesh.triCount; t++)
    for (let k = 0; k < 3; k++) {
      const p = mesh.triNodes[3 * t + k],
        q = mesh.triNodes[3 * t + ((k + 1) % 3)];
      s += hypot(xy[2 * q] - xy[2 * p], xy[2 * q + 1] - xy[2 * p + 1]);
    }
  const h = s / (3 * mesh.triCount);
  edgeCache.set(mesh, h);
  return h;
}
const edgeCache = new WeakMap<PolycrystalMesh, number>();

export type { SynthesisConfig };
