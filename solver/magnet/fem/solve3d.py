"""3-D nonlinear magnetostatics by Newton's method on the energy (NGSolve H(curl)).

The coils are not meshed. Their Biot–Savart field B_s is the source and the unknown is
the reduced vector potential a (lowest-gradient-free H(curl), ``nograds``), B = B_s + curl a:

    E(a) = Σ_iron ∫ [w(|B_s + curl a|) − ν0 B_s·curl a] dV + ∫_air ½ ν0 |curl a|² dV
           + ½ ε ν0 / L² ∫ |a|² dV,

the same energy as the 2-D solver (:mod:`.solve`), w(B) = ∫₀^B H dB'. Stationarity is
curl H = J everywhere with H − ν0 B_s tangentially continuous. The ε term (ε = 1e-6, L the
air-box size) removes the gradient kernel of the curl so that the Newton matrix is
positive definite; it changes B by O(ε). n×a = 0 on the air box (a is the field of the
iron's magnetisation, a dipole field far away) and on ``B_tangential`` mirror planes;
``B_normal`` mirror planes get the natural condition n×(H − ν0 B_s) = 0. B_s and the
material law are evaluated at the integration points of the iron (an
IntegrationRuleSpace), Newton steps use the exact Hessian and a line search on E
(:func:`solver.magnet.fem.solve.newton`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time

import numpy as np

from solver.errors import DesignError, SolverError
from solver.magnet.coils import as_points
from solver.magnet.fem.bh import BHCurve
from solver.magnet.fem.geometry import cache_dir
from solver.magnet.fem.problem3d import AXES, Problem3D
from solver.magnet.fem.solve import NU0, NewtonReport, _Knots, _ng, timed_newton

REGULARISATION = 1e-6
"""ε of the ε ν0/L² |a|² term (relative to the curl–curl stiffness at the box size L)."""
LINEAR_RTOL = 1e-10
"""Relative residual at which conjugate gradients stop in a Newton step."""
LINEAR_MAXITER = 2000
GAP_REFINEMENT = 3.0
"""Air gaps between iron parts narrower than the iron's element size get elements this many
times smaller (but not below the gap width) within one element size around the gap."""
AIR_SIZE_FACTOR = 0.25
"""Largest air element as a fraction of the air box's largest side."""


def _occ():
    from netgen import occ

    return occ


MESH_VERSION_3D = 2
"""Bumped when the way 3-D meshes are generated changes (old cache entries are not reused)."""


def mesh_key(problem: Problem3D) -> str:
    """Hash of everything that shapes the 3-D mesh (not materials or currents)."""
    import netgen

    lo, hi = problem.air_box()
    desc = {
        "v": MESH_VERSION_3D,
        "netgen": netgen.__version__,
        "box": [lo.tolist(), hi.tolist()],
        "iron": [(r.boxes_m, problem.size_in(r)) for r in problem.iron],
        "planes": problem.mirror_planes,
        "refine": problem.refine,
    }
    return hashlib.sha256(json.dumps(desc, sort_keys=True).encode()).hexdigest()[:24]


def mesh_of(problem: Problem3D):
    """The mesh of a 3-D problem, generated once per geometry and cached on disk
    (:func:`solver.magnet.fem.geometry.cache_dir`); returns (mesh, came from the cache)."""
    from netgen.meshing import Mesh as NgMesh

    path = cache_dir() / f"3d-{mesh_key(problem)}.vol.gz"
    cached = path.exists()
    if cached:
        ngmesh = NgMesh(dim=3)
        ngmesh.Load(str(path))
    else:
        ngmesh = build_mesh(problem)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.vol.gz")
        ngmesh.Save(str(tmp))
        os.replace(tmp, path)
    return _ng().Mesh(ngmesh), cached


