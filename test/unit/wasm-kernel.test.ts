/**
 * Direct checks of the WebAssembly kernel through `createWasmKernel` (debug and release builds): tiny inline
 * meshes with closed-form answers. Units µm, s, MPa.
 */
import { describe, expect, it } from 'vitest';
import { createWasmKernel, KernelSetupError } from '../../src/engine/wasm-kernel.js';
import type { KernelInterfaceMaterial, KernelMaterial, KernelSetup } from '../../src/engine/kernel-api.js';
import { component, tile } from '../support/matchers.js';

// ---------------------------------------------------------------- fixtures

const C = { C11: 250e3, C12: 90e3, C13: 70e3, C33: 180e3, C44: 50e3 };

function material(lattice = { x: [0, 1], a: [0, 0], c: [0, 0] }, D_ab = 0.01, D_c = 0.001): KernelMaterial {
  return {
    D_ab_um2_s: D_ab,
    D_c_um2_s: D_c,
    C11_MPa: C.C11,
    C12_MPa: C.C12,
    C13_MPa: C.C13,
    C33_MPa: C.C33,
    C44_MPa: C.C44,
    latticeX: Float64Array.from(lattice.x),
    latticeA: Float64Array.from(lattice.a),
    latticeC: Float64Array.from(lattice.c),
  };
}

function cohesive(spec: Partial<KernelInterfaceMaterial> = {}): KernelInterfaceMaterial {
  return {
    penalty_MPa_per_um: 1e6,
    strength_MPa: 100,
    Gc_J_m2: 1,
    damageable: true,
    viscosity_s: 0,
    liConductance_um_s: 0,
    ...spec,
  };
}

interface Grid {
  coords: number[];
  tris: number[];
  /** node index of grid point (i, j), i along x. */
  node: (i: number, j: number) => number;
  nx: number;
  ny: number;
}

/** Structured nx × ny cells on [x0, x0 + w] × [0, h], each cell split along alternating diagonals. */
function grid(nx: number, ny: number, w: number, h: number, x0 = 0, nodeOffset = 0): Grid {
  const coords: number[] = [];
  const node = (i: number, j: number): number => nodeOffset + j * (nx + 1) + i;
  for (let j = 0; j <= ny; j++) for (let i = 0; i <= nx; i++) coords.push(x0 + (w * i) / nx, (h * j) / ny);
  const tris: number[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const a = node(i, j);
      const b = node(i + 1, j);
      const c = node(i + 1, j + 1);
      const d = node(i, j + 1);
      if ((i + j) % 2 === 0) tris.push(a, b, c, a, c, d);
      else tris.push(a, b, d, b, c, d);
    }
  }
  return { coords, tris, node, nx, ny };
}

/** A single-grain setup on a grid; the outer boundary is the flux boundary (counter-clockwise). */
function singleGrain(g: Grid, opts: Partial<KernelSetup> = {}, angle = 0.3): KernelSetup {
  const nodeCount = g.coords.length / 2;
  const triCount = g.tris.length / 3;
  const seg: number[] = [];
  for (let i = 0; i < g.nx; i++) seg.push(g.node(i, 0), g.node(i + 1, 0));
  for (let j = 0; j < g.ny; j++) seg.push(g.node(g.nx, j), g.node(g.nx, j + 1));
  for (let i = g.nx; i > 0; i--) seg.push(g.node(i, g.ny), g.node(i - 1, g.ny));
  for (let j = g.ny; j > 0; j--) seg.push(g.node(0, j), g.node(0, j - 1));
  return {
    nodeCount,
    coords_um: Float64Array.from(g.coords),
    triCount,
    triNodes: Uint32Array.from(g.tris),
    triMaterial: new Uint32Array(triCount),
    triAngle_rad: new Float64Array(triCount).fill(angle),
    materials: [material()],
    plane: 'strain',
    diffusionDofCount: nodeCount,
    diffusionDof: Uint32Array.from({ length: nodeCount }, (_, i) => i),
    interfaceCount: 0,
    interfaceNodes: new Uint32Array(0),
    interfaceMaterial: new Uint32Array(0),
    interfaceMaterials: [],
    fluxSegmentCount: seg.length / 2,
    fluxSegmentNodes: Uint32Array.from(seg),
    fixedDofs: new Uint32Array(0),
    ...opts,
  };
}

