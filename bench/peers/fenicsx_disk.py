"""FEniCSx reference timings for `npm run bench` (bench/run.ts, section "FEniCSx peer").

One chemo-mechanical time step of chemofrac needs two linear solves. This script times the same two solves with
FEniCSx / PETSc (native code) on a quarter disk of radius R = 5 um, without cohesive interfaces:

  1. diffusion: one backward-Euler step of anisotropic Li diffusion,
        (x1 - x0)/dt = div(D grad x1),  D = D_ab e_a e_a^T + D_c e_c e_c^T,  D_c = D_ab/10,
     with a uniform outward flux on the arc and no flux on the symmetry edges;
  2. elasticity: plane strain, small strain, sigma = C : (eps(u) - eps_L(x1)), with the lithiation eigenstrain
     eps_L = eps_a(x) e_a e_a^T + eps_c(x) e_c e_c^T rotated per grain, u.n = 0 on the symmetry edges.

The c-axis angle is constant per "grain": ~100 Voronoi cells of seeded points (nearest seed of each cell midpoint).
Units as in the engine: um, s, MPa.

Each solve is timed with assembly included, with CG + algebraic multigrid (PETSc GAMG) at rtol 1e-8: "first" is
the first solve (it includes the set-up of the preconditioner), the plain figure a second, repeated solve. The
elasticity system is also solved directly (Cholesky, MUMPS).

Usage:   /usr/bin/python3 bench/peers/fenicsx_disk.py [N]      N = elements along the radius (default 100)
Output:  one line of key=value pairs (read by bench/run.ts):
         cells= c_dofs= u_dofs= mesh_s= diff_first_s= diff_s= elast_first_s= elast_s= elast_mumps_s=
Needs:   Debian's python3-dolfinx (0.5) and python3-gmsh: apt-get install -y python3-dolfinx python3-gmsh
"""

import argparse
import logging
import time

import numpy as np

logging.disable(logging.CRITICAL)

import gmsh  # noqa: E402
import ufl  # noqa: E402
from dolfinx import fem  # noqa: E402
from dolfinx import mesh as dmesh  # noqa: E402
from dolfinx.fem import petsc as fem_petsc  # noqa: E402
from dolfinx.io import gmshio  # noqa: E402
from mpi4py import MPI  # noqa: E402
from petsc4py import PETSc  # noqa: E402

RADIUS_UM = 5.0
GRAINS = 100
D_AB_UM2_S = 1e-2  # 1e-14 m^2/s
D_C_OVER_D_AB = 0.1
DT_S = 1.0
FLUX_PER_S = 1e-4  # site fraction x um / s through the arc
E_MPA, NU = 170e3, 0.28
EPS_A_END, EPS_C_END = -0.01, -0.02  # eigenstrain at x = 0, zero at x = 1 (linear in between)

AMG = {"ksp_type": "cg", "pc_type": "gamg", "ksp_rtol": 1e-8}
DIRECT = {"ksp_type": "preonly", "pc_type": "cholesky", "pc_factor_mat_solver_type": "mumps"}


def quarter_disk(n_radial):
    """Unstructured triangles on the quarter disk with element size R / n_radial (gmsh, OpenCASCADE kernel)."""
    gmsh.initialize()
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add("quarter-disk")
    disk = gmsh.model.occ.addDisk(0, 0, 0, RADIUS_UM, RADIUS_UM)
    square = gmsh.model.occ.addRectangle(0, 0, 0, RADIUS_UM, RADIUS_UM)
    quarter, _ = gmsh.model.occ.intersect([(2, disk)], [(2, square)])
    gmsh.model.occ.synchronize()
    gmsh.model.addPhysicalGroup(2, [quarter[0][1]], 1)
    gmsh.option.setNumber("Mesh.CharacteristicLengthMax", RADIUS_UM / n_radial)
    start = time.perf_counter()
    gmsh.model.mesh.generate(2)
    seconds = time.perf_counter() - start
    msh = gmshio.model_to_mesh(gmsh.model, MPI.COMM_WORLD, 0, gdim=2)[0]
    gmsh.finalize()
    return msh, seconds


def grain_angles(msh):
    """c-axis angle per cell, constant in ~GRAINS Voronoi grains of seeded points, as a DG0 function."""
    rng = np.random.default_rng(7)
    r = RADIUS_UM * np.sqrt(rng.uniform(0, 1, GRAINS))
    phi = rng.uniform(0, np.pi / 2, GRAINS)
    seeds = np.column_stack([r * np.cos(phi), r * np.sin(phi)])
    angles = rng.uniform(0, np.pi, GRAINS)
    tdim = msh.topology.dim
    cells = np.arange(msh.topology.index_map(tdim).size_local, dtype=np.int32)
    mid = dmesh.compute_midpoints(msh, tdim, cells)[:, :2]
    nearest = np.empty(cells.size, dtype=np.int64)
    for chunk in range(0, cells.size, 20000):
        d2 = ((mid[chunk : chunk + 20000, None, :] - seeds[None, :, :]) ** 2).sum(axis=2)
        nearest[chunk : chunk + 20000] = d2.argmin(axis=1)
    Q = fem.FunctionSpace(msh, ("DG", 0))
    theta = fem.Function(Q)
    dofs = Q.dofmap.list.array.reshape(-1)[: cells.size]
    theta.x.array[dofs] = angles[nearest]
    return theta


