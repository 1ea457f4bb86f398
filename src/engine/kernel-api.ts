/**
 * The contract between the host (driver, tests, benchmark) and a numerical kernel. Two implementations exist and
 * must agree to 1e-10: the WebAssembly kernel (`assembly/`, loaded by `src/engine/wasm-kernel.ts`) and the pure
 * TypeScript oracle (`src/engine/ts-kernel/`), used as a test oracle and as the "no WASM" baseline.
 *
 * Units everywhere in the kernel: length µm, time s, stress MPa, energy per unit length MPa·µm (= J/m²),
 * diffusivity µm²/s, Li site fraction x dimensionless (1 = fully lithiated, the pristine state).
 *
 * Fields (docs/physics.md §3):
 *  - diffusion, backward Euler with consistent mass:  (M + Δt K_D) x¹ = M x⁰ − Δt f_q + Δt f_extra,
 *    K_D from D_g = R(θ) diag(D_ab, D_c) R(θ)ᵀ per triangle, f_q[i] = Σ_segments q_s ∫ N_i ds (q > 0 = Li leaving),
 *    plus, on interfaces whose two sides have distinct diffusion dofs, a conductance k (1 − D) (x_a − x_b);
 *  - mechanics, small strain, quasi-static, linear triangles (constant strain):
 *    σ = C(θ) : (ε − εᴸ(x̄_e)), x̄_e the mean of the triangle's nodal x, εᴸ = diag(ε_a(x̄), ε_c(x̄)) in the grain
 *    frame and ε_a(x̄) out of plane (hexagonal, local axes 1 = a in-plane, 2 = c, 3 = a out-of-plane);
 *    plane strain (ε_33 = 0) or plane stress (σ_33 = 0, condensed);
 *  - cohesive interfaces, bilinear law on the effective opening λ = sqrt(⟨δn⟩² + δs²) with irreversibility,
 *    T = (1 − D) K δ in opening and shear, undamaged K δn in compression, integrated at the two node pairs
 *    (Newton–Cotes / Lobatto, 2 points per interface element), optional viscous regularisation (Gao–Bower).
 *
 * Conventions both implementations follow exactly (they are what makes 1e-10 agreement possible):
 *  - Orientation: θ is the angle of the grain's c-axis from the x axis. e_c = (cos θ, sin θ), the in-plane
 *    a-axis e_a = (−sin θ, cos θ). D_g = D_c e_c e_cᵀ + D_ab e_a e_aᵀ; the stiffness and the eigenstrain are
 *    given in the local (a, c) frame and rotated with the same e_a, e_c.
 *  - Triangles: linear (P1), one-point (exact) stiffness, consistent mass M_e = A/12 [2 1 1; 1 2 1; 1 1 2].
 *  - Interface element [a0, a1, b0, b1]: t = (X(a1) − X(a0)) / L, n = (t_y, −t_x) (points from side a to side b),
 *    jump δ = u_b − u_a, δn = δ·n, δs = δ·t, evaluated at the node pairs p = 0 (a0, b0) and p = 1 (a1, b1), each with
 *    weight L/2. Effective opening λ = sqrt(max(δn, 0)² + δs²); history κ = max(κ_committed, λ);
 *    D_static(κ) = 0 (κ ≤ λ0), λf (κ − λ0) / (κ (λf − λ0)) (λ0 < κ < λf), 1 (κ ≥ λf); damage never decreases.
 *    Stiffness factor s = max(1 − D, 1e-8) (the floor keeps a fully cracked, floating grain non-singular):
 *    Tn = s K δn for δn ≥ 0, Tn = K δn for δn < 0 (no damage, no softening in compression); Ts = s K δs.
 *    Non-damageable interfaces: D ≡ 0.
 *  - Damage-secant iteration of `mechanicsSolve`: D_trial ← D_committed, contact state from the current u; then for
 *    k = 1 … maxIterations: assemble the secant stiffness with (D_trial, contact state), solve; compute δ, λ, κ and
 *    G = max(D_committed, viscous(D_static(κ))); residual r = G − D_trial; ΔD = max |r|; update the contact
 *    state (δn < 0); then the Aitken-relaxed update (Irons–Tuck dynamic relaxation):
 *      ω_1 = 1;  ω_k = clamp(−ω_{k−1} Σ r_{k−1}·(r_k − r_{k−1}) / Σ (r_k − r_{k−1})², 0.5, 20)  (ω_k = 1 if the
 *      denominator is 0; sums over all interface points in ascending order),
 *      D_trial ← min(1, max(D_committed, D_trial + ω_k r_k)),
 *    converged when ΔD ≤ tolerance and no contact state changed in this iteration (the update is applied either
 *    way). The damage fixed-point map is monotone but contracts slowly near softening instabilities (ratio ≈ 0.95
 *    measured); the relaxation cut the iterations of a whole charge 3.6× at the same final damage.
 *    The displacement returned is the one of the last solve.
 *  - Eigenstrain of a triangle from the mean of its three nodal x (through diffusionDof).
 *  - Stress is evaluated from the final u and reported in global axes; σ33 from the plane-strain relation (0 in
 *    plane stress).
 *  Clarifications (additive, written with the TS oracle so both kernels integrate the same way):
 *  - Flux segment s of length L_s adds q_s L_s / 2 to the load of each of its two nodes' diffusion dofs (exact).
 *  - Interface conductance (only where diffusionDof[a_p] ≠ diffusionDof[b_p]) is integrated like the cohesive law,
 *    at the node pairs p = 0, 1 with weight L/2, using the COMMITTED damage without floor:
 *    K_D[a,a] += w k (1 − D_p), K_D[b,b] += w k (1 − D_p), K_D[a,b] = K_D[b,a] −= w k (1 − D_p).
 *  - Contact state: a point is "in contact" iff δn < 0 (δn = 0, e.g. the initial u = 0, is the opening branch).
 *  - `opening()` and `traction()` are evaluated from the final u with the final trial damage (`trialDamage()`, the
 *    D_trial after the last (relaxed) update) and the sign of the final δn; the trial history is κ_trial = max(κ_committed,
 *    λ(final u)); `commitDamage` copies D_trial → D_committed and κ_trial → κ_committed.
 *  - IMPL-EX (`scheme: 'implex'`, Oliver, Huespe & Cante 2008): the committed state carries, besides D_n and κ_n,
 *    the history rate κ̇_n = (κ_n − κ_{n−1}) / Δt_n of the last step (0 after an implicit solve). The solve is
 *    one linear solve: D_trial ← D̃ = max(D_n, viscous(D_static(κ_n + Δt κ̇_n))) (0 if non-damageable), contact
 *    state from the current u; assemble the secant stiffness with (D̃, contact), solve; then the implicit update
 *    from that u: κ_trial = max(κ_n, λ), G = max(D_n, viscous(D_static(κ_trial))), r = G − D̃,
 *    D_trial ← D̃ + r (no relaxation); the report's extrapolationError = maxDamageChange = max |r| (the a
 *    posteriori error that drives the step size) and meanExtrapolationError = Σ w |r| / Σ w over the damageable
 *    points (w = L/2; 0 when max |r| = 0); converged is always true, iterations = linearSolves = 1.
 *    The trial rate is (κ_trial − κ_n) / Δt (Δt > 0, else 0) and is committed with D and κ.
 *    The equilibrium of the step holds with D̃; openings/tractions/stresses are reported as for the implicit
 *    scheme (tractions with the final D_trial).
 *  - Cohesive fatigue (interface materials with fatigueLength_um > 0; docs/physics.md §9): the committed state also
 *    holds λ_n, the effective opening of the last committed solve (0 initially). In the damage update of a point
 *    (implicit iteration and IMPL-EX implicit update alike), when the interface is damageable and the point starts
 *    the step below its envelope, λ_n < κ_n (κ_n the committed history), with λ_e = min(λ, κ_n):
 *      ΔD = |λ_e − λ_n| / δ_Σ · max(0, (1 − D_n) K λ_e / σ_max − σ_f / σ_max),   G ← min(1, max(G, D_n + ΔD)),
 *    with D_n the committed damage (G continuous in λ). The trial history is κ_trial = max(κ_n, λ) and, in that case
 *    only, max(κ_trial, κ(D_trial)) with κ(D) = λ0 λf / (λf − D (λf − λ0)) (D < 1; λf for D = 1), evaluated on the
 *    final trial damage; the trial λ (from the final u) is committed as λ_n by `commitDamage`. On the envelope
 *    (λ_n = κ_n: every step of a monotonic loading) nothing changes: the bilinear law exactly.
 *  - Mechanics dofs in `fixedDofs` are eliminated (their rows and columns removed, their prescribed values moved
 *    to the right-hand side); `extraRhs` entries on fixed dofs are ignored.
 */

