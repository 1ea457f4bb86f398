/**
 * Linear elasticity of a hexagonal grain with the lithiation eigenstrain, P1 triangles (constant strain),
 * Voigt notation with engineering shear: ε = [ε_xx, ε_yy, γ_xy], σ = [σ_xx, σ_yy, σ_xy].
 *
 * Grain frame (local axes 1 = a in-plane, 2 = c, 3 = a out-of-plane), plane strain (ε_33 = 0), docs/physics.md §3:
 *   σ_aa = C11 (ε_aa − ε_a) + C13 (ε_cc − ε_c) − C12 ε_a
 *   σ_cc = C13 (ε_aa − ε_a) + C33 (ε_cc − ε_c) − C13 ε_a
 *   σ_ac = C44 γ_ac
 *   σ_33 = C12 (ε_aa − ε_a) + C13 (ε_cc − ε_c) − C11 ε_a
 * i.e. σ_l = L ε_l − (ε_a G_a + ε_c G_c) with L = [C11 C13 0; C13 C33 0; 0 0 C44], G_a = [C11 + C12, 2 C13, 0],
 * G_c = [C13, C33, 0].
 * Plane stress (σ_33 = 0 condensed: ε_33 = ε_a − (C12 (ε_aa − ε_a) + C13 (ε_cc − ε_c)) / C11):
 *   L = [C11 − C12²/C11, C13 − C12 C13/C11, 0; ·, C33 − C13²/C11, 0; 0 0 C44], G_a = L[:, 0], G_c = L[:, 1], σ_33 = 0.
 *
 * Rotation: e_c = (cos θ, sin θ), e_a = (−sin θ, cos θ); local strain ε_l = T ε with
 *   T = [a_x², a_y², a_x a_y; c_x², c_y², c_x c_y; 2 a_x c_x, 2 a_y c_y, a_x c_y + a_y c_x],
 * global stress σ = Tᵀ σ_l, so D_g = Tᵀ L T, eigenstress σ⁰ = ε_a Tᵀ G_a + ε_c Tᵀ G_c.
 * Isotropic materials (C11 = C33, C12 = C13, C44 = (C11 − C12)/2) are the special case.
 *
 * Element: K_e = A Bᵀ D_g B, eigenstrain load f_e = A Bᵀ σ⁰, with B_(:,2i) = [∂_x N_i, 0, ∂_y N_i],
 * B_(:,2i+1) = [0, ∂_y N_i, ∂_x N_i].
 */
import { allocF64 } from './memory';
import { interpolateTable } from './lattice';
import * as S from './state';

/**
 * Constants of one triangle, layout: D_g (6: xx·xx, xx·yy, xx·xy, yy·yy, yy·xy, xy·xy), G_a (3), G_c (3), s33 (3),
 * s33a, s33c. Computed on demand into a static block (≈ 60 flops; storing them would cost 136 bytes per triangle).
 */
export const ELASTIC_STRIDE: i32 = 17;
const elasticScratch: usize = memory.data(ELASTIC_STRIDE * 8, 16);
/** f64[2 triCount]: ε_a, ε_c per triangle from the last `assembleLoad` (reused for the stresses). */
export let triangleStrains: usize = 0;
/** f64[2 triCount]: cos θ, sin θ per triangle. */
let triangleCosSin: usize = 0;

/** Lithiation strains of the last `latticeStrainOfTriangle` call. */
export let strainA: f64 = 0;
export let strainC: f64 = 0;

function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/** Per-triangle storage (setup). */
export function setupElasticity(): void {
  triangleStrains = allocF64(2 * S.triCount);
  // cos θ, sin θ per triangle: AssemblyScript's software cos/sin cost ~50 ns, twice per triangle and solve
  triangleCosSin = allocF64(2 * S.triCount);
  for (let t = 0; t < S.triCount; t++) {
    const th = load<f64>(S.triAngle + ((<usize>t) << 3));
    store<f64>(triangleCosSin + ((<usize>t) << 4), Math.cos(th));
    store<f64>(triangleCosSin + ((<usize>t) << 4), Math.sin(th), 8);
  }
}

