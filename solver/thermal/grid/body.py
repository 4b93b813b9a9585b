"""A conduction body on a grid of whole and cut cells: its cells, materials, patches and
sources, and the nonlinear steady solve (Newton in Kirchhoff variables with a line search).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from solver.errors import DesignError, PropertyRangeError, SolverError
from solver.kernels.grid import conduction as kern
from solver.kernels.grid import multigrid as kern_mg
from solver.kernels.grid.krylov import norm
from solver.thermal.grid.boundary import boundary_faces, source_power
from solver.thermal.grid.geometry import voxelise
from solver.thermal.grid.linear import LINEAR_RTOL_FLOOR, ROUNDOFF, KirchhoffLinearSolver
from solver.thermal.grid.properties import build_tables

_NONE = np.zeros(0)

BLOCK_MIN_CELLS = 20_000
"""Bodies with more cells get the geometric 2×2×2 first coarsening (see BlockCycle)."""


def _material_name(material) -> str:
    if isinstance(material, str):
        return material
    return str(
        getattr(material, "id", None) or getattr(material, "name", None) or type(material).__name__
    )


def _resolve(material):
    if not isinstance(material, str):
        return material
    from solver import materials

    return materials.get(material)


@dataclass
class NewtonState:
    """Everything one residual evaluation produces, shapes (n,) / (nnz,) / (n_patches,).

    ``data`` is ``factor``·dR/dΘ, the Jacobian in Kirchhoff variables (CSR pattern of the
    body) scaled as the Newton matrix wants it. It lives in the body's one Jacobian buffer:
    the next evaluation overwrites it.
    """

    T: np.ndarray
    R: np.ndarray
    data: np.ndarray
    gross: np.ndarray
    patch_heat: np.ndarray
    k: np.ndarray
    factor: float

    @property
    def residual_norm(self) -> float:
        return float(norm(self.R))

    def converged(self, rtol: float, diag: np.ndarray) -> bool:
        """‖R‖₂ ≤ rtol·‖gross‖₂ + round-off floor (``diag``: positions of dR_i/dΘ_i)."""
        floor = float(norm(ROUNDOFF * self.T * self.diagonal_derivative(diag)))
        return self.residual_norm <= rtol * float(norm(self.gross)) + floor

    def diagonal_derivative(self, diag: np.ndarray) -> np.ndarray:
        """|dR_i/dT_i| of every cell, W/K (``diag``: positions of the diagonal entries)."""
        return np.abs(self.data[diag]) * self.k / abs(self.factor)

    @property
    def relative_residual(self) -> float:
        """‖R‖₂ / ‖gross flows‖₂: net heat left in the cells against the heat they pass."""
        scale = float(norm(self.gross))
        return self.residual_norm / scale if scale > 0 else 0.0


class ConductionBody:
    """A 3-D conduction body on a Cartesian grid (see ``solver.thermal.grid``).

    Parameters
    ----------
    shapes : list of Box or Cylinder — in order; later shapes overwrite earlier ones.
    spacing_m : float — cell edge, m.
    patches : list of Patch — boundary conditions; other exposed faces are adiabatic.
    sources : list of VolumeSource — volumetric heat, W.
    cell_power_W : ndarray, shape (nx, ny, nz), optional — extra heat in each cell, W (zero
        in empty cells).
    name : str — used in messages.
    """

    def __init__(
        self,
        shapes: list,
        spacing_m: float,
        patches: Sequence = (),
        sources: Sequence = (),
        cell_power_W: np.ndarray | None = None,
        name: str = "body",
    ):
        self.name = name
        materials: list = []
        names: list[str] = []
        slots: list[int | None] = []
        for shape in shapes:
            if shape.material is None:
                slots.append(None)
                continue
            key = _material_name(shape.material)
            if key not in names:
                names.append(key)
                materials.append(_resolve(shape.material))
            slots.append(names.index(key))
        self.material_names = names
        self.materials = materials
        self.grid = voxelise(list(shapes), slots, spacing_m)
        self.geometry_notes = [size.note() for size in self.grid.cylinders]
        self.h = self.grid.spacing_m
        solid = self.grid.material_index >= 0
        self.flat, self.indptr, self.indices, self.diag = kern.build_structure(solid)
        self.n = self.flat.size
        sides = self.grid.sides
        self.face_fraction = (  # solid fraction of each face; none given: all whole
            _NONE
            if sides is None
            else kern.face_fractions(
                self.flat, self.indptr, self.indices, *solid.shape[1:], sides.reshape(6, -1)
            )
        )
        number = np.full(solid.size, -1, dtype=np.int32)
        number[self.flat] = np.arange(self.n, dtype=np.int32)
        cell_number = number.reshape(solid.shape)  # only needed while the body is built
        self.material = self.grid.material_index.reshape(-1)[self.flat].astype(np.int32)
        self.patches = list(patches)
        self.faces = boundary_faces(self.grid, cell_number, self.patches)
        self.cell_power = source_power(self.grid, cell_number, list(sources))
        del number, cell_number
        if cell_power_W is not None:
            extra = np.asarray(cell_power_W, dtype=float)
            if extra.shape != solid.shape or np.any(extra[~solid] != 0):
                raise DesignError(
                    f"{name}: cell_power_W must have the grid's shape {solid.shape} and be zero "
                    "in empty cells"
                )
            self.cell_power = self.cell_power + extra.reshape(-1)[self.flat]
        self.tables = build_tables(materials, names, need_heat_capacity=False)
        interfaces = kern.has_interfaces(self.indptr, self.indices, self.material)
        blocks = (
            kern_mg.block_aggregates(self.flat, solid.shape) if self.n > BLOCK_MIN_CELLS else None
        )
        self.linear = KirchhoffLinearSolver(
            self.indptr, self.indices, self.diag, symmetric=not interfaces, blocks=blocks
        )
        self._T: np.ndarray | None = None
        self._jacobian: np.ndarray | None = None

    def cell_volume(self) -> np.ndarray:
        """Solid volume of each cell (the filled part of a cut cell), m³, shape (n,)."""
        return self.grid.filled().reshape(-1)[self.flat] * self.h**3

    # ------------------------------------------------------------------ inputs
    @property
    def terminals(self) -> list[str]:
        """Network node ids the body's linked patches connect to, in patch order."""
        return list(self.faces.terminals)

    def patch_ids(self) -> list[str]:
        return [p.id for p in self.patches]

    def _set_terminals(self, T_terminals) -> None:
        if not self.terminals:
            return
        if T_terminals is None:
            raise DesignError(
                f"{self.name}: patches link to nodes {', '.join(self.terminals)}; give their "
                "temperatures (terminal_temperatures_K)"
            )
        if isinstance(T_terminals, dict):
            missing = [t for t in self.terminals if t not in T_terminals]
            if missing:
                raise DesignError(
                    f"{self.name}: no temperature given for node(s) {', '.join(missing)}"
                )
            T_terminals = [T_terminals[t] for t in self.terminals]
        values = np.asarray(T_terminals, dtype=float)
        if values.shape != (len(self.terminals),) or not np.all(np.isfinite(values) & (values > 0)):
            raise DesignError(
                f"{self.name}: terminal temperatures must be {len(self.terminals)} finite values "
                f"> 0 K for {', '.join(self.terminals)}, got {T_terminals!r}"
            )
        linked = self.faces.terminal >= 0
        self.faces.value[linked] = values[self.faces.terminal[linked]]

    def _check_range(self, T: np.ndarray, what: str) -> None:
        lo, hi = self.tables.range_K
        if np.any(lo > T) or np.any(hi < T):
            raise DesignError(
                f"{self.name}: {what} {float(T.min()):g}..{float(T.max()):g} K lies outside the "
                f"property tables' range {lo:g}..{hi:g} K"
            )

    def check_supported(self, T: np.ndarray) -> None:
        """Raise PropertyRangeError if a cell of a material lies outside its supported range."""
        for m, (material, name) in enumerate(zip(self.materials, self.material_names, strict=True)):
            lo, hi = getattr(material, "supported_range_K", self.tables.range_K)
            Tm = T[self.material == m]
            bad = Tm[(Tm < lo) | (Tm > hi)]
            if bad.size:
                worst = bad[np.argmax(np.maximum(lo - bad, bad - hi))]
                raise PropertyRangeError(f"{self.name}: {name}", "k", worst, (lo, hi))

    def _anchored(self) -> None:
        """Every connected piece must touch a fixed-temperature, node or radiation patch."""
        labels, count = ndimage.label(self.grid.material_index >= 0)
        cell_label = labels.reshape(-1)[self.flat]
        fixing = self.faces.kind[self.faces.patch] != kern.HEAT_FLUX
        anchored = np.unique(cell_label[self.faces.cell[fixing]])
        loose = sorted(set(range(1, count + 1)) - set(anchored.tolist()))
        if loose:
            cells = np.argwhere(labels == loose[0])[0]
            where = self.grid.origin_m + (cells + 0.5) * self.h
            raise SolverError(
                f"{self.name}: a part of the body (the piece containing the cell at "
                f"{np.round(where, 6).tolist()} m) touches no fixed-temperature, radiation or "
                "node patch, so its steady temperature is undefined; add such a patch or join it"
            )

    def _initial(self, T_initial_K) -> np.ndarray:
        if T_initial_K is not None:
            T = np.broadcast_to(np.asarray(T_initial_K, dtype=float), self.grid.shape)
            T = np.ascontiguousarray(T.reshape(-1)[self.flat])
        elif self._T is not None:
            T = self._T.copy()
        else:
            fixed = self.faces.value[self.faces.kind != kern.HEAT_FLUX]
            T = np.full(self.n, float(np.mean(fixed)) if fixed.size else 300.0)
        self._check_range(T, "initial temperature")
        return T

    # ------------------------------------------------------------------ residual
    def evaluate(self, T: np.ndarray, factor: float = -1.0) -> NewtonState:
        """Net heat into each cell (W) and its Jacobian at cell temperatures T (K), shape (n,).

        The Jacobian, times ``factor``, goes to the body's one buffer (the largest array of
        a solve; the multigrid hierarchy shares it as its finest-level operator).
        """
        if self._jacobian is None:
            self._jacobian = np.empty(self.indices.size)
        state = NewtonState(
            T=T,
            R=np.empty(self.n),
            data=self._jacobian,
            gross=np.empty(self.n),
            patch_heat=np.empty(self.faces.kind.size),
            k=np.empty(self.n),
            factor=factor,
        )
        t = self.tables
        kern.assemble(
            T, self.material, self.indptr, self.indices, self.diag, self.face_fraction, self.h,
            t.log_t0, t.inv_dlog, t.T_nodes, t.THETA, t.K, self.cell_power,
            self.faces.cell, self.faces.patch, self.faces.fraction, self.faces.kind,
            self.faces.value, self.faces.emissivity, state.R, state.data, state.gross,
            state.patch_heat, state.k, True, factor,
        )  # fmt: skip
        return state

    def step(self, T: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray | None:
        """Cell temperatures after a Kirchhoff-variable step alpha·y; None if it leaves the tables."""
        t = self.tables
        T_new = np.empty(self.n)
        outside = kern.kirchhoff_step(
            T, self.material, y, alpha, t.log_t0, t.inv_dlog, t.T_nodes, t.THETA, t.K, T_new
        )
        return None if outside else T_new

    # ------------------------------------------------------------------ steady
    def newton_steady(self, T: np.ndarray, rtol: float, max_iterations: int) -> tuple:
        """Newton with a backtracking line search; returns (state, iterations, history)."""
        state = self.evaluate(T)
        history = [state.residual_norm]
        previous = None
        for iteration in range(max_iterations + 1):
            rel = state.relative_residual
            if state.converged(rtol, self.diag):
                return state, iteration, history
            if iteration == max_iterations:
                break
            # Eisenstat–Walker forcing capped at 1e-4 (looser directions, scaled by 1/k in
            # low-conductivity parts, stall the line search), no tighter than needed to finish
            forcing = 1e-4 if previous is None else 0.9 * (history[-1] / previous) ** 2
            lin_rtol = float(
                np.clip(max(min(forcing, 1e-4), 0.3 * rtol / rel), LINEAR_RTOL_FLOOR, 1e-4)
            )
            y = self.linear.solve(state.data, _NONE, state.k, state.R, lin_rtol)
            state = self._line_search(state, y)
            previous = history[-1]
            history.append(state.residual_norm)
        raise SolverError(
            f"{self.name}: steady Newton stopped after {max_iterations} iterations at relative "
            f"residual {state.relative_residual:.3g} (asked {rtol:g}); try a better initial "
            "temperature or a finer spacing"
        )

    def _line_search(self, state: NewtonState, y: np.ndarray) -> NewtonState:
        alpha, norm0 = 1.0, state.residual_norm
        for _ in range(40):
            T_new = self.step(state.T, y, alpha)
            if T_new is not None:
                trial = self.evaluate(T_new)
                if trial.residual_norm <= (1.0 - 1e-4 * alpha) * norm0:
                    return trial
            alpha *= 0.5
        lo, hi = self.tables.range_K
        reach = state.T + y / state.k
        if reach.max() > hi or reach.min() < lo:
            raise SolverError(
                f"{self.name}: Newton is heading for {reach.min():.4g}..{reach.max():.4g} K, past "
                f"the property tables ({lo:g}..{hi:g} K); check heat loads and boundary "
                "temperatures"
            )
        raise SolverError(
            f"{self.name}: the Newton line search found no step that lowers the residual "
            f"(relative residual {state.relative_residual:.3g}); try a better initial temperature"
        )

    def solve_steady(
        self,
        terminal_temperatures_K=None,
        T_initial_K=None,
        rtol: float = 1e-10,
        max_iterations: int = 50,
    ):
        """Steady temperatures of the body.

        Parameters
        ----------
        terminal_temperatures_K : dict node id -> K, or ndarray (n_terminals,), optional —
            required when patches link to network nodes.
        T_initial_K : float or ndarray (nx, ny, nz), optional — initial guess in K (default: the
            previous solution, else the mean of the fixed temperatures).
        rtol : float — converged when ‖R‖₂ ≤ rtol·‖gross flows‖₂ (net heat left in the
            cells against the heat passing through them), or below the round-off floor.
        max_iterations : int

        Returns
        -------
        xarray.Dataset — see ``solver.thermal.grid.results.steady_dataset``.
        """
        from solver.thermal.grid.results import steady_dataset

        state, iterations = self.steady_state(
            terminal_temperatures_K, T_initial_K, rtol, max_iterations
        )
        return steady_dataset(self, state, iterations)

    def steady_state(self, terminal_temperatures_K, T_initial_K, rtol, max_iterations):
        """The converged NewtonState and iteration count (used by the public solvers)."""
        self._set_terminals(terminal_temperatures_K)
        self._anchored()
        T = self._initial(T_initial_K)
        state, iterations, _ = self.newton_steady(T, rtol, max_iterations)
        self.check_supported(state.T)
        self._T = state.T.copy()
        return state, iterations

    def solve_transient(self, t_end_s: float, T_initial_K, **options):
        """March from ``T_initial_K`` to ``t_end_s``; see ``solver.thermal.grid.transient.solve_transient``."""
        from solver.thermal.grid.transient import solve_transient

        return solve_transient(self, t_end_s, T_initial_K, **options)

    # ------------------------------------------------------------------ coupling
    def notes(self, T_terminals: np.ndarray) -> list[str]:
        """What a network solve reports about the body: its cylinders' cut-cell sections."""
        return [f"body {self.name!r}: {note}" for note in self.geometry_notes]

    def terminal_response(self, T_terminals: np.ndarray, rtol: float = 1e-10):
        """Heat from the body into each terminal node, and its derivatives.

        Parameters
        ----------
        T_terminals : ndarray, shape (n_terminals,) — temperatures of ``terminals``, K.
        rtol : float — steady convergence (see ``solve_steady``).

        Returns
        -------
        Q : ndarray, shape (n_terminals,) — W from the body INTO each terminal node at the
            body's steady state with its own sources and boundary conditions.
        J : ndarray, shape (n_terminals, n_terminals) — dQ[i]/dT_terminal[j], W/K, from the
            converged Newton Jacobian by one sensitivity solve per terminal.
        """
        if not self.terminals:
            raise DesignError(f"{self.name}: no patch links to a network node")
        state, _ = self.steady_state(np.asarray(T_terminals, dtype=float), None, rtol, 50)
        nt = len(self.terminals)
        Q = np.zeros(nt)
        linked = self.faces.terminal >= 0
        np.add.at(Q, self.faces.terminal[linked], -state.patch_heat[linked])
        t = self.tables
        dR_dTt = np.empty((self.n, nt))
        dQ_dT = np.empty((nt, self.n))
        dQ_dTt = np.empty((nt, nt))
        kern.terminal_derivatives(
            state.T, self.material, self.h, t.log_t0, t.inv_dlog, t.T_nodes, t.K,
            self.faces.cell, self.faces.patch, self.faces.fraction, self.faces.terminal,
            self.faces.value, dR_dTt, dQ_dT, dQ_dTt,
        )  # fmt: skip
        # R(T, T_t) = 0  =>  (-∂R/∂T) dT/dT_t = ∂R/∂T_t; solved in Kirchhoff variables
        y = self.linear.solve(state.data, _NONE, state.k, dR_dTt, LINEAR_RTOL_FLOOR)
        return Q, dQ_dTt + dQ_dT @ (y / state.k[:, None])