/**
 * Concentration-dependent diffusivity (docs/physics.md §8): a sum of Gaussians in log10 D, the form of the
 * O'Regan et al. (2022) GITT fit,
 *   D_ab(x) = prefactor · 10^(c0 + Σ_k a_k exp(−(s − b_k)²/c_k)),   s = min(max(x, sMin), sMax),
 * D_c(x) = D_ab(x) · D_c/D_ab of the material. The host folds the fit's correcting factor, the Arrhenius factor of
 * the run temperature and the unit (m²/s → µm²/s) into `prefactor_um2_s`. The kernels evaluate it per triangle at
 * the element mean of x at the start of each diffusion step (Picard-lagged) and reassemble K_D when it changed.
 */
export interface KernelDiffusivityFit {
  prefactor_um2_s: number;
  c0: number;
  /** Amplitudes a_k, centres b_k and widths c_k (c_k > 0) of the three Gaussians. */
  amplitude: [number, number, number];
  centre: [number, number, number];
  width: [number, number, number];
  /** The stoichiometry window of the fit: x outside it is clamped to it. */
  sMin: number;
  sMax: number;
}

/** Bulk material: diffusivity, hexagonal stiffness in the grain frame and the lattice-strain table. */
export interface KernelMaterial {
  /**
   * Li diffusivity in the basal (a) direction and along c (µm²/s). Isotropic: equal values. With
   * `diffusivityFit`, the reference the fit is scaled against: D(x) = (D_fit(x) / D_ab_um2_s) · D (both kernels).
   */
  D_ab_um2_s: number;
  D_c_um2_s: number;
  /** Optional concentration-dependent D_ab(x) (absent: D constant). */
  diffusivityFit?: KernelDiffusivityFit;
  /**
   * Hexagonal stiffness in the grain frame (MPa); local axes 1 = a in-plane, 2 = c, 3 = a out-of-plane.
   * Isotropic special case: C11 = C33 = λ + 2μ, C12 = C13 = λ, C44 = μ.
   */
  C11_MPa: number;
  C12_MPa: number;
  C13_MPa: number;
  C33_MPa: number;
  C44_MPa: number;
  /**
   * Lattice strain (fractions) against the Li site fraction x, ascending x, linearly interpolated and held
   * constant beyond the ends. ε_a applies in-plane along a and out of plane; ε_c along c.
   */
  latticeX: Float64Array;
  latticeA: Float64Array;
  latticeC: Float64Array;
}