def build_mesh(problem: Problem3D):
    """Netgen mesh of the air box (cut at the mirror planes) with the iron boxes inside.

    Materials are ``air`` and ``iron{i}``; the faces of the outer box are ``outer``
    (n×a = 0) except those on ``B_normal`` mirror planes, named ``natural``.
    """
    occ = _occ()
    lo, hi = problem.air_box()
    box = occ.Box(occ.Pnt(*lo), occ.Pnt(*hi))
    irons = []
    for i, region in enumerate(problem.iron):
        solid = None
        for blo, bhi in region.boxes_m:
            b = occ.Box(occ.Pnt(*blo), occ.Pnt(*bhi))
            solid = b if solid is None else solid + b
        solid = solid * box
        solid.mat(f"iron{i}")
        solid.maxh = problem.size_in(region)
        irons.append(solid)
    air = box
    for solid in irons:
        air = air - solid
    air.mat("air")
    shape = occ.Glue([air, *irons])
    size = float(np.max(hi - lo))
    natural = [axis for axis, kind in problem.mirror_planes if kind == "B_normal"]
    for face in shape.faces:
        c = np.array([face.center.x, face.center.y, face.center.z])
        on_lo = np.isclose(c, lo, atol=1e-9 * size, rtol=0)
        on_hi = np.isclose(c, hi, atol=1e-9 * size, rtol=0)
        if on_lo.any() or on_hi.any():
            face.name = "natural" if any(on_lo[a] for a in natural) else "outer"
    from netgen.meshing import MeshingParameters

    params = MeshingParameters(maxh=AIR_SIZE_FACTOR * size, grading=0.4)
    for point, h in gap_refinement(problem) + box_refinement(problem):
        params.RestrictH(*point, h=h)
    return occ.OCCGeometry(shape).GenerateMesh(params)


def gap_refinement(problem: Problem3D) -> list[tuple[np.ndarray, float]]:
    """(point, element size) pairs that refine the air between two iron parts whose gap
    is narrower than their element size (the gap's reluctance sets the flux there)."""
    out = []
    regions = problem.iron
    for i, first in enumerate(regions):
        for second in regions[i + 1 :]:
            size = min(problem.size_in(first), problem.size_in(second))
            for alo, ahi in first.boxes_m:
                for blo, bhi in second.boxes_m:
                    alo_, ahi_, blo_, bhi_ = map(np.asarray, (alo, ahi, blo, bhi))
                    gaps = np.maximum(np.maximum(blo_ - ahi_, alo_ - bhi_), 0.0)
                    gap = float(np.max(gaps))
                    if not 0 < gap < size:
                        continue
                    h = max(gap, size / GAP_REFINEMENT)
                    inner = np.maximum(alo_, blo_)
                    outer = np.minimum(ahi_, bhi_)
                    lo = np.minimum(inner, outer) - size
                    hi = np.maximum(inner, outer) + size
                    out += _size_points(lo, hi, h)
    return out


def box_refinement(problem: Problem3D) -> list[tuple[np.ndarray, float]]:
    """(point, element size) pairs of the ``mesh.refine`` boxes."""
    out = []
    for lo, hi, h in problem.refine:
        out += _size_points(np.asarray(lo), np.asarray(hi), h)
    return out


