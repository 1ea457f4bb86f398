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
import { MATERIAL_C11, MATERIAL_C12, MATERIAL_C13, MATERIAL_C33, MATERIAL_C44 } from './abi';
import { MATERIAL_TABLE_OFFSET, MATERIAL_TABLE_LENGTH } from './abi';
import * as S from './state';

/**
 * Slots of an elastic-constants block (f64), computed on demand by `elasticConstantsOf` (≈ 60 flops; storing them
 * would cost 136 bytes per triangle): the global stiffness D_g (Voigt, symmetric: 6 slots), the eigenstress
 * directions Tᵀ G_a and Tᵀ G_c (3 each), and the σ_33 coefficients s33 (3), s33a, s33c.
 */
export const ELASTIC_D_XX_XX: i32 = 0;
export const ELASTIC_D_XX_YY: i32 = 1;
export const ELASTIC_D_XX_XY: i32 = 2;
export const ELASTIC_D_YY_YY: i32 = 3;
export const ELASTIC_D_YY_XY: i32 = 4;
export const ELASTIC_D_XY_XY: i32 = 5;
/** Tᵀ G_a: xx, yy, xy at slots 6, 7, 8. */
export const ELASTIC_GA: i32 = 6;
/** Tᵀ G_c: xx, yy, xy at slots 9, 10, 11. */
export const ELASTIC_GC: i32 = 9;
/** s33: xx, yy, xy at slots 12, 13, 14. */
export const ELASTIC_S33: i32 = 12;
export const ELASTIC_S33_A: i32 = 15;
export const ELASTIC_S33_C: i32 = 16;
export const ELASTIC_BLOCK_BYTES: i32 = 17 * 8;

/** f64[2 triCount]: cos θ, sin θ per triangle. */
let triangleCosSin: usize = 0;

function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/** Slot `slot` (ELASTIC_*) of an elastic-constants block. */
export function elastic(block: usize, slot: i32): f64 {
  return load<f64>(block + ((<usize>slot) << 3));
}

/** Per-triangle storage (setup). */
export function setupElasticity(): void {
  // cos θ, sin θ per triangle: AssemblyScript's software cos/sin cost ~50 ns, twice per triangle and solve
  triangleCosSin = allocF64(2 * S.triCount);
  for (let t = 0; t < S.triCount; t++) {
    const th = load<f64>(S.triAngle + ((<usize>t) << 3));
    store<f64>(triangleCosSin + ((<usize>t) << 4), Math.cos(th));
    store<f64>(triangleCosSin + ((<usize>t) << 4), Math.sin(th), 8);
  }
}

/** D_g, G_a, G_c and the σ_33 coefficients of triangle t into the elastic-constants block `out` (ELASTIC_*). */
export function elasticConstantsOf(out: usize, t: i32): void {
  {
    const mp = S.materialRecordOf(t);
    const C11 = S.field(mp, MATERIAL_C11);
    const C12 = S.field(mp, MATERIAL_C12);
    const C13 = S.field(mp, MATERIAL_C13);
    const C33 = S.field(mp, MATERIAL_C33);
    const C44 = S.field(mp, MATERIAL_C44);
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
    const p = out;
    // D_g = Tᵀ (L T)
    put(p, ELASTIC_D_XX_XX, t00 * m00 + t10 * m10 + t20 * m20);
    put(p, ELASTIC_D_XX_YY, t00 * m01 + t10 * m11 + t20 * m21);
    put(p, ELASTIC_D_XX_XY, t00 * m02 + t10 * m12 + t20 * m22);
    put(p, ELASTIC_D_YY_YY, t01 * m01 + t11 * m11 + t21 * m21);
    put(p, ELASTIC_D_YY_XY, t01 * m02 + t11 * m12 + t21 * m22);
    put(p, ELASTIC_D_XY_XY, t02 * m02 + t12 * m12 + t22 * m22);
    // Tᵀ G_a, Tᵀ G_c, Tᵀ s33 (third local component is 0 for all three)
    put(p, ELASTIC_GA, t00 * ga0 + t10 * ga1);
    put(p, ELASTIC_GA + 1, t01 * ga0 + t11 * ga1);
    put(p, ELASTIC_GA + 2, t02 * ga0 + t12 * ga1);
    put(p, ELASTIC_GC, t00 * gc0 + t10 * gc1);
    put(p, ELASTIC_GC + 1, t01 * gc0 + t11 * gc1);
    put(p, ELASTIC_GC + 2, t02 * gc0 + t12 * gc1);
    put(p, ELASTIC_S33, t00 * s0 + t10 * s1);
    put(p, ELASTIC_S33 + 1, t01 * s0 + t11 * s1);
    put(p, ELASTIC_S33 + 2, t02 * s0 + t12 * s1);
    put(p, ELASTIC_S33_A, sa);
    put(p, ELASTIC_S33_C, sc);
  }
}

/**
 * out = [ε_a, ε_c]: the lithiation strains of triangle t (nodes n0, n1, n2) at the mean of its nodal x (through
 * diffusionDof), interpolated in its material's lattice-strain table.
 */
export function latticeStrainOfTriangle(out: usize, t: i32, n0: i32, n1: i32, n2: i32): void {
  const x0 = load<f64>(S.li + ((<usize>load<i32>(S.diffusionDof + ((<usize>n0) << 2))) << 3));
  const x1 = load<f64>(S.li + ((<usize>load<i32>(S.diffusionDof + ((<usize>n1) << 2))) << 3));
  const x2 = load<f64>(S.li + ((<usize>load<i32>(S.diffusionDof + ((<usize>n2) << 2))) << 3));
  const xm = (x0 + x1 + x2) / 3.0;
  const mp = S.materialRecordOf(t);
  const off = <i32>S.field(mp, MATERIAL_TABLE_OFFSET);
  const len = <i32>S.field(mp, MATERIAL_TABLE_LENGTH);
  const xs = S.latticeTable + ((<usize>off) << 3);
  store<f64>(out, interpolateTable(xs, xs + ((<usize>len) << 3), len, xm));
  store<f64>(out, interpolateTable(xs, xs + ((<usize>(2 * len)) << 3), len, xm), 8);
}