/** Interface (grain boundary or coating/grain) material. */
export interface KernelInterfaceMaterial {
  /** Penalty stiffness K in normal and shear (MPa/µm). */
  penalty_MPa_per_um: number;
  /** Strength σ_max (MPa): λ0 = σ_max / K. */
  strength_MPa: number;
  /** Fracture energy G_c (J/m² = MPa·µm): λf = 2 G_c / σ_max. */
  Gc_J_m2: number;
  /** false: a linear penalty bond that never damages (bonded coating). */
  damageable: boolean;
  /** Viscous regularisation time η (s); 0 = rate-independent. D ← (D_n + (Δt/η) D_static) / (1 + Δt/η). */
  viscosity_s: number;
  /** Li conductance across the boundary (µm/s), scaled by (1 − D); used only where the two sides have distinct
   * diffusion dofs (crack-blocked diffusion). */
  liConductance_um_s: number;
  /**
   * Cohesive fatigue (docs/physics.md §9; optional, absent or 0 = none): accumulation length δ_Σ (µm) and endurance
   * traction σ_f (MPa). Below the envelope (λ < κ_n) a point gains
   * ΔD = |λ − λ_n| / δ_Σ · max(0, (1 − D_n) K λ / σ_max − σ_f / σ_max), then κ ← max(κ, κ(D)).
   */
  fatigueLength_um?: number;
  fatigueEndurance_MPa?: number;
}

export type SectionPlane = 'strain' | 'stress' | 'generalized-strain';

