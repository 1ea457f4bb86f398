/**
 * Linear elasticity of a hexagonal grain with the lithiation eigenstrain, P1 triangles (constant strain),
 * Voigt notation with engineering shear: ε = [ε_xx, ε_yy, γ_xy], σ = [σ_xx, σ_yy, σ_xy] (docs/physics.md §3.3, §7).
 *
 * Per triangle, with D_g the section stiffness and G_a, G_c the eigenstress per unit lattice strain of its oriented
 * material record (`S.materialRecordOf(t)`, slots MATERIAL_* of abi.ts, read with `S.field`; the host rotates the
 * hexagonal constants to the grain's 3D c-axis once per grain and reduces them to the section:
 * src/engine/oriented-materials.ts):
 *   σ = D_g ε − σ⁰,  σ⁰ = ε_a G_a + ε_c G_c,
 *   σ_zz = s33 · ε + s33a ε_a + s33c ε_c (plane strain; 0 in plane stress),
 * with ε_a(x̄), ε_c(x̄) the lattice strains at the triangle's mean Li fraction x̄.
 *
 * Element: K_e = A Bᵀ D_g B, eigenstrain load f_e = A Bᵀ σ⁰, with B_(:,2i) = [∂_x N_i, 0, ∂_y N_i],
 * B_(:,2i+1) = [0, ∂_y N_i, ∂_x N_i].
 */
import { interpolateTable } from './lattice';
import { MATERIAL_TABLE_OFFSET, MATERIAL_TABLE_LENGTH } from './abi';
import * as S from './state';

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
