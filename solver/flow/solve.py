"""Steady state of a fluid network coupled to the thermal network, in one Newton iteration.

Unknowns: p and h of the free fluid nodes, the mass flow of every channel, and
the temperature of every free thermal node. Rows: the fluid balances of
:mod:`solver.flow.network` and, at each free thermal node, the thermal balance
of :class:`solver.thermal.network.Network` minus the heat its pipe walls give the
fluid. The thermal block of the Jacobian is the network's analytic one; the
fluid columns (and the walls' dependence on the node temperatures) are finite
differences, grouped by a greedy colouring of the known sparsity so one residual
evaluation serves many columns. Converged when every row balances to
|R| ≤ tol·S (the DESIGN.md test, tol = 1e-9), S the sum of the magnitudes of
the terms of that row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.errors import SolverError
from solver.flow.network import FlowNetwork
from solver.flow.properties import OutOfRange
from solver.thermal.network import Network
from solver.thermal.steady import initial_guess

TOLERANCE = 1e-9
MAX_ITERATIONS = 100
REUSE_RATIO = 10.0  # keep the Jacobian while full steps cut the residual 10 times or more
LINE_SEARCH = (1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625)
FD_STEP = 1.5e-8  # relative finite-difference step, √(machine ε)
M_REF = 1e-3  # kg/s, probe flow for the starting guess
# relative hydraulic conductance of each kind of element, for the starting pressures only
GUESS_CONDUCTANCE = {
    "valve": 1.0,
    "segment": 10.0,
    "circulator": 100.0,
    "hx_hot": 100.0,
    "hx_cold": 100.0,
}


@dataclass
class Point:
    """One evaluation: residual F, scales S, the evaluation, the fluid part G, the thermal Jacobian."""

    F: np.ndarray
    S: np.ndarray
    ev: object
    G: np.ndarray
    Jt: object


@dataclass
class Coupled:
    """A fluid network and the thermal network its pipe walls touch."""

    flow: FlowNetwork
    thermal: Network
    # callable(T) -> (R_add, S_add, diag_add): heat capacity of a transient step
    extra: Callable | None = None

    def __post_init__(self) -> None:
        self.flow.layout()
        self.n_T = self.thermal.free_nodes.size
        self.n = self.flow.n_fluid + self.n_T
        self._pattern()

    # ------------------------------------------------------------------ unknowns
    def temperatures(self, x: np.ndarray) -> np.ndarray:
        net = self.thermal
        T = np.where(net.fixed, net.T_fixed, 0.0)
        T[net.free_nodes] = x[self.flow.n_fluid :]
        return T

    def _T_col(self, thermal_node: int) -> int:
        k = self.thermal.free_index[thermal_node]
        return -1 if k < 0 else self.flow.n_fluid + k

    def _pattern(self) -> None:
        """Sparsity of the fluid rows and of each wall channel's heat (a virtual row per channel).

        A node's thermal row sums the heat of all its wall segments, so it would tie every
        segment's unknowns together; its derivatives are assembled instead from the
        channels' heat rows (``self._wall``: thermal row × channel incidence), which keeps
        the colouring short.
        """
        fn = self.flow
        nc = len(fn.channels)
        rows_p = {int(n): nc + k for k, n in enumerate(fn.p_free)}
        rows_h = {int(n): nc + fn.p_free.size + k for k, n in enumerate(fn.h_free)}
        entries: set[tuple[int, int]] = set()
        partner = {}
        for k, c in enumerate(fn.channels):
            if c.kind == "hx_hot":
                partner[k], partner[k + 1] = k + 1, k
        wall_rows, wall_cols = [], []
        for k, c in enumerate(fn.channels):
            cols, rows = set(), {k}
            for q in [k] + ([partner[k]] if k in partner else []):
                cq = fn.channels[q]
                for node in (cq.i, cq.j):
                    cols |= {int(v) for v in (fn.ip[node], fn.ih[node]) if v >= 0}
                    if node in rows_p:
                        rows.add(rows_p[node])
                cols.add(fn.im0 + q)
                if cq.j in rows_h:
                    rows.add(rows_h[cq.j])
                wall = cq.params.get("wall", -1)
                if wall >= 0 and self._T_col(wall) >= 0:
                    cols.add(self._T_col(wall))
            wall = c.params.get("wall", -1)
            if wall >= 0 and self._T_col(wall) >= 0:
                rows.add(fn.n_fluid + k)  # the channel's heat
                wall_rows.append(self._T_col(wall) - fn.n_fluid)
                wall_cols.append(k)
            entries |= {(r, col) for r in rows for col in cols}
        for node, row in rows_h.items():  # own enthalpy, and an inlet's pressure
            entries.add((row, int(fn.ih[node])))
            if fn.ip[node] >= 0:
                entries.add((row, int(fn.ip[node])))
        pattern = np.array(sorted(entries), dtype=np.int64).reshape(-1, 2)
        self._rows, self._cols = pattern[:, 0], pattern[:, 1]
        self._colour = _colour_columns(self._rows, self._cols, self.n)
        self._wall = sp.csr_matrix(
            (np.ones(len(wall_rows)), (wall_rows, wall_cols)), shape=(self.n_T, nc)
        )

    # ------------------------------------------------------------------ residual
    def fluid_part(self, x: np.ndarray):
        """Fluid rows, then each channel's heat (W); the evaluation; the node temperatures."""
        T = self.temperatures(x)
        R, S, ev = self.flow.residual(x, T)
        return np.concatenate([R, ev.Q]), S, ev, T

    def system(self, x: np.ndarray, jacobian: bool = True):
        """Residual F, scales S, Jacobian (CSR, or None) and the evaluation at ``x``."""
        point = self.evaluate(x)
        return point.F, point.S, self.jacobian(x, point) if jacobian else None, point.ev

    def evaluate(self, x: np.ndarray) -> Point:
        """Residual and scales at ``x``, with what the Jacobian needs."""
        G, S_fluid, ev, T = self.fluid_part(x)
        nf = self.flow.n_fluid
        wall = ev.wall_heat[self.thermal.free_nodes]
        F = np.concatenate([G[:nf], -wall])
        S = np.concatenate([S_fluid, np.abs(wall)])
        Jt = None
        if self.n_T:
            Rt, St, Jt, flags = self.thermal.balance(T)
            F[nf:] += Rt
            S[nf:] += St
            ev.flags.extend(flags)
            if self.extra is not None:
                R_add, S_add, diag_add = self.extra(T)
                F[nf:] += R_add
                S[nf:] += S_add
                Jt = Jt + sp.diags(diag_add)
        return Point(F, S, ev, G, Jt)

    def jacobian(self, x: np.ndarray, point: Point) -> sp.csr_matrix:
        """dF/dx at ``x``: coloured finite differences of the fluid part, the thermal block analytic."""
        nf = self.flow.n_fluid
        J_ext = self._fd_jacobian(x, point.G)
        J = sp.vstack([J_ext[:nf], -(self._wall @ J_ext[nf:])], format="csr")
        if self.n_T:
            J = J + sp.block_diag([sp.csr_matrix((nf, nf)), point.Jt], format="csr")
        return J

    def _fd_jacobian(self, x: np.ndarray, G0: np.ndarray) -> sp.csr_matrix:
        """Finite-difference Jacobian of the fluid rows and channel heats, one column colour at a time."""
        step = FD_STEP * self._scale(x)
        values = np.zeros(self._rows.size)
        for colour in range(int(self._colour.max()) + 1):
            cols = np.flatnonzero(self._colour == colour)
            xp = x.copy()
            xp[cols] += step[cols]
            G = self.fluid_part(xp)[0]
            sel = np.isin(self._cols, cols)
            values[sel] = (G[self._rows[sel]] - G0[self._rows[sel]]) / step[self._cols[sel]]
        shape = (G0.size, self.n)
        return sp.csr_matrix((values, (self._rows, self._cols)), shape=shape)

    def _scale(self, x: np.ndarray) -> np.ndarray:
        fn = self.flow
        s = np.abs(x).copy()
        s[fn.p_free.size : fn.im0] = np.abs(x[fn.p_free.size : fn.im0]) + 1e4  # h: J/kg
        m = x[fn.im0 : fn.n_fluid]
        s[fn.im0 : fn.n_fluid] = np.maximum(np.abs(m), 1e-3 * np.abs(m).max() + 1e-12)
        return s