export interface KernelSetup {
  nodeCount: number;
  /** [x0, y0, x1, y1, …] (µm). */
  coords_um: Float64Array;
  triCount: number;
  /** 3 nodes per triangle, counter-clockwise. */
  triNodes: Uint32Array;
  /** Index into `materials` per triangle. */
  triMaterial: Uint32Array;
  /** In-plane c-axis angle θ per triangle (rad): the c-axis (cos θ, sin θ, 0) when `triAxis` is absent. */
  triAngle_rad: Float64Array;
  /**
   * Optional unit c-axis per triangle in 3D, [n_x, n_y, n_z] (z out of the section plane); overrides
   * `triAngle_rad` (docs/physics.md §7, `oriented-materials.ts`).
   */
  triAxis?: Float64Array;
  materials: KernelMaterial[];
  /**
   * Section: plane strain (ε_zz = 0), plane stress (σ_zz = 0), or generalized plane strain (one uniform ε_zz for the
   * whole section, chosen so that the net axial force ∫σ_zz dA vanishes; docs/physics.md §7).
   */
  plane: SectionPlane;

  /**
   * Diffusion unknowns: node i carries dof diffusionDof[i]. Nodes duplicated across an interface share one dof
   * (x continuous) unless diffusion is crack-blocked, in which case each side has its own dof and the interface
   * conductance joins them.
   */
  diffusionDofCount: number;
  diffusionDof: Uint32Array;

  /** Interface elements, 4 nodes each [a0, a1, b0, b1] (see PolycrystalMesh), and their material index. */
  interfaceCount: number;
  interfaceNodes: Uint32Array;
  interfaceMaterial: Uint32Array;
  interfaceMaterials: KernelInterfaceMaterial[];

  /** Li flux boundary segments, 2 nodes each. */
  fluxSegmentCount: number;
  fluxSegmentNodes: Uint32Array;

  /**
   * Displacement constraints: mechanics dof = 2 · node + component (0 = x, 1 = y), held at the value in
   * `MechanicsOptions.prescribed` (0 when absent). Symmetry edges and the statically determinate rigid-body
   * supports of a full disk are given here by the host.
   */
  fixedDofs: Uint32Array;
}

export interface SolveReport {
  /** Iterations of the iterative solver (0 for a direct solve). */
  iterations: number;
  /** Final relative residual ‖b − A x‖ / ‖b‖. */
  relativeResidual: number;
  /** True when the matrix was (re)factorised in this call. */
  refactored: boolean;
}

export interface MechanicsOptions {
  /** Time step (s), used only by viscous regularisation. */
  dt_s: number;
  /** Maximum damage-secant (or Newton) iterations before giving up. */
  maxIterations: number;
  /** Convergence: max |ΔD| between iterations and the relative residual of the nonlinear equilibrium. */
  tolerance: number;
  /** Values of the fixed dofs, same order as `KernelSetup.fixedDofs` (zeros when absent). */
  prescribed?: Float64Array;
  /** Extra nodal force vector (2 per node), e.g. body forces of a manufactured solution. */
  extraRhs?: Float64Array;
  /**
   * 'implicit' (default): the damage-secant iteration to `tolerance`; 'implex': one linear solve with the damage
   * extrapolated from the last committed step (IMPL-EX, see the header); `maxIterations`/`tolerance` unused.
   */
  scheme?: MechanicsScheme;
  /**
   * Relative residual ‖f − K u‖/‖f‖ the linear solves must reach (default 1e-14: the kernel-vs-oracle agreement
   * tolerance). The WASM kernel's stale-factor PCG stops there; the TS oracle solves directly (to round-off) and
   * ignores it.
   */
  linearTolerance?: number;
}

export type MechanicsScheme = 'implicit' | 'implex';

export interface MechanicsReport {
  /** Generalized plane strain: the section's uniform axial strain ε_zz of this solve (0 in the other sections). */
  axialStrain?: number;
  converged: boolean;
  /** Nonlinear iterations used. */
  iterations: number;
  /** Total linear-solver iterations over all nonlinear iterations. */
  linearIterations: number;
  /** Largest change of trial damage in the last iteration. */
  maxDamageChange: number;
  /** Largest increase of damage over the committed state in this solve. */
  maxDamageIncrement: number;
  /** Interface integration points whose damage is strictly between 0 and 1. */
  softeningPoints: number;
  /** Linear systems solved (one per secant iteration; 1 for IMPL-EX). */
  linearSolves: number;
  /** IMPL-EX a posteriori error max |D_implicit − D_extrapolated| over the points (0 for the implicit scheme). */
  extrapolationError: number;
  /** IMPL-EX: Σ w |r| / Σ w over the damageable points (w = L/2): the error of the step's mean damage (0 implicit). */
  meanExtrapolationError: number;
}