/**
 * Two grains [0, w] × [0, h] and [w, 2w] × [0, h] with duplicated nodes on x = w joined by ny interface elements
 * (side a = left grain, n = +x). Rollers on y = 0 (u_y = 0), u_x = 0 on x = 0, u_x prescribed on x = 2w.
 */
function bicrystal(
  nx: number,
  ny: number,
  w: number,
  h: number,
  iface: KernelInterfaceMaterial,
): {
  setup: KernelSetup;
  rightEdgeDofs: number;
} {
  const left = grid(nx, ny, w, h, 0, 0);
  const nLeft = left.coords.length / 2;
  const right = grid(nx, ny, w, h, w, nLeft);
  const coords = [...left.coords, ...right.coords];
  const tris = [...left.tris, ...right.tris];
  const nodeCount = coords.length / 2;
  const triCount = tris.length / 3;
  const ifNodes: number[] = [];
  for (let j = 0; j < ny; j++)
    ifNodes.push(left.node(nx, j), left.node(nx, j + 1), right.node(0, j), right.node(0, j + 1));
  const fixed: number[] = [];
  for (let j = 0; j <= ny; j++) fixed.push(2 * left.node(0, j));
  for (let i = 0; i <= nx; i++) fixed.push(2 * left.node(i, 0) + 1, 2 * right.node(i, 0) + 1);
  const rightStart = fixed.length;
  for (let j = 0; j <= ny; j++) fixed.push(2 * right.node(nx, j));
  // diffusion: one dof per geometric point (x continuous across the boundary)
  const diffusionDof = new Uint32Array(nodeCount);
  for (let n = 0; n < nLeft; n++) diffusionDof[n] = n;
  let next = nLeft;
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) diffusionDof[right.node(i, j)] = i === 0 ? left.node(nx, j) : next++;
  }
  return {
    setup: {
      nodeCount,
      coords_um: Float64Array.from(coords),
      triCount,
      triNodes: Uint32Array.from(tris),
      triMaterial: new Uint32Array(triCount),
      triAngle_rad: new Float64Array(triCount).map((_, t) => (t < left.tris.length / 3 ? 0.2 : 1.1)),
      materials: [material()],
      plane: 'strain',
      diffusionDofCount: next,
      diffusionDof,
      interfaceCount: ny,
      interfaceNodes: Uint32Array.from(ifNodes),
      interfaceMaterial: new Uint32Array(ny),
      interfaceMaterials: [iface],
      fluxSegmentCount: 0,
      fluxSegmentNodes: new Uint32Array(0),
      fixedDofs: Uint32Array.from(fixed),
    },
    rightEdgeDofs: rightStart,
  };
}

/** Plane-strain eigenstress σ⁰ (global Voigt + σ33) of a clamped grain: σ = −σ⁰. */
function clampedStress(theta: number, ea: number, ec: number): [number, number, number, number] {
  const sAA = -(C.C11 * ea + C.C13 * ec + C.C12 * ea);
  const sCC = -(C.C13 * ea + C.C33 * ec + C.C13 * ea);
  const s33 = -(C.C12 * ea + C.C13 * ec + C.C11 * ea);
  const a = [-Math.sin(theta), Math.cos(theta)];
  const c = [Math.cos(theta), Math.sin(theta)];
  return [
    sAA * a[0] * a[0] + sCC * c[0] * c[0],
    sAA * a[1] * a[1] + sCC * c[1] * c[1],
    sAA * a[0] * a[1] + sCC * c[0] * c[1],
    s33,
  ];
}

function allDofs(nodeCount: number): Uint32Array {
  return Uint32Array.from({ length: 2 * nodeCount }, (_, i) => i);
}

// ---------------------------------------------------------------- tests