def timed_solves(problem, repeats):
    """Wall seconds of each of `repeats` solves (assembly included) and the last solution."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        solution = problem.solve()
        seconds.append(time.perf_counter() - start)
    return seconds, solution


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100, help="elements along the radius")
    n = parser.parse_args().n

    msh, mesh_s = quarter_disk(n)
    theta = grain_angles(msh)
    e_c = ufl.as_vector([ufl.cos(theta), ufl.sin(theta)])
    e_a = ufl.as_vector([-ufl.sin(theta), ufl.cos(theta)])
    P_a, P_c = ufl.outer(e_a, e_a), ufl.outer(e_c, e_c)

    # 1. backward-Euler diffusion step from x0 = 1 (fully lithiated), flux out through the arc
    V = fem.FunctionSpace(msh, ("CG", 1))
    x, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    x0 = fem.Function(V)
    x0.x.array[:] = 1.0
    D = D_AB_UM2_S * (P_a + D_C_OVER_D_AB * P_c)
    facets = dmesh.locate_entities_boundary(
        msh, 1, lambda p: np.isclose(np.hypot(p[0], p[1]), RADIUS_UM, atol=1e-3 * RADIUS_UM / n + 1e-9)
    )
    tags = dmesh.meshtags(msh, 1, np.sort(facets).astype(np.int32), np.ones(facets.size, dtype=np.int32))
    ds_arc = ufl.Measure("ds", domain=msh, subdomain_data=tags)(1)
    a_diff = (x * v + DT_S * ufl.inner(D * ufl.grad(x), ufl.grad(v))) * ufl.dx
    L_diff = x0 * v * ufl.dx - DT_S * FLUX_PER_S * v * ds_arc
    diffusion = fem_petsc.LinearProblem(a_diff, L_diff, petsc_options=AMG)
    diff_s, x1 = timed_solves(diffusion, 2)

    # 2. plane-strain elasticity with the eigenstrain of the new x
    W = fem.VectorFunctionSpace(msh, ("CG", 1))
    u, w = ufl.TrialFunction(W), ufl.TestFunction(W)
    lam = E_MPA * NU / ((1 + NU) * (1 - 2 * NU))
    mu = E_MPA / (2 * (1 + NU))

    def sigma(eps):
        return 2 * mu * eps + lam * ufl.tr(eps) * ufl.Identity(2)

    def strain(z):
        return ufl.sym(ufl.grad(z))

    eps_L = (1 - x1) * (EPS_A_END * P_a + EPS_C_END * P_c)
    a_el = ufl.inner(sigma(strain(u)), strain(w)) * ufl.dx
    L_el = ufl.inner(sigma(eps_L), strain(w)) * ufl.dx
    on_y_axis = dmesh.locate_entities_boundary(msh, 1, lambda p: np.isclose(p[0], 0.0))
    on_x_axis = dmesh.locate_entities_boundary(msh, 1, lambda p: np.isclose(p[1], 0.0))
    zero = PETSc.ScalarType(0)
    bcs = [
        fem.dirichletbc(zero, fem.locate_dofs_topological(W.sub(0), 1, on_y_axis), W.sub(0)),
        fem.dirichletbc(zero, fem.locate_dofs_topological(W.sub(1), 1, on_x_axis), W.sub(1)),
    ]
    elast_s, _ = timed_solves(fem_petsc.LinearProblem(a_el, L_el, bcs=bcs, petsc_options=AMG), 2)
    mumps_s, _ = timed_solves(fem_petsc.LinearProblem(a_el, L_el, bcs=bcs, petsc_options=DIRECT), 1)

    cells = msh.topology.index_map(2).size_global
    c_dofs = V.dofmap.index_map.size_global
    u_dofs = W.dofmap.index_map.size_global * W.dofmap.index_map_bs
    print(
        f"cells={cells} c_dofs={c_dofs} u_dofs={u_dofs} mesh_s={mesh_s:.3f} "
        f"diff_first_s={diff_s[0]:.4f} diff_s={diff_s[1]:.4f} "
        f"elast_first_s={elast_s[0]:.4f} elast_s={elast_s[1]:.4f} elast_mumps_s={mumps_s[0]:.4f}"
    )


if __name__ == "__main__":
    main()
