"""Nonlinear magnetostatics by Newton's method on the magnetic energy (NGSolve).

Unknown: the azimuthal vector potential A_φ (axisymmetric, H1 with A = 0 on the axis;
B_r = −∂A/∂z, B_z = A/r + ∂A/∂r, which has no 1/r loss near the axis because A = r·q
there) or A_z (planar, B = (∂A/∂y, −∂A/∂x)). Sources whose field is known in closed form
(the background field and planar line currents, B_s) are not meshed: the unknown is the
reduced potential a with B = B_s + curl a, and the energy minimised is

    E(a) = Σ_iron ∫ [w(|B_s + curl a|) − ν0 B_s·curl a] dV + ∫_air ½ ν0 |curl a|² dV
           + ∫_image ½ ν' |curl a|² dV − ∫_windings J a dV,

w(B) = ∫₀^B H dB' (convex because H(B) increases), dV = 2πr dr dz or dx dy (per metre).
Its stationarity is curl H = J with H − ν0 B_s continuous tangentially, i.e. the full
problem. In the Kelvin image disc (see :mod:`.geometry`) the reluctivity is ν0 in the
planar case (the 2-D Laplacian is conformally invariant) and ν0·ρ²/R² in the
axisymmetric case (the curl–curl form under the inversion, whose scale factor is R²/ρ²).
Newton steps use the exact Hessian and a backtracking line search on E.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from solver.errors import SolverError
from solver.magnet._constants import MU0_H_PER_M
from solver.magnet.fem.geometry import Domain, domain_of, mesh_of
from solver.magnet.fem.problem import FemProblem

NU0 = 1.0 / MU0_H_PER_M
NEWTON_RTOL = 1e-13
"""Stop when the squared Newton decrement is below this fraction of |E| (energy units)."""
NEWTON_MAX_STEPS = 60
PLANAR_GAUGE = 1e-9
"""ε ν0/R² ∫_image a v fixes the constant of a planar A (closed surface); changes B by ~ε."""


@dataclass
class NewtonReport:
    """How the nonlinear solve went."""

    unknowns: int
    newton_steps: int
    solve_s: float
    mesh_s: float
    mesh_cached: bool


def _ng():
    import ngsolve

    return ngsolve


class FemSolution:
    """A solved FEM problem: B anywhere, energy, and what the Newton solve did.

    Build with :func:`solve`. Points are in the symmetry plane: (r, z) for axisymmetric
    problems, (x, y) for planar ones.
    """

    def __init__(
        self, problem: FemProblem, mesh, a, domain: Domain, report: NewtonReport, forms=None
    ):
        self.problem = problem
        self.forms = forms
        self.mesh = mesh
        self.a = a
        self.domain = domain
        self.report = report
        ng = _ng()
        x, y = ng.x, ng.y
        g = ng.grad(a)
        if problem.symmetry == "axisymmetric":
            small = 1e-9 * domain.radius_m
            bz = ng.IfPos(x - small, a / x + g[0], 2 * g[0])
            self.b_reduced = ng.CF((-g[1], bz))
        else:
            self.b_reduced = ng.CF((g[1], -g[0]))
        self._x, self._y = x, y

    def source_field(self, p: np.ndarray) -> np.ndarray:
        """B_s (background and line currents) at plane points, shape (n, 2), tesla."""
        bg = np.asarray(self.problem.background_field_T)
        out = np.tile(
            bg[[0, 2]] if self.problem.symmetry == "axisymmetric" else bg[:2], (len(p), 1)
        )
        for lc in self.problem.line_currents:
            d = p - np.asarray(lc.position_m)
            r2 = np.sum(d * d, axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):  # NaN on the line itself
                k = np.where(r2 > 0, MU0_H_PER_M * lc.current_A / (2 * math.pi * r2), np.nan)
            out[:, 0] -= k * d[:, 1]
            out[:, 1] += k * d[:, 0]
        return out

    def plane_field(self, p) -> np.ndarray:
        """B in the symmetry plane at points p (n, 2): (B_r, B_z) or (B_x, B_y), tesla."""
        p = np.atleast_2d(np.asarray(p, dtype=float))
        return self.reduced_field(p) + self.source_field(p)

    def reduced_field(self, p) -> np.ndarray:
        """B − B_s (the field of the windings and the iron's magnetisation), shape (n, 2).

        Points outside the inner disc are evaluated in its Kelvin image:
        B(p) = −(|q|/R)⁴ Q B'(q) (axisymmetric) or rot[(|q|/R)² Q ∇'A'] (planar), with
        q = R²(p − c)/|p − c|² and Q = I − 2 q̂q̂ᵀ (the inversion's Jacobian direction).
        """
        p = np.atleast_2d(np.asarray(p, dtype=float))
        dom = self.domain
        c = np.asarray(dom.centre)
        d = p - c
        dist = np.linalg.norm(d, axis=1)
        inside = dist <= dom.radius_m * (1 - 1e-12)
        out = np.empty_like(p)
        if inside.any():
            out[inside] = self._eval(self.b_reduced, p[inside])
        if (~inside).any():
            q = d[~inside] * (dom.radius_m**2 / dist[~inside] ** 2)[:, None]
            img = q + c + np.asarray(dom.image_offset)
            qn = q / np.linalg.norm(q, axis=1, keepdims=True)
            s = np.linalg.norm(q, axis=1) / dom.radius_m
            if self.problem.symmetry == "axisymmetric":
                bp = self._eval(self.b_reduced, img)
                qb = bp - 2 * qn * np.sum(qn * bp, axis=1, keepdims=True)
                out[~inside] = -(s**4)[:, None] * qb
            else:
                g = self._eval(_ng().grad(self.a), img)
                qg = (s**2)[:, None] * (g - 2 * qn * np.sum(qn * g, axis=1, keepdims=True))
                out[~inside] = np.column_stack([qg[:, 1], -qg[:, 0]])
        return out

    def flux_function(self, p) -> np.ndarray:
        """Flux function at plane points (n, 2): r·A_φ (T·m², axisymmetric; 2π times it is the
        flux through the circle of radius r) or A_z (T·m, planar); contours are field lines.
        Includes the background field and line currents."""
        p = np.atleast_2d(np.asarray(p, dtype=float))
        dom = self.domain
        c = np.asarray(dom.centre)
        d = p - c
        dist2 = np.sum(d * d, axis=1)
        inside = dist2 <= (dom.radius_m * (1 - 1e-12)) ** 2
        a = np.empty(len(p))
        if inside.any():
            a[inside] = self._eval(self.a, p[inside])[:, 0]
        if (~inside).any():
            q = d[~inside] * (dom.radius_m**2 / dist2[~inside])[:, None]
            img = self._eval(self.a, q + c + np.asarray(dom.image_offset))[:, 0]
            axi_scale = np.sum(q * q, axis=1) / dom.radius_m**2
            a[~inside] = img * (axi_scale if self.problem.symmetry == "axisymmetric" else 1.0)
        bg = self.problem.background_field_T
        if self.problem.symmetry == "axisymmetric":
            return p[:, 0] * a + 0.5 * bg[2] * p[:, 0] ** 2
        a = a + bg[0] * p[:, 1] - bg[1] * p[:, 0]
        for lc in self.problem.line_currents:
            r = np.hypot(*(p - np.asarray(lc.position_m)).T)
            a -= MU0_H_PER_M * lc.current_A / (2 * math.pi) * np.log(r)
        return a

    def _eval(self, cf, pts: np.ndarray) -> np.ndarray:
        mips = self.mesh(pts[:, 0], pts[:, 1])
        missing = mips["nr"] < 0
        if np.any(missing):
            # on the rim the curved mesh is within ~1e-6 R of the circle: step inside
            dom = self.domain
            c = np.asarray(dom.centre)
            centres = np.array([c, c + np.asarray(dom.image_offset)])
            near = centres[
                np.argmin([np.linalg.norm(pts[missing] - ce, axis=1) for ce in centres], axis=0)
            ]
            moved = near + (pts[missing] - near) * (1 - 1e-5)
            retry = self.mesh(moved[:, 0], moved[:, 1])
            if np.any(retry["nr"] < 0):
                from solver.errors import DesignError

                bad = moved[int(np.flatnonzero(retry["nr"] < 0)[0])]
                raise DesignError(f"point {bad.tolist()} is outside the solved domain")
            mips[missing] = retry
        vals = np.asarray(cf(mips))
        return vals.reshape(len(pts), -1)

    def field(self, points) -> np.ndarray:
        """B (tesla) at global points (n, 3) in metres, shape (n, 3) (DESIGN.md field contract).

        Axisymmetric: evaluated at r = √(x²+y²), z and returned as (B_r x/r, B_r y/r, B_z).
        Planar: evaluated at (x, y); z is ignored and B_z = 0.
        """
        from solver.magnet.coils import as_points

        pts = as_points(points)
        if self.problem.symmetry == "axisymmetric":
            r = np.hypot(pts[:, 0], pts[:, 1])
            b = self.plane_field(np.column_stack([r, pts[:, 2]]))
            safe = np.where(r > 0, r, 1.0)
            cos, sin = (
                np.where(r > 0, pts[:, 0] / safe, 0.0),
                np.where(r > 0, pts[:, 1] / safe, 0.0),
            )
            bx = np.where(r > 0, b[:, 0] * cos, 0.0)  # exactly 0 on the axis (no -0.0)
            by = np.where(r > 0, b[:, 0] * sin, 0.0)
            return np.column_stack([bx, by, b[:, 1]])
        check_off_filaments(self.problem, pts[:, :2])
        b = self.plane_field(pts[:, :2])
        return np.column_stack([b, np.zeros(len(pts))])


def check_off_filaments(problem: FemProblem, p: np.ndarray) -> None:
    """DesignError when a plane point (n, 2) lies on a planar line current."""
    from solver.errors import DesignError

    for lc in problem.line_currents:
        on = np.all(p == np.asarray(lc.position_m), axis=1)
        if on.any():
            raise DesignError(
                f"point {int(np.flatnonzero(on)[0])} lies on line current {lc.id!r}: the field "
                "of a filament is infinite there"
            )


class _Forms:
    """The discrete energy E(a) = ½ aᵀK a − fᵀa + Σ_nonlinear ∫ [w(|B|) − ν0 B_s·curl a] dV.

    K and f hold everything linear (air, windings, image disc, linear iron). Nonlinear iron
    is evaluated at the integration points of an IntegrationRuleSpace: B there is
    interpolated exactly, and H(B), ν = H/B, dH/dB and w(B) come from the material's knots
    by binary search in numpy (NGSolve's BSpline searches linearly and made assembly 10×
    slower). The Newton matrix is K + ∫ [ν δB·δB' + (H' − ν)/B² (B·δB)(B·δB')] dV.
    """

    def __init__(self, problem: FemProblem, mesh, fes, domain: Domain):
        ng = _ng()
        from ngsolve.comp import IntegrationRuleSpace

        x, y = ng.x, ng.y
        u, v = fes.TnT()
        self.fes = fes
        axi = problem.symmetry == "axisymmetric"
        self.curl = _curl_of(axi)
        cu, cv = self.curl(u), self.curl(v)
        weight = 2 * math.pi * x if axi else ng.CF(1.0)
        bs = _source_cf(problem)
        linear = [NU0 * cu * cv * weight * ng.dx("air")]
        f = ng.LinearForm(fes)
        if axi:
            cx = domain.centre[0] + domain.image_offset[0]
            cy = domain.centre[1] + domain.image_offset[1]
            rho2 = (x - cx) ** 2 + (y - cy) ** 2
            linear.append(NU0 * rho2 / domain.radius_m**2 * cu * cv * weight * ng.dx("image"))
        else:
            linear.append(NU0 * cu * cv * ng.dx("image"))
            linear.append(PLANAR_GAUGE * NU0 / domain.radius_m**2 * u * v * ng.dx("image"))
        for i, w in enumerate(problem.windings):
            linear.append(NU0 * cu * cv * weight * ng.dx(f"coil{i}"))
            f += w.current_density_A_per_m2 * v * weight * ng.dx(f"coil{i}")
        self.nonlinear = [
            (i, r.material) for i, r in enumerate(problem.iron) if not r.material.is_linear
        ]
        for i, region in enumerate(problem.iron):
            if region.material.mu_r is not None:
                nu = NU0 / region.material.mu_r
                linear.append(nu * cu * cv * weight * ng.dx(f"iron{i}"))
                f += (NU0 - nu) * (bs * cv) * weight * ng.dx(f"iron{i}")
        nonlinear_names = "|".join(f"iron{i}" for i, _ in self.nonlinear)
        k = ng.BilinearForm(fes, symmetric=True)
        for term in linear:
            k += term
        if self.nonlinear:
            # no stiffness, but the same sparsity as the Newton part (see matrix())
            k += 0.0 * u * v * ng.dx(definedon=mesh.Materials(nonlinear_names))
        k.Assemble()
        f.Assemble()
        self.k, self.f = k, f
        self.bs, self.weight = bs, weight
        self.jac = None
        if not self.nonlinear:
            return
        names = nonlinear_names
        order = 2 * fes.globalorder + (1 if axi else 0)
        self.irs = IntegrationRuleSpace(mesh, order=order, definedon=mesh.Materials(names))
        self.irs_b = IntegrationRuleSpace(mesh, order=order, definedon=mesh.Materials(names), dim=2)
        self.g_b = ng.GridFunction(self.irs_b)
        rules = self.irs.GetIntegrationRules()
        self.region_of_ip = np.zeros(self.irs.ndof, dtype=int)
        marker = ng.GridFunction(self.irs)
        marker.Interpolate(
            mesh.MaterialCF(
                {f"iron{i}": float(j) for j, (i, _) in enumerate(self.nonlinear)}, default=-1.0
            )
        )
        self.region_of_ip = np.rint(marker.vec.FV().NumPy()).astype(int)
        self.gb = [ng.GridFunction(self.irs) for _ in range(2)]
        self.g_nu, self.g_c2, self.g_w = (ng.GridFunction(self.irs) for _ in range(3))
        bcf = ng.CF((self.gb[0], self.gb[1]))
        dxi = ng.dx(definedon=mesh.Materials(names), intrules=rules)
        jac = ng.BilinearForm(fes, symmetric=True)
        jac += (self.g_nu * cu * cv + self.g_c2 * (bcf * cu) * (bcf * cv)) * weight * dxi
        jac.Assemble()
        self.jac = jac
        self.total = k.mat.CreateMatrix()
        self._slots = _slots_in(k.mat, jac.mat)
        self.res_nl = ng.LinearForm(fes)
        self.res_nl += (self.g_nu * bcf - NU0 * bs) * cv * weight * dxi
        self.dxi = dxi
        self.knots = [_Knots(m) for _, m in self.nonlinear]
        # B at the integration points is linear in a: B = B_s + T a with T = M⁻¹ C, C the
        # curl tested against the points' delta functions and M their (diagonal) mass, so
        # each update is one sparse product instead of an interpolation (10× faster)
        uir, vir = self.irs.TnT()
        mass = ng.BilinearForm(self.irs, diagonal=True)
        mass += uir * vir * dxi
        mass.Assemble()
        self._to_points, self._source_at_points = [], []
        for k in range(2):
            mix = ng.BilinearForm(trialspace=fes, testspace=self.irs)
            mix += cu[k] * vir * dxi
            mix.Assemble()
            self._to_points.append(mass.mat.Inverse() @ mix.mat)
            source = ng.GridFunction(self.irs)
            source.Interpolate(bs[k])
            self._source_at_points.append(source)

    def update(self, a) -> None:
        """Material values at the integration points for the potential ``a``."""
        if not self.nonlinear:
            return
        # one interpolation of the vector B; the forms read the two scalar copies (a
        # component of a dim=2 IntegrationRuleSpace function does not integrate correctly)
        for k in range(2):
            self.gb[k].vec.data = self._to_points[k] * a.vec
            self.gb[k].vec.data += self._source_at_points[k].vec
        bx, by = (self.gb[k].vec.FV().NumPy() for k in range(2))
        babs = np.hypot(bx, by)
        nu, c2, w = np.zeros_like(babs), np.zeros_like(babs), np.zeros_like(babs)
        for j, knots in enumerate(self.knots):
            sel = self.region_of_ip == j
            nu[sel], c2[sel], w[sel] = knots.evaluate(babs[sel])
        self.g_nu.vec.FV().NumPy()[:] = nu
        self.g_c2.vec.FV().NumPy()[:] = c2
        self.g_w.vec.FV().NumPy()[:] = w

    def gradient(self, a, out) -> None:
        """dE/da at ``a`` into ``out`` (after :meth:`update`)."""
        out.data = self.k.mat * a.vec - self.f.vec
        if self.nonlinear:
            self.res_nl.Assemble()
            out.data += self.res_nl.vec

    def energy(self, a) -> float:
        """E(a) (after :meth:`update` at ``a``), J (axisymmetric) or J/m (planar)."""
        ng = _ng()
        tmp = a.vec.CreateVector()
        tmp.data = self.k.mat * a.vec
        e = 0.5 * ng.InnerProduct(a.vec, tmp) - ng.InnerProduct(self.f.vec, a.vec)
        if self.nonlinear:
            mesh = self.fes.mesh
            e += ng.Integrate(
                (self.g_w - NU0 * (self.bs * self.curl(a))) * self.weight * self.dxi, mesh
            )
        return float(e)

    def matrix(self):
        """The Newton matrix K + J_iron (after :meth:`update`).

        Only the iron part is reassembled and its values are added into K's pattern
        (which covers the iron through a zero term) at slots found once.
        """
        if not self.nonlinear:
            return self.k.mat
        self.jac.Assemble()
        total = self.total.AsVector().FV().NumPy()
        total[:] = self.k.mat.AsVector().FV().NumPy()
        total[self._slots] += self.jac.mat.AsVector().FV().NumPy()  # slots are distinct
        return self.total


def _slots_in(big, small) -> np.ndarray:
    """Index into ``big``'s value array of every stored entry of ``small`` (same space,
    ``small``'s pattern a subset of ``big``'s); both stored row by row, columns sorted."""
    n = big.height
    br, bc, _ = big.COO()
    sr, sc, _ = small.COO()
    big_keys = np.asarray(br, dtype=np.int64) * n + np.asarray(bc, dtype=np.int64)
    small_keys = np.asarray(sr, dtype=np.int64) * n + np.asarray(sc, dtype=np.int64)
    order = np.argsort(big_keys, kind="stable")
    at = order[np.searchsorted(big_keys, small_keys, sorter=order)]
    if not np.array_equal(big_keys[at], small_keys):
        raise SolverError("internal: the iron part of the Newton matrix is not inside K's pattern")
    return at


class _Knots:
    """H(B), ν, (H' − ν)/B² and w(B) of a tabulated material by binary search on its knots."""

    def __init__(self, material):
        b, h = material.h_of_b_knots()
        self.b, self.h = b, h
        self.slope = np.diff(h) / np.diff(b)
        self.w = np.concatenate([[0.0], np.cumsum(0.5 * (h[1:] + h[:-1]) * np.diff(b))])
        self.nu_initial = self.slope[0]

    def evaluate(self, babs: np.ndarray):
        i = np.clip(np.searchsorted(self.b, babs, side="right") - 1, 0, len(self.slope) - 1)
        db = babs - self.b[i]
        h = self.h[i] + self.slope[i] * db
        w = self.w[i] + self.h[i] * db + 0.5 * self.slope[i] * db * db
        safe = np.where(babs > 0, babs, 1.0)
        nu = np.where(babs > 0, h / safe, self.nu_initial)
        c2 = np.where(babs > 0, (self.slope[i] - nu) / safe**2, 0.0)
        return nu, c2, w


def _curl_of(axi: bool):
    ng = _ng()

    def curl(u):
        g = ng.grad(u)
        return ng.CF((-g[1], u / ng.x + g[0])) if axi else ng.CF((g[1], -g[0]))

    return curl


def _source_cf(problem: FemProblem):
    ng = _ng()
    bg = problem.background_field_T
    if problem.symmetry == "axisymmetric":
        return ng.CF((0.0, bg[2]))
    bx, by = ng.CF(bg[0]), ng.CF(bg[1])
    for lc in problem.line_currents:
        dx, dy = ng.x - lc.position_m[0], ng.y - lc.position_m[1]
        k = MU0_H_PER_M * lc.current_A / (2 * math.pi) / (dx * dx + dy * dy)
        bx, by = bx - k * dy, by + k * dx
    return ng.CF((bx, by))


class NewtonForms(Protocol):
    """Energy forms that solve for their own Newton step (see :func:`newton`)."""

    nonlinear: list

    def update(self, a) -> None: ...

    def gradient(self, a, out) -> None: ...

    def energy(self, a) -> float: ...

    def direction(self, res, du) -> None: ...


def _newton_direction(matrix, res, du, free, inv):
    """Solve matrix·du = res by sparse Cholesky; after the first step the factor is updated
    in place (same sparsity, no new ordering: 0.12 s of CPU instead of 0.2 s at 42k
    unknowns). Conjugate gradients preconditioned by the previous step's factor were
    measured and lose: 20–60 steps of 0.015 s each even in the last Newton steps."""
    if inv is None:
        inv = matrix.Inverse(free, inverse="sparsecholesky")
    else:
        inv.Update()
    du.data = inv * res
    return inv


def newton(forms: _Forms | NewtonForms, u, free, where: str) -> int:
    """Minimise the energy from ``u`` by damped Newton; returns the number of steps.

    ``forms`` either gives the Newton matrix (``matrix()``, solved here by sparse
    Cholesky) or solves for the step itself (``direction(res, du)``, the 3-D forms).
    The line search leaves the forms updated at the accepted point with its energy known,
    so each step starts from them (one material update and energy per trial point).
    """
    ng = _ng()
    res = u.vec.CreateVector()
    du = u.vec.CreateVector()
    start = u.vec.CreateVector()
    inv = None
    forms.update(u)
    e0 = forms.energy(u)
    for step in range(1, NEWTON_MAX_STEPS + 1):
        forms.gradient(u, res)
        if isinstance(forms, _Forms):
            inv = _newton_direction(forms.matrix(), res, du, free, inv)
        else:
            forms.direction(res, du)
        decrement = ng.InnerProduct(du, res)
        if abs(decrement) <= NEWTON_RTOL * max(abs(e0), 1e-300) or decrement == 0:
            u.vec.data -= du
            return step
        if not forms.nonlinear:
            u.vec.data -= du
            e0 = forms.energy(u)
            continue
        start.data = u.vec
        alpha = 1.0
        while True:
            u.vec.data = start - alpha * du
            forms.update(u)
            e = forms.energy(u)
            if e <= e0 - 1e-4 * alpha * decrement or alpha < 1e-6:
                e0 = e
                break
            alpha *= 0.5
    raise SolverError(
        f"{where}: Newton did not converge in {NEWTON_MAX_STEPS} steps; check the B-H tables "
        "(H and B increasing) or refine the mesh (mesh.max_size_m)"
    )


def solve(problem: FemProblem, *, where: str = "coil file") -> FemSolution:
    """Mesh (or take the cached mesh) and solve a FEM problem.

    Returns
    -------
    FemSolution
        B at any point, with ``report`` (unknowns, Newton steps, timings).

    Raises
    ------
    SolverError
        When Newton's method does not converge.
    """
    ng = _ng()
    t0 = time.perf_counter()
    mesh, cached = mesh_of(problem)
    t1 = time.perf_counter()
    domain = domain_of(problem)
    axi = problem.symmetry == "axisymmetric"
    fes = ng.Periodic(ng.H1(mesh, order=problem.order, dirichlet="axis" if axi else ""))
    forms = _Forms(problem, mesh, fes, domain)
    u = ng.GridFunction(fes)
    report = timed_newton(forms, u, where, (t0, t1), cached)
    return FemSolution(problem, mesh, u, domain, report, forms)


def timed_newton(
    forms: _Forms | NewtonForms, u, where: str, mesh_times: tuple[float, float], cached: bool
) -> NewtonReport:
    """Run :func:`newton` on the free unknowns of ``u`` and report it; ``mesh_times`` are
    the perf_counter readings before and after meshing (the solve time runs from the second)."""
    steps = newton(forms, u, u.space.FreeDofs(), where)
    started, meshed = mesh_times
    return NewtonReport(u.space.ndof, steps, time.perf_counter() - meshed, meshed - started, cached)