describe.each([
  ['release', false],
  ['debug', true],
] as const)('WASM kernel (%s build)', (_name, debug) => {
  it('two-triangle patch: mass matrix sums to the area, constant x is stationary', async () => {
    const k = await createWasmKernel({ debug });
    const g = grid(1, 1, 2, 3);
    k.setup(singleGrain(g));
    k.li().fill(1);
    expect(k.liIntegral()).toBeCloseTo(6, 13);
    const rep = k.diffusionStep(0.5, new Float64Array(4));
    expect(rep.refactored).toBe(true);
    expect(k.li()).toBeCloseArray(1, { abs: 1e-14 });
    expect(k.diffusionStep(0.5, new Float64Array(4)).refactored).toBe(false);
    expect(k.diffusionStep(0.25, new Float64Array(4)).refactored).toBe(true);
    expect(k.memoryBytes()).toBeGreaterThan(0);
  });

  it('diffusion conserves Li: Δ∫x = −Δt Σ q L to 1e-12', async () => {
    const k = await createWasmKernel({ debug });
    const g = grid(8, 5, 4, 2.5);
    const s = singleGrain(g);
    k.setup(s);
    const x = k.li();
    for (let i = 0; i < x.length; i++) x[i] = 0.5 + 0.4 * Math.sin(1.7 * i);
    const q = Float64Array.from({ length: s.fluxSegmentCount }, (_, i) => 0.01 * (1 + (i % 3)));
    let outflow = 0;
    for (let sg = 0; sg < s.fluxSegmentCount; sg++) {
      const a = s.fluxSegmentNodes[2 * sg];
      const b = s.fluxSegmentNodes[2 * sg + 1];
      outflow += q[sg] * Math.hypot(g.coords[2 * b] - g.coords[2 * a], g.coords[2 * b + 1] - g.coords[2 * a + 1]);
    }
    for (const dt of [0.3, 0.3, 2.0]) {
      const before = k.liIntegral();
      const rep = k.diffusionStep(dt, q);
      expect(rep.relativeResidual).toBeLessThan(1e-12);
      const change = k.liIntegral() - before;
      expect(change).toBeWithin(-dt * outflow, { rel: 1e-12 });
    }
  });

  it('a clamped grain carries σ = −C : εᴸ (plane strain, rotated, σ33 included)', async () => {
    const k = await createWasmKernel({ debug });
    const g = grid(3, 2, 1.5, 1);
    const theta = 0.7;
    const lattice = { x: [0, 0.5, 1], a: [-0.01, -0.004, 0], c: [0.02, 0.01, 0] };
    const s = singleGrain(g, { materials: [material(lattice)], fixedDofs: allDofs(g.coords.length / 2) }, theta);
    k.setup(s);
    k.li().fill(0.25); // ε_a = −0.007, ε_c = 0.015
    const rep = k.mechanicsSolve({ dt_s: 1, maxIterations: 5, tolerance: 1e-9 });
    expect(rep.converged).toBe(true);
    const want = clampedStress(theta, -0.007, 0.015);
    const sig = k.stress();
    expect(sig).toBeCloseArray(tile(want, s.triCount), { abs: 1e-9 * 3000 });
  });

  it('a free grain (statically determinate supports) is stress-free in plane', async () => {
    const ea = -0.005;
    const ec = 0.01;
    for (const plane of ['strain', 'stress'] as const) {
      const k = await createWasmKernel({ debug });
      const g = grid(4, 3, 2, 1.5);
      const theta = -0.4;
      const lattice = { x: [0, 1], a: [-0.01, 0], c: [0.02, 0] };
      // u(0,0) = 0, u_y(2,0) = 0
      const fixed = Uint32Array.from([2 * g.node(0, 0), 2 * g.node(0, 0) + 1, 2 * g.node(4, 0) + 1]);
      const s = singleGrain(g, { materials: [material(lattice)], fixedDofs: fixed, plane }, theta);
      k.setup(s);
      k.li().fill(0.5); // ε_a = −0.005, ε_c = 0.01
      k.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-9 });
      // free in-plane strain in the grain frame: plane stress e = εᴸ; plane strain (ε33 = 0) solves
      // [C11 C13; C13 C33] (e − εᴸ) = [C12; C13] ε_a, and σ33 = C12 (e_aa − ε_a) + C13 (e_cc − ε_c) − C11 ε_a
      let eaa = ea;
      let ecc = ec;
      let s33 = 0;
      if (plane === 'strain') {
        const det = C.C11 * C.C33 - C.C13 * C.C13;
        const r0 = C.C12 * ea;
        const r1 = C.C13 * ea;
        eaa = ea + (C.C33 * r0 - C.C13 * r1) / det;
        ecc = ec + (C.C11 * r1 - C.C13 * r0) / det;
        s33 = C.C12 * (eaa - ea) + C.C13 * (ecc - ec) - C.C11 * ea;
      }
      const sig = k.stress();
      expect(sig).toBeCloseArray(tile([0, 0, 0, s33], s.triCount), { abs: 1e-8 });
      // global strain from the grain-frame one; supports fix the rotation ω = −ε_xy: u_x(2, 1.5) = 2 ε_xx + 1.5 γ_xy
      const u = k.displacement();
      const n = g.node(4, 3);
      const exx = eaa * Math.sin(theta) ** 2 + ecc * Math.cos(theta) ** 2;
      const gxy = 2 * (ecc - eaa) * Math.sin(theta) * Math.cos(theta);
      expect(u[2 * n]).toBeWithin(2 * exx + 1.5 * gxy, { abs: 1e-12 });
    }
  });

  it('a single cohesive boundary opened by prescribed displacement peaks at σ_max and softens to zero', async () => {
    const k = await createWasmKernel({ debug });
    const iface = cohesive({ penalty_MPa_per_um: 1e5, strength_MPa: 200, Gc_J_m2: 2 });
    const { setup, rightEdgeDofs } = bicrystal(2, 2, 1, 1, iface);
    k.setup(setup);
    k.li().fill(1);
    const prescribed = new Float64Array(setup.fixedDofs.length);
    const lambda0 = 200 / 1e5;
    const lambdaF = (2 * 2) / 200;
    let peak = 0;
    let last = Infinity;
    for (let step = 1; step <= 60; step++) {
      const U = (step / 40) * lambdaF * 1.2;
      prescribed.fill(U, rightEdgeDofs);
      const rep = k.mechanicsSolve({ dt_s: 1, maxIterations: 200, tolerance: 1e-10, prescribed });
      expect(rep.converged).toBe(true);
      k.commitDamage();
      const T = k.traction();
      peak = Math.max(peak, T[0]);
      last = T[0];
      // uniform opening: both integration points agree, no shear
      expect(T[1]).toBeWithin(0, { abs: 1e-6 });
    }
    expect(peak).toBeLessThanOrEqual(200 * (1 + 1e-9));
    expect(peak).toBeGreaterThan(200 * 0.95);
    expect(last).toBeLessThan(1e-3);
    for (const D of k.damage()) expect(D).toBe(1);
    expect(lambda0).toBeLessThan(lambdaF);
  });

  it('closing a cohesive boundary never damages it: undamaged penalty in compression', async () => {
    const k = await createWasmKernel({ debug });
    const K = 1e5;
    const { setup, rightEdgeDofs } = bicrystal(
      2,
      2,
      1,
      1,
      cohesive({ penalty_MPa_per_um: K, strength_MPa: 10, Gc_J_m2: 0.05 }),
    );
    setup.triAngle_rad.fill(0); // axes aligned, same both sides: homogeneous compression, no slip
    k.setup(setup);
    k.li().fill(1);
    const prescribed = new Float64Array(setup.fixedDofs.length).fill(-0.05, rightEdgeDofs);
    const rep = k.mechanicsSolve({ dt_s: 1, maxIterations: 20, tolerance: 1e-12, prescribed });
    expect(rep.converged).toBe(true);
    for (const D of k.trialDamage()) expect(D).toBe(0);
    const T = k.traction();
    const d = k.opening();
    for (let q = 0; q < T.length / 2; q++) expect(d[2 * q]).toBeLessThan(0);
    expect(component(T, 2, 0)).toBeCloseArray(
      component(d, 2, 0).map((dn) => K * dn),
      { abs: 5e-9 },
    );
  });

  it('penalty-stiff bond (K = 1e9 MPa/µm): the direct solution is kept when round-off prevents polishing', async () => {
    const k = await createWasmKernel({ debug });
    const iface = cohesive({ penalty_MPa_per_um: 1e9, strength_MPa: 1e7, Gc_J_m2: 1e5 });
    const { setup, rightEdgeDofs } = bicrystal(4, 4, 1, 1, iface);
    setup.triAngle_rad.fill(0.5);
    k.setup(setup);
    const prescribed = new Float64Array(setup.fixedDofs.length).fill(0.01, rightEdgeDofs);
    const rep = k.mechanicsSolve({ dt_s: 1, maxIterations: 10, tolerance: 1e-12, prescribed });
    expect(rep.converged).toBe(true);
    for (const v of k.displacement()) expect(Number.isFinite(v)).toBe(true);
    // the bond transmits the stretch: the jump is |T| / K, tiny against the 0.01 µm stretch
    expect(component(k.opening(), 2, 0)).toBeCloseArray(0, { abs: 1e-6 });
  });

  it('viscous regularisation: D = (D_n + (Δt/η) D_static) / (1 + Δt/η)', async () => {
    const k = await createWasmKernel({ debug });
    const iface = cohesive({ penalty_MPa_per_um: 1e5, strength_MPa: 200, Gc_J_m2: 2, viscosity_s: 3 });
    const { setup, rightEdgeDofs } = bicrystal(1, 1, 1, 1, iface);
    k.setup(setup);
    const prescribed = new Float64Array(setup.fixedDofs.length).fill(0.01, rightEdgeDofs);
    const rep = k.mechanicsSolve({ dt_s: 1, maxIterations: 200, tolerance: 1e-13, prescribed });
    expect(rep.converged).toBe(true);
    const lambda0 = 200 / 1e5;
    const lambdaF = 0.02;
    const dn = k.opening()[0];
    const Dstatic = (lambdaF * (dn - lambda0)) / (dn * (lambdaF - lambda0));
    const r = 1 / 3;
    expect(k.trialDamage()[0]).toBeWithin((r * Dstatic) / (1 + r), { abs: 1e-12 });
    expect(k.damage()[0]).toBe(0); // not committed
  });

  it('damage under unloading follows the history κ, not the current opening (the update the clamp cannot fake)', async () => {
    // "Damage never decreases" holds by construction (D = max(D_committed, …)), so checking it proves nothing.
    // What can go wrong is the update itself: after unloading, the kernel must still drive D towards D_static(κ)
    // with κ the largest opening reached. With viscosity, D keeps growing while unloaded; a kernel that used the
    // current opening instead of κ would leave D at D_committed (the clamp), and this test would fail.
    const k = await createWasmKernel({ debug });
    const K = 1e5;
    const iface = cohesive({ penalty_MPa_per_um: K, strength_MPa: 200, Gc_J_m2: 2, viscosity_s: 3 });
    const { setup, rightEdgeDofs } = bicrystal(1, 1, 1, 1, iface);
    k.setup(setup);
    const lambda0 = 200 / K;
    const lambdaF = 0.02;
    const r = 1 / 3; // dt / viscosity
    const Dstatic = (kappa: number) => (lambdaF * (kappa - lambda0)) / (kappa * (lambdaF - lambda0));
    const solve = (U: number) => {
      const prescribed = new Float64Array(setup.fixedDofs.length).fill(U, rightEdgeDofs);
      expect(k.mechanicsSolve({ dt_s: 1, maxIterations: 200, tolerance: 1e-13, prescribed }).converged).toBe(true);
    };
    // Per interface point q: opening (δn, δs) = opening()[2q, 2q + 1], λ = sqrt(max(δn, 0)² + δs²).
    const lambdaOf = (op: Float64Array) =>
      Array.from({ length: op.length / 2 }, (_, q) => Math.hypot(Math.max(op[2 * q], 0), op[2 * q + 1]));
    solve(0.01); // loading: λ0 < κ < λf
    const kappa = lambdaOf(k.opening());
    k.commitDamage();
    const D1 = Float64Array.from(k.damage());
    expect(D1).toBeCloseArray(
      kappa.map((kq) => (r * Dstatic(kq)) / (1 + r)),
      { abs: 1e-12 },
    );

    solve(0.004); // unloading to well below κ (but still open)
    const lambda = lambdaOf(k.opening());
    lambda.forEach((l, q) => expect(l).toBeLessThan(0.5 * kappa[q]));
    // The viscous update towards D_static(κ), from D_committed.
    const D2 = kappa.map((kq, q) => (D1[q] + r * Dstatic(kq)) / (1 + r));
    D2.forEach((d, q) => expect(d).toBeGreaterThan(D1[q] + 0.01));
    expect(k.trialDamage()).toBeCloseArray(D2, { abs: 1e-12 });
    // Secant unloading: Tn = (1 − D) K δn at the reduced opening (the opening branch: δn > 0).
    const op = k.opening();
    expect(op[0]).toBeGreaterThan(0);
    expect(k.traction()[0]).toBeWithin((1 - D2[0]) * K * op[0], { rel: 1e-9 });
    k.commitDamage();

    solve(0); // back to the start: no new opening, and the damage reached stays
    expect(k.trialDamage()).toBeCloseArray(
      kappa.map((kq, q) => (D2[q] + r * Dstatic(kq)) / (1 + r)),
      { abs: 1e-12 },
    );
  });

  it('crack-blocked diffusion: the interface conductance k (1 − D) conserves Li and a cracked boundary stops it', async () => {
    const k = await createWasmKernel({ debug });
    const iface = cohesive({ penalty_MPa_per_um: 1e5, strength_MPa: 200, Gc_J_m2: 0.5, liConductance_um_s: 0.5 });
    const { setup, rightEdgeDofs } = bicrystal(2, 2, 1, 1, iface);
    // each side of the interface gets its own dof
    const dof = Uint32Array.from({ length: setup.nodeCount }, (_, i) => i);
    const s: KernelSetup = { ...setup, diffusionDof: dof, diffusionDofCount: setup.nodeCount };
    k.setup(s);
    const leftNodes = setup.nodeCount / 2;
    const init = (): void => {
      const x = k.li();
      for (let i = 0; i < x.length; i++) x[i] = i < leftNodes ? 1 : 0;
    };
    init();
    const before = k.liIntegral();
    const rep = k.diffusionStep(0.5, new Float64Array(0));
    expect(rep.refactored).toBe(true);
    expect(k.liIntegral()).toBeWithin(before, { rel: 1e-13 });
    let right = 0;
    for (let i = leftNodes; i < setup.nodeCount; i++) right += k.li()[i];
    expect(right).toBeGreaterThan(1e-4);
    // crack the boundary completely, then diffuse again: the committed damage changes the matrix
    const prescribed = new Float64Array(setup.fixedDofs.length).fill(0.1, rightEdgeDofs);
    for (let step = 1; step <= 5; step++) {
      prescribed.fill(0.02 * step, rightEdgeDofs);
      k.mechanicsSolve({ dt_s: 1, maxIterations: 200, tolerance: 1e-12, prescribed });
      k.commitDamage();
    }
    for (const D of k.damage()) expect(D).toBe(1);
    init();
    const rep2 = k.diffusionStep(0.5, new Float64Array(0));
    expect(rep2.refactored || rep2.iterations > 0).toBe(true);
    expect(k.li().subarray(leftNodes, setup.nodeCount)).toBeCloseArray(0, { abs: 1e-12 });
  });

  it('views stay valid across steps (no allocation after setup); a second setup equals a fresh kernel', async () => {
    const k = await createWasmKernel({ debug });
    const g = grid(6, 4, 3, 2);
    const lattice = { x: [0, 1], a: [-0.01, 0], c: [0.02, 0] };
    const fixed = Uint32Array.from([0, 1, 2 * g.node(6, 0) + 1]);
    const s = singleGrain(g, { materials: [material(lattice)], fixedDofs: fixed }, 0.9);
    const other = singleGrain(grid(3, 3, 1, 1), {}, 0.1);
    const run = (kk: typeof k): Float64Array => {
      const x = kk.li();
      for (let i = 0; i < x.length; i++) x[i] = 0.3 + 0.5 * Math.cos(i);
      const view = kk.li();
      for (const dt of [0.1, 0.2, 0.2]) kk.diffusionStep(dt, new Float64Array(s.fluxSegmentCount).fill(0.01));
      kk.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-9 });
      expect(kk.li()).toBe(view);
      return Float64Array.from(kk.stress());
    };
    k.setup(other);
    k.diffusionStep(1, new Float64Array(other.fluxSegmentCount));
    k.setup(s);
    const a = run(k);
    const fresh = await createWasmKernel({ debug });
    fresh.setup(s);
    const b = run(fresh);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('save/restore round-trips x, u and damage; bad setups give clear errors', async () => {
    const k = await createWasmKernel({ debug });
    const { setup } = bicrystal(1, 1, 1, 1, cohesive());
    k.setup(setup);
    k.li().fill(0.3);
    k.saveState();
    k.li().fill(0.9);
    k.restoreState();
    expect(k.li()[0]).toBe(0.3);
    expect(() => k.setup({ ...setup, coords_um: new Float64Array(3) })).toThrow(KernelSetupError);
    expect(() => k.setup({ ...setup, triNodes: Uint32Array.from(setup.triNodes).fill(99, 0, 1) })).toThrow(
      /triNodes\[0\] = 99 is out of range/,
    );
    expect(() => k.diffusionStep(1, new Float64Array(5))).toThrow(/fluxSegmentCount/);
  });
});
