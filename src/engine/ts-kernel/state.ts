/**
 * The scenario held by one oracle instance (mirrors assembly/state.ts): the setup, the per-triangle geometry, the
 * interface frames, the live fields and the committed/trial/backup damage state, all allocated by name in one place.
 */
import type { KernelSetup, KernelState } from '../kernel-api.js';
import { KERNEL_STATE_FIELDS } from '../kernel-state.js';
import { allTriangleGeometry, type TriangleGeometry } from './triangle.js';
import { interfaceFrame, FRAME_STRIDE } from './cohesive.js';
import { orientedMaterials, type OrientedMaterials } from '../oriented-materials.js';

export class KernelFields {
  readonly geometry: TriangleGeometry;
  /** The section constants of every (material, c-axis) pair and each triangle's record (oriented-materials.ts). */
  readonly oriented: OrientedMaterials;
  /** FRAME_STRIDE per interface: n, t, L (cohesive.ts). */
  readonly frames: Float64Array;
  /** Li site fraction per diffusion dof. */
  readonly li: Float64Array;
  /** Displacement, 2 per node (µm). */
  readonly displacement: Float64Array;
  /** Committed damage and history κ per interface point (2 per interface). */
  readonly damage: Float64Array;
  readonly kappa: Float64Array;
  /** Trial damage and history of the last mechanics solve. */
  readonly trialDamage: Float64Array;
  readonly trialKappa: Float64Array;
  /** IMPL-EX history rate κ̇ = (κ_n − κ_{n−1}) / Δt_n, committed and of the current solve (0 after an implicit one). */
  readonly kappaRate: Float64Array;
  readonly trialKappaRate: Float64Array;
  /** Fatigue: committed effective opening λ_n of the last committed solve, and the trial λ (final u). */
  readonly lambda: Float64Array;
  readonly trialLambda: Float64Array;
  /** 1 when the point is in contact (δn < 0). */
  readonly contact: Uint8Array;
  /** [δn, δs] and [Tn, Ts] per interface point; [σxx, σyy, σxy, σ33] per triangle. */
  readonly opening: Float64Array;
  readonly traction: Float64Array;
  readonly stress: Float64Array;
  /** saveState()'s copy of the state arrays (KERNEL_STATE_FIELDS). */
  readonly backup: KernelState;

  constructor(readonly setup: KernelSetup) {
    const s = setup;
    const nq = 2 * s.interfaceCount;
    this.geometry = allTriangleGeometry(s);
    this.oriented = orientedMaterials(s);
    this.frames = new Float64Array(FRAME_STRIDE * s.interfaceCount);
    for (let e = 0; e < s.interfaceCount; e++) interfaceFrame(this.frames, s, e);
    this.li = new Float64Array(s.diffusionDofCount);
    this.displacement = new Float64Array(2 * s.nodeCount);
    this.damage = new Float64Array(nq);
    this.kappa = new Float64Array(nq);
    this.trialDamage = new Float64Array(nq);
    this.trialKappa = new Float64Array(nq);
    this.kappaRate = new Float64Array(nq);
    this.trialKappaRate = new Float64Array(nq);
    this.lambda = new Float64Array(nq);
    this.trialLambda = new Float64Array(nq);
    this.contact = new Uint8Array(nq);
    this.opening = new Float64Array(2 * nq);
    this.traction = new Float64Array(2 * nq);
    this.stress = new Float64Array(4 * s.triCount);
    this.backup = Object.fromEntries(
      KERNEL_STATE_FIELDS.map((k) => [k, new Float64Array(this[k].length)]),
    ) as unknown as KernelState;
  }

  /** Bytes held by the fields (memoryBytes). */
  bytes(): number {
    const arrays = [
      this.geometry.area,
      this.geometry.grad,
      this.frames,
      this.li,
      this.displacement,
      this.damage,
      this.kappa,
      this.trialDamage,
      this.trialKappa,
      this.kappaRate,
      this.trialKappaRate,
      this.lambda,
      this.trialLambda,
      this.contact,
      this.opening,
      this.traction,
      this.stress,
      ...KERNEL_STATE_FIELDS.map((k) => this.backup[k]),
    ];
    return arrays.reduce((n, a) => n + a.byteLength, 0);
  }
}