/**
 * Everything a kernel needs to take the next step exactly as it would have (checkpoint / resume): x per diffusion
 * dof, u (2 per node), the committed damage, history κ and its rate κ̇ (2 per interface each). Trial damage and contact state are
 * rebuilt from these at the start of every mechanics solve; the solver caches are not state (see
 * `resetSolverCaches`).
 */
export interface KernelState {
  li: Float64Array;
  displacement: Float64Array;
  damage: Float64Array;
  kappa: Float64Array;
  /** IMPL-EX history rate κ̇ per interface point (the extrapolation of the next step needs it). */
  kappaRate: Float64Array;
  /** Committed effective opening λ_n per interface point (the fatigue increment |λ − λ_n| needs it). */
  lambda: Float64Array;
}

/**
 * A kernel instance holds one scenario's state: x (per diffusion dof), u (2 per node), the committed damage D
 * and history κ (max λ so far) per interface integration point (2 per interface), and the trial state of the
 * current mechanics solve. Views returned below are live (they alias kernel memory for the WASM kernel) and are
 * valid until the next `setup`; the host may write `li()` to set initial conditions.
 */
export interface Kernel {
  readonly kind: 'wasm' | 'ts';
  setup(s: KernelSetup): void;

  /** Li site fraction per diffusion dof (live view, writable). */
  li(): Float64Array;
  /** Displacement, 2 per node (µm). */
  displacement(): Float64Array;
  /** Committed damage, 2 per interface (integration points at node pairs 0 and 1). */
  damage(): Float64Array;
  /** Trial damage of the last mechanics solve, 2 per interface. */
  trialDamage(): Float64Array;
  /** Committed history κ (max effective opening so far, µm), 2 per interface (live view; restart state). */
  kappa(): Float64Array;
  /** Committed IMPL-EX history rate κ̇ (µm/s) of the last step, 2 per interface (live view; restart state). */
  kappaRate(): Float64Array;
  /** Committed effective opening λ_n (µm) of the last step, 2 per interface (live view; restart state: fatigue). */
  lambda(): Float64Array;
  /** Opening [δn, δs] per integration point, 4 per interface (µm; δn > 0 opening). */
  opening(): Float64Array;
  /** Traction [Tn, Ts] per integration point, 4 per interface (MPa). */
  traction(): Float64Array;
  /** Stress per triangle [σxx, σyy, σxy, σ33] (MPa), from the last mechanics solve. */
  stress(): Float64Array;

  /** One backward-Euler diffusion step; `segmentFlux_um_s[s]` is q on flux segment s (> 0: Li leaves). */
  diffusionStep(dt_s: number, segmentFlux_um_s: Float64Array, extraRhs?: Float64Array): SolveReport;
  /** ∫ x dA over the solid (µm²), from the consistent mass matrix. */
  liIntegral(): number;
  /** Equilibrium with the lithiation eigenstrain of the current x and the current damage (trial state). */
  mechanicsSolve(opts: MechanicsOptions): MechanicsReport;
  /** Accept the trial damage and history of the last mechanics solve. */
  commitDamage(): void;
  /** Copy x, u, committed damage, history and history rate to a backup (no allocation after setup) / restore it. */
  saveState(): void;
  restoreState(): void;
  /** Copies of the state the next step needs (for a checkpoint). */
  exportState(): KernelState;
  /** Load a state from `exportState` of a kernel set up with the same scenario; also resets the solver caches. */
  importState(state: KernelState): void;
  /**
   * Forget every reused factorisation, so the next solves factorise afresh, as a freshly set-up kernel does.
   * Checkpoints call it: a run resumed from a checkpoint then takes bit-identical steps to the uninterrupted one
   * (a stale-factor PCG solve and a fresh direct solve differ in the last digits).
   */
  resetSolverCaches(): void;
  /** Bytes the kernel holds for this scenario. */
  memoryBytes(): number;
  dispose(): void;
}