def _size_points(lo: np.ndarray, hi: np.ndarray, h: float) -> list[tuple[np.ndarray, float]]:
    """A grid of spacing h over the box lo..hi (m), each point restricting elements to h."""
    axes = [np.arange(lo[k], hi[k] + 0.5 * h, h) for k in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    return [(p, h) for p in grid]


def _material_law(material: BHCurve) -> _Knots | float:
    """The knots of a tabulated material, or the reluctivity ν (m/H) of a linear one."""
    return _Knots(material) if material.mu_r is None else NU0 / material.mu_r


def _material_values(law: _Knots | float, babs: np.ndarray):
    """ν = H/B, (dH/dB − ν)/B² and w(B) at |B| = ``babs`` (tesla)."""
    if isinstance(law, _Knots):
        return law.evaluate(babs)
    return np.full_like(babs, law), np.zeros_like(babs), 0.5 * law * babs**2


class _Forms3D:
    """Energy, gradient and Newton matrix of :mod:`solve3d` (the interface of
    :func:`solver.magnet.fem.solve.newton`)."""

    def __init__(self, problem: Problem3D, mesh, fes):
        ng = _ng()
        from ngsolve.comp import IntegrationRuleSpace

        self.fes = fes
        u, v = fes.TnT()
        cu, cv = ng.curl(u), ng.curl(v)
        lo, hi = problem.air_box()
        size = float(np.max(hi - lo))
        names = "|".join(f"iron{i}" for i in range(len(problem.iron)))
        self.nonlinear = list(problem.iron)  # every region goes through the point values
        k = ng.BilinearForm(fes, symmetric=True)
        k += NU0 * cu * cv * ng.dx("air")
        k += REGULARISATION * NU0 / size**2 * u * v * ng.dx
        k.Assemble()
        self.k = k
        order = 2 * fes.globalorder
        iron_only = mesh.Materials(names)
        self.irs = IntegrationRuleSpace(mesh, order=order, definedon=iron_only)
        irs3 = IntegrationRuleSpace(mesh, order=order, definedon=iron_only, dim=3)
        self.g_b3 = ng.GridFunction(irs3)
        rules = self.irs.GetIntegrationRules()
        scalar = [ng.GridFunction(self.irs) for _ in range(10)]
        self.gb, self.gbs = scalar[0:3], scalar[3:6]
        self.g_nu, self.g_c2, self.g_w, marker = scalar[6:10]
        # where the integration points are, and the coils' field there
        self.g_b3.Interpolate(ng.CF((ng.x, ng.y, ng.z)))
        xyz = self.g_b3.vec.FV().NumPy().reshape(-1, 3).copy()
        bs = problem.source_field(xyz)
        for j in range(3):
            self.gbs[j].vec.FV().NumPy()[:] = bs[:, j]
        marker.Interpolate(
            mesh.MaterialCF({f"iron{i}": float(i) for i in range(len(problem.iron))})
        )
        self.region_of_ip = np.rint(marker.vec.FV().NumPy()).astype(int)
        self.laws = [_material_law(r.material) for r in problem.iron]
        self.bs = ng.CF(tuple(self.gbs))
        bcf = ng.CF(tuple(self.gb))
        self.dxi = ng.dx(definedon=iron_only, intrules=rules)
        newton_form = ng.BilinearForm(fes, symmetric=True)
        newton_form += NU0 * cu * cv * ng.dx("air")
        newton_form += REGULARISATION * NU0 / size**2 * u * v * ng.dx
        newton_form += (self.g_nu * cu * cv + self.g_c2 * (bcf * cu) * (bcf * cv)) * self.dxi
        self.preconditioner = ng.Preconditioner(newton_form, "bddc")
        self.newton_form = newton_form
        self.res_nl = ng.LinearForm(fes)
        self.res_nl += (self.g_nu * bcf - NU0 * self.bs) * cv * self.dxi

    def update(self, a) -> None:
        """Material values at the integration points for the potential ``a``."""
        ng = _ng()
        self.g_b3.Interpolate(self.bs + ng.curl(a))
        b = self.g_b3.vec.FV().NumPy().reshape(-1, 3)
        for j in range(3):
            self.gb[j].vec.FV().NumPy()[:] = b[:, j]
        babs = np.linalg.norm(b, axis=1)
        nu, c2, w = np.zeros_like(babs), np.zeros_like(babs), np.zeros_like(babs)
        for j, law in enumerate(self.laws):
            sel = self.region_of_ip == j
            nu[sel], c2[sel], w[sel] = _material_values(law, babs[sel])
        self.g_nu.vec.FV().NumPy()[:] = nu
        self.g_c2.vec.FV().NumPy()[:] = c2
        self.g_w.vec.FV().NumPy()[:] = w

    def gradient(self, a, out) -> None:
        """dE/da at ``a`` into ``out`` (after :meth:`update`)."""
        out.data = self.k.mat * a.vec
        self.res_nl.Assemble()
        out.data += self.res_nl.vec

    def energy(self, a) -> float:
        """E(a) in joules (after :meth:`update` at ``a``)."""
        ng = _ng()
        tmp = a.vec.CreateVector()
        tmp.data = self.k.mat * a.vec
        e = 0.5 * ng.InnerProduct(a.vec, tmp)
        e += ng.Integrate((self.g_w - NU0 * (self.bs * ng.curl(a))) * self.dxi, self.fes.mesh)
        return float(e)

    def direction(self, res, du) -> None:
        """Newton step du = M⁻¹ res (after :meth:`update`): M = K + J_iron assembled whole
        and solved by conjugate gradients with a BDDC preconditioner."""
        ng = _ng()
        self.newton_form.Assemble()
        solver = ng.solvers.CGSolver(
            self.newton_form.mat, self.preconditioner.mat, tol=LINEAR_RTOL, maxiter=LINEAR_MAXITER
        )
        du.data = solver * res
        if solver.iterations >= LINEAR_MAXITER:
            raise SolverError(
                f"the linear solve of a Newton step did not converge in {LINEAR_MAXITER} "
                "conjugate-gradient iterations; coarsen or refine the mesh (mesh.max_size_m)"
            )


class FemSolution3D:
    """A solved 3-D problem: B anywhere in the air box (mirrored points included)."""

    def __init__(self, problem: Problem3D, mesh, a, report: NewtonReport, forms=None):
        self.problem = problem
        self.mesh = mesh
        self.a = a
        self.report = report
        self.forms = forms
        """The energy forms at the solution (B_s and the material at the iron's points)."""
        self._curl = _ng().curl(a)

    def volume_energy_J(self) -> float:
        """∫_air ½ν0|curl a|² + ∫_iron [w(B) − ν0 B_s·curl a − ½ν0|B_s|²] over the meshed
        part (J): with ½ IᵀM_air I and Σ I ∮ a·dl, the stored energy (see
        :func:`solver.magnet.fem.coils3d.stored_energy_3d_J`)."""
        ng = _ng()
        forms, curl = self.forms, self._curl
        forms.update(self.a)
        air = ng.Integrate(0.5 * NU0 * curl * curl * ng.dx("air"), self.mesh)
        bs = forms.bs
        iron = ng.Integrate(
            (forms.g_w - NU0 * (bs * curl) - 0.5 * NU0 * (bs * bs)) * forms.dxi, self.mesh
        )
        return float(air + iron)

    def reduced_field(self, points) -> np.ndarray:
        """curl a (tesla): the field of the iron's magnetisation at points (n, 3), m."""
        p = as_points(points)
        q, s = self.problem.mirror(p)
        return s * self._values(self._curl, p, q)

    def reduced_potential(self, points) -> np.ndarray:
        """a (T·m), the reduced vector potential, at points (n, 3) in metres, shape (n, 3);
        on the far side of a mirror plane by :meth:`Problem3D.mirror_potential`."""
        p = as_points(points)
        q, s = self.problem.mirror_potential(p)
        return s * self._values(self.a, p, q)

    def _values(self, cf, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """A 3-vector coefficient function at the folded points q (p: where asked)."""
        lo, hi = self.problem.air_box()
        tol = 1e-9 * float(np.max(hi - lo))
        outside = np.any((q < lo - tol) | (q > hi + tol), axis=1)
        if outside.any():
            i = int(np.flatnonzero(outside)[0])
            raise DesignError(
                f"point {i} {p[i].tolist()} is outside the solved air box "
                f"{lo.tolist()}..{hi.tolist()} (after mirroring); enlarge mesh.air_margin_m"
            )
        q = np.clip(q, lo, hi)
        mips = self.mesh(q[:, 0], q[:, 1], q[:, 2])
        return np.asarray(cf(mips)).reshape(len(q), 3)

    def field(self, points) -> np.ndarray:
        """B (tesla) at points (n, 3) in metres, shape (n, 3): coils plus iron."""
        p = as_points(points)
        return self.problem.source_field(p) + self.reduced_field(p)


def solve3d(problem: Problem3D, *, where: str = "coil file") -> FemSolution3D:
    """Mesh and solve a 3-D problem.

    Raises
    ------
    SolverError
        When Newton's method does not converge.
    """
    ng = _ng()
    t0 = time.perf_counter()
    mesh, cached = mesh_of(problem)
    t1 = time.perf_counter()
    fes = ng.HCurl(mesh, order=problem.order, nograds=True, dirichlet="outer")
    forms = _Forms3D(problem, mesh, fes)
    a = ng.GridFunction(fes)
    report = timed_newton(forms, a, where, (t0, t1), cached)
    return FemSolution3D(problem, mesh, a, report, forms)


__all__ = ["AXES", "FemSolution3D", "build_mesh", "mesh_of", "solve3d"]