def _colour_columns(rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """Greedy colouring: columns of one colour share no row (Curtis–Powell–Reid grouping)."""
    by_col: list[list[int]] = [[] for _ in range(n)]
    for r, c in zip(rows, cols, strict=True):
        by_col[c].append(r)
    colour = np.full(n, -1)
    row_colours: dict[int, set[int]] = {}
    for c in range(n):
        used = set().union(*(row_colours.get(r, set()) for r in by_col[c]))
        k = 0
        while k in used:
            k += 1
        colour[c] = k
        for r in by_col[c]:
            row_colours.setdefault(r, set()).add(k)
    return colour


# ---------------------------------------------------------------------- solve
def initial_state(cp: Coupled, initial_K: dict | None = None) -> np.ndarray:
    """Starting unknowns: pressures smoothed between the fixed ones, inlet enthalpy, probed flows."""
    fn, net = cp.flow, cp.thermal
    n = len(fn.node_ids)
    logp = np.log(np.where(np.isnan(fn.p_fixed), np.nan, fn.p_fixed))
    anchored = ~np.isnan(logp)
    for k, p0 in enumerate(fn.init_p):
        if p0 is not None:
            logp[k], anchored[k] = math.log(p0), True
    if not anchored.any():
        raise SolverError(
            "the fluid network has no pressure anywhere: add an inlet, outlet or bath"
        )
    logp[~anchored] = np.nanmean(logp)
    # weighted harmonic smoothing over elements (a pipe is one edge): restrictions take most of
    # the pressure difference, exchangers and circulators almost none
    interior = {node for points in fn.pipe_nodes.values() for node in points[1:-1]}
    edges: list[tuple[int, int, float]] = [
        (c.i, c.j, GUESS_CONDUCTANCE[c.kind]) for c in fn.channels if c.kind != "segment"
    ]
    edges += [(pts[0], pts[-1], GUESS_CONDUCTANCE["segment"]) for pts in fn.pipe_nodes.values()]
    a, b, w = (np.array(v) for v in zip(*edges, strict=True))
    L = sp.csr_matrix((np.r_[w, w], (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    L = sp.diags(np.asarray(L.sum(axis=1)).ravel()) - L  # weighted graph Laplacian
    solve_for = np.flatnonzero(~anchored & ~np.isin(np.arange(n), list(interior)))
    known = np.flatnonzero(anchored)
    if solve_for.size:  # harmonic in log p between the fixed pressures
        L_uu = L[solve_for][:, solve_for]
        rhs = -(L[solve_for][:, known] @ logp[known])
        logp[solve_for] = spla.spsolve(L_uu.tocsc(), rhs) if L_uu.nnz else logp[solve_for]
    for points in fn.pipe_nodes.values():
        logp[points] = np.linspace(logp[points[0]], logp[points[-1]], len(points))
    p = np.exp(logp)
    h_sources = [
        h for h, kind in zip(fn.h_fixed, fn.kind, strict=True) if kind in ("inlet", "bath")
    ]
    for k, (_, T_in) in fn.mfi_flow.items():
        h_sources.append(fn.fluid.h_pT(p[k], T_in, f"flow boundary {fn.node_ids[k]!r}"))
    h = np.full(n, float(np.mean(h_sources)))
    for k, T0 in enumerate(fn.init_T):
        if T0 is not None:
            h[k] = fn.fluid.h_pT(p[k], T0, f"flow junction {fn.node_ids[k]!r}, field 'initial_K'")
    x = np.zeros(cp.n)
    x[fn.ip[fn.p_free]] = p[fn.p_free]
    x[fn.ih[fn.h_free]] = h[fn.h_free]
    if cp.n_T:
        T_start = initial_guess(net, initial_K)
        walls = [c.params["wall"] for c in fn.channels if c.params.get("wall", -1) >= 0]
        T_fluid = fn.fluid.state_ph(float(np.exp(np.mean(logp))), float(np.mean(h_sources))).T
        for node in walls:  # a pipe wall sits near the fluid's temperature
            if not net.fixed[node] and net.node_ids[node] not in (initial_K or {}):
                T_start[node] = T_fluid
        x[fn.n_fluid :] = T_start[net.free_nodes]
    nc = len(fn.channels)
    if fn.mfi_flow:
        x[fn.im0 : fn.n_fluid] = sum(v[0] for v in fn.mfi_flow.values())
        return x
    x[fn.im0 : fn.n_fluid] = M_REF
    r, ev = fn.channel_terms(x, cp.temperatures(x))
    a = (ev.dp - r) / M_REF**2  # Δp = a ṁ² for the quadratic laws
    guess = np.full(nc, np.nan)
    ok = (a > 0) & (ev.dp > 0)
    guess[ok] = np.sqrt(ev.dp[ok] / a[ok])
    pumps = [c.params["range"][1] / 2 for c in fn.channels if c.kind == "circulator"]
    if pumps:  # a loop driven by a circulator: start from mid-curve flow everywhere
        x[fn.im0 : fn.n_fluid] = float(np.mean(pumps))
        return x
    fill = float(np.nanmedian(guess)) if np.isfinite(guess).any() else M_REF
    x[fn.im0 : fn.n_fluid] = np.where(np.isfinite(guess), guess, fill)
    return x


def newton(cp: Coupled, x: np.ndarray, tol: float = TOLERANCE):
    """Newton with a backtracking line search; returns (x, iterations, max relative imbalance, evaluation).

    The Jacobian is kept for the next step while full steps cut the residual at least
    ``REUSE_RATIO`` times (a chord step costs one evaluation instead of a colouring's worth).
    """
    point = cp.evaluate(x)
    J = cp.jacobian(x, point)
    for iteration in range(1, MAX_ITERATIONS + 1):
        rel = _relative(point.F, point.S)
        if rel <= tol:
            return x, iteration - 1, rel, point.ev
        try:
            dx = spla.spsolve(J.tocsc(), -point.F)
        except RuntimeError as exc:
            raise _stuck(cp, point.F, point.S, "the Jacobian is singular") from exc
        if not np.all(np.isfinite(dx)):
            raise _stuck(
                cp,
                point.F,
                point.S,
                "the Jacobian is singular (is a part of the network stagnant or unconnected?)",
            )
        dx = _limit(cp, x, dx)
        merit0 = np.linalg.norm(point.F / _floor(point.S))
        accepted = None
        for alpha in LINE_SEARCH:
            trial = x + alpha * dx
            try:
                candidate = cp.evaluate(trial)
            except OutOfRange:
                continue
            merit = np.linalg.norm(candidate.F / _floor(candidate.S))
            if accepted is None:  # the longest step that stays in range, taken if none descends
                accepted = (trial, candidate, alpha, merit)
            if merit <= (1 - 1e-4 * alpha) * merit0:
                accepted = (trial, candidate, alpha, merit)
                break
        if accepted is None:
            raise _stuck(cp, point.F, point.S, "every Newton step left the fluid's property range")
        x, point, alpha, merit = accepted
        if not (alpha == 1.0 and merit * REUSE_RATIO <= merit0):
            J = cp.jacobian(x, point)
    raise _stuck(cp, point.F, point.S, f"Newton did not converge in {MAX_ITERATIONS} iterations")


def _limit(cp: Coupled, x: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """Scale the step so no pressure or node temperature changes by more than ×2 or ÷2."""
    fn = cp.flow
    positive = np.r_[np.arange(fn.p_free.size), np.arange(fn.n_fluid, cp.n)]
    if positive.size == 0:
        return dx
    ratio = (x[positive] + dx[positive]) / x[positive]
    worst = min(
        1.0,
        float(
            np.min(
                np.where(ratio < 0.5, 0.5 * x[positive] / np.maximum(-dx[positive], 1e-300), 1.0)
            )
        ),
    )
    return dx * worst


def _floor(S: np.ndarray) -> np.ndarray:
    return np.maximum(S, 1e-12 * S.max() + 1e-300)


def _relative(F: np.ndarray, S: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(S > 0, np.abs(F) / S, np.where(F == 0, 0.0, np.inf))
    return float(rel.max()) if rel.size else 0.0


def row_names(cp: Coupled) -> list[str]:
    fn = cp.flow
    names = [f"momentum of element {c.element!r}" for c in fn.channels]
    names += [f"mass balance at {fn.node_ids[k]!r}" for k in fn.p_free]
    names += [f"energy balance at {fn.node_ids[k]!r}" for k in fn.h_free]
    names += [f"heat balance at node {cp.thermal.node_ids[k]!r}" for k in cp.thermal.free_nodes]
    return names


def _stuck(cp: Coupled, F, S, why: str) -> SolverError:
    k = int(np.argmax(np.abs(F) / _floor(S)))
    return SolverError(
        f"{why}: the {row_names(cp)[k]} is still off by {abs(F[k]):.3g} (relative "
        f"{abs(F[k]) / _floor(S)[k]:.3g}). Check that the boundaries drive flow the way the elements "
        "point, or give junction initial_K/initial_Pa closer to the answer."
    )