/** D_g, G_a, G_c and the σ_33 coefficients of triangle t; returns the address of the (static) block. */
export function elasticConstantsOf(t: i32): usize {
  {
    const mp = S.materialParams + <usize>(S.MATERIAL_STRIDE * load<i32>(S.triMaterial + ((<usize>t) << 2))) * 8;
    const C11 = load<f64>(mp, 16);
    const C12 = load<f64>(mp, 24);
    const C13 = load<f64>(mp, 32);
    const C33 = load<f64>(mp, 40);
    const C44 = load<f64>(mp, 48);
    let L11: f64, L12: f64, L22: f64;
    let ga0: f64, ga1: f64, gc0: f64, gc1: f64;
    let s0: f64 = 0,
      s1: f64 = 0,
      sa: f64 = 0,
      sc: f64 = 0;
    if (S.planeStress) {
      L11 = C11 - (C12 * C12) / C11;
      L12 = C13 - (C12 * C13) / C11;
      L22 = C33 - (C13 * C13) / C11;
      ga0 = L11;
      ga1 = L12;
      gc0 = L12;
      gc1 = L22;
    } else {
      L11 = C11;
      L12 = C13;
      L22 = C33;
      ga0 = C11 + C12;
      ga1 = 2 * C13;
      gc0 = C13;
      gc1 = C33;
      s0 = C12;
      s1 = C13;
      sa = -(C12 + C11);
      sc = -C13;
    }
    const L33 = C44;
    const co = load<f64>(triangleCosSin + ((<usize>t) << 4));
    const si = load<f64>(triangleCosSin + ((<usize>t) << 4), 8);
    const ax = -si;
    const ay = co;
    const cx = co;
    const cy = si;
    // T rows
    const t00 = ax * ax,
      t01 = ay * ay,
      t02 = ax * ay;
    const t10 = cx * cx,
      t11 = cy * cy,
      t12 = cx * cy;
    const t20 = 2 * ax * cx,
      t21 = 2 * ay * cy,
      t22 = ax * cy + ay * cx;
    // L T (3×3)
    const m00 = L11 * t00 + L12 * t10,
      m01 = L11 * t01 + L12 * t11,
      m02 = L11 * t02 + L12 * t12;
    const m10 = L12 * t00 + L22 * t10,
      m11 = L12 * t01 + L22 * t11,
      m12 = L12 * t02 + L22 * t12;
    const m20 = L33 * t20,
      m21 = L33 * t21,
      m22 = L33 * t22;
    const p = elasticScratch;
    // D_g = Tᵀ (L T)
    put(p, 0, t00 * m00 + t10 * m10 + t20 * m20);
    put(p, 1, t00 * m01 + t10 * m11 + t20 * m21);
    put(p, 2, t00 * m02 + t10 * m12 + t20 * m22);
    put(p, 3, t01 * m01 + t11 * m11 + t21 * m21);
    put(p, 4, t01 * m02 + t11 * m12 + t21 * m22);
    put(p, 5, t02 * m02 + t12 * m12 + t22 * m22);
    // Tᵀ G_a, Tᵀ G_c, Tᵀ s33 (third local component is 0 for all three)
    put(p, 6, t00 * ga0 + t10 * ga1);
    put(p, 7, t01 * ga0 + t11 * ga1);
    put(p, 8, t02 * ga0 + t12 * ga1);
    put(p, 9, t00 * gc0 + t10 * gc1);
    put(p, 10, t01 * gc0 + t11 * gc1);
    put(p, 11, t02 * gc0 + t12 * gc1);
    put(p, 12, t00 * s0 + t10 * s1);
    put(p, 13, t01 * s0 + t11 * s1);
    put(p, 14, t02 * s0 + t12 * s1);
    put(p, 15, sa);
    put(p, 16, sc);
  }
  return elasticScratch;
}

/** ε_a, ε_c of triangle t from the mean of its nodal x (through diffusionDof) into `strainA`, `strainC`. */
export function latticeStrainOfTriangle(t: i32, n0: i32, n1: i32, n2: i32): void {
  const x0 = load<f64>(S.li + ((<usize>load<i32>(S.diffusionDof + ((<usize>n0) << 2))) << 3));
  const x1 = load<f64>(S.li + ((<usize>load<i32>(S.diffusionDof + ((<usize>n1) << 2))) << 3));
  const x2 = load<f64>(S.li + ((<usize>load<i32>(S.diffusionDof + ((<usize>n2) << 2))) << 3));
  const xm = (x0 + x1 + x2) / 3.0;
  const mp = S.materialParams + <usize>(S.MATERIAL_STRIDE * load<i32>(S.triMaterial + ((<usize>t) << 2))) * 8;
  const off = <i32>load<f64>(mp, 56);
  const len = <i32>load<f64>(mp, 64);
  const xs = S.latticeTable + ((<usize>off) << 3);
  strainA = interpolateTable(xs, xs + ((<usize>len) << 3), len, xm);
  strainC = interpolateTable(xs, xs + ((<usize>(2 * len)) << 3), len, xm);
  const o = triangleStrains + ((<usize>t) << 4);
  store<f64>(o, strainA);
  store<f64>(o, strainC, 8);
}
