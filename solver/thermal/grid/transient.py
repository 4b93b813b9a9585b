"""Transient conduction of a grid body: backward Euler in enthalpy form with an adaptive step.

Each step solves H(T_{n+1}) - H(T_n) = Δt·R(T_{n+1}) by Newton (in Kirchhoff
variables, with a line search), where H is the cell enthalpy ρV∫cp dT (V the cell's solid volume, the filled part
of a cut cell) and R the
net heat into each cell. The stored energy therefore changes by exactly the
heat that crossed the patches plus the sources, up to the Newton tolerance.
The local error of a step is estimated against a linear extrapolation of the
two previous states, (Δt/(Δt + Δt_prev))·|T_{n+1} - T_pred|, and held below
``tolerance_K``.
"""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError, SolverError
from solver.kernels.grid import conduction as kern
from solver.kernels.grid.krylov import norm
from solver.thermal.grid.linear import LINEAR_RTOL_FLOOR, ROUNDOFF, KirchhoffLinearSolver
from solver.thermal.grid.results import transient_dataset

GROWTH_LIMIT = 2.0
SHRINK_LIMIT = 0.2
SAFETY = 0.9


class _EnthalpyStepper:
    """Backward-Euler steps of one body (keeps its own multigrid hierarchy)."""

    def __init__(self, body, rtol: float):
        self.body = body
        self.rtol = rtol
        t = body.tables
        missing = [
            n for n, rho in zip(body.material_names, t.density, strict=True) if np.isnan(rho)
        ]
        if missing:
            raise DesignError(
                f"{body.name}: material(s) {', '.join(missing)} have no cp(T) or density_kg_m3; "
                "a transient needs both"
            )
        self.volume = body.cell_volume()
        self.linear = KirchhoffLinearSolver(
            body.indptr, body.indices, body.diag, body.linear.symmetric, body.linear.blocks
        )

    def enthalpy(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cell enthalpy (J) and heat capacity (J/K), shape (n,) each."""
        b, t = self.body, self.body.tables
        H, C = np.empty(b.n), np.empty(b.n)
        kern.enthalpy(
            T,
            b.material,
            self.volume,
            t.log_t0,
            t.inv_dlog,
            t.T_nodes,
            t.HSPEC,
            t.CP,
            t.density,
            H,
            C,
        )
        return H, C

    def _state(self, T, H_old, dt):
        state = self.body.evaluate(T, -dt)
        H, C = self.enthalpy(T)
        F = H - H_old - dt * state.R
        scale = float(norm(np.abs(H - H_old) + dt * state.gross))
        diag_J = state.diagonal_derivative(self.body.diag)
        floor = float(norm(ROUNDOFF * T * (C + dt * diag_J)))
        return state, F, C, scale * self.rtol + floor

    def step(self, T_old: np.ndarray, H_old: np.ndarray, dt: float):
        """One backward-Euler step; returns (state at T_new, iterations) or None if Newton fails."""
        b = self.body
        state, F, C, allowed = self._state(T_old, H_old, dt)
        for iteration in range(30):
            size = float(norm(F))
            if size <= allowed:
                return state, iteration
            # loose enough to be cheap (1e-4), tight enough to finish (0.3·allowed)
            lin_rtol = float(np.clip(0.3 * allowed / size, LINEAR_RTOL_FLOOR, 1e-4))
            y = self.linear.solve(state.data, C, state.k, -F, lin_rtol)
            alpha = 1.0
            for _ in range(30):
                T_new = b.step(state.T, y, alpha)
                if T_new is not None:
                    trial = self._state(T_new, H_old, dt)
                    if norm(trial[1]) <= (1.0 - 1e-4 * alpha) * size:
                        break
                alpha *= 0.5
            else:
                return None
            state, F, C, allowed = trial
        return None


def solve_transient(
    body,
    t_end_s: float,
    T_initial_K,
    output_times_s=None,
    terminal_temperatures_K=None,
    tolerance_K: float = 0.05,
    dt_initial_s: float | None = None,
    rtol: float = 1e-10,
    max_steps: int = 100_000,
):
    """March a body from ``T_initial_K`` to ``t_end_s``.

    Parameters
    ----------
    body : ConductionBody
    t_end_s : float — end time, s.
    T_initial_K : float or ndarray (nx, ny, nz) — initial temperatures, K.
    output_times_s : sequence of float, optional — times to store (default 11 evenly spaced
        from 0 to t_end_s); steps land on them exactly.
    terminal_temperatures_K : dict or ndarray, optional — temperatures of linked nodes, K.
    tolerance_K : float — bound on the estimated local error of each step, K.
    dt_initial_s : float, optional — first step (default t_end_s·1e-6).
    rtol : float — Newton tolerance of each step, relative to the heat moved in it.
    max_steps : int

    Returns
    -------
    xarray.Dataset with ``T`` (time, x, y, z) and ``patch_heat_W`` (time, patch); attrs give
    ``stored_energy_J``, ``supplied_energy_J`` and their difference ``energy_balance_J``.
    """
    if not (isinstance(t_end_s, int | float) and np.isfinite(t_end_s) and t_end_s > 0):
        raise DesignError(f"t_end_s must be a finite number > 0, got {t_end_s!r}")
    if not (isinstance(tolerance_K, int | float) and tolerance_K > 0):
        raise DesignError(f"tolerance_K must be > 0, got {tolerance_K!r}")
    outs = np.linspace(0.0, t_end_s, 11) if output_times_s is None else np.asarray(output_times_s)
    outs = np.unique(np.append(outs.astype(float), t_end_s))
    if outs[0] < 0 or outs[-1] > t_end_s:
        raise DesignError(f"output_times_s must lie in 0..t_end_s ({t_end_s:g} s)")
    body._set_terminals(terminal_temperatures_K)
    if T_initial_K is None:
        raise DesignError(f"{body.name}: a transient needs T_initial_K")
    T = body._initial(T_initial_K)
    stepper = _EnthalpyStepper(body, rtol)
    H, _ = stepper.enthalpy(T)
    H_start = H.sum()
    state = body.evaluate(T)
    times, fields, heats = [], [], []
    if outs[0] == 0.0:
        times.append(0.0)
        fields.append(T.copy())
        heats.append(state.patch_heat.copy())
        outs = outs[1:]
    t, dt = 0.0, float(dt_initial_s or t_end_s * 1e-6)
    supplied, accepted, rejected = 0.0, 0, 0
    T_prev, dt_prev = None, None
    source = float(np.sum(body.cell_power))
    while outs.size:
        if accepted + rejected >= max_steps:
            raise SolverError(f"{body.name}: transient needed more than {max_steps} steps by "
                              f"t = {t:g} s; raise tolerance_K or max_steps")  # fmt: skip
        dt = min(dt, outs[0] - t)
        result = stepper.step(T, H, dt)
        if result is None:
            rejected += 1
            dt *= SHRINK_LIMIT
            if dt < 1e-12 * t_end_s:
                raise SolverError(f"{body.name}: transient step collapsed at t = {t:g} s")
            continue
        new, _ = result
        factor = GROWTH_LIMIT
        if T_prev is not None:
            predicted = T + dt * (T - T_prev) / dt_prev
            err = float(np.max(np.abs(new.T - predicted))) * dt / (dt + dt_prev)
            factor = SAFETY * np.sqrt(tolerance_K / err) if err > 0 else GROWTH_LIMIT
            if err > tolerance_K:
                rejected += 1
                dt *= max(SHRINK_LIMIT, factor)
                continue
        accepted += 1
        supplied += dt * (float(np.sum(new.patch_heat)) + source)
        T_prev, dt_prev, T = T, dt, new.T
        body.check_supported(T)
        H, _ = stepper.enthalpy(T)
        t += dt
        if t >= outs[0] * (1 - 1e-12):
            t = outs[0]
            times.append(t)
            fields.append(T.copy())
            heats.append(new.patch_heat.copy())
            outs = outs[1:]
        dt *= min(GROWTH_LIMIT, max(SHRINK_LIMIT, factor))
    body._T = T.copy()
    energy = {"stored_J": H.sum() - H_start, "supplied_J": supplied, "accepted": accepted,
              "rejected": rejected}  # fmt: skip
    return transient_dataset(body, times, fields, heats, energy)
