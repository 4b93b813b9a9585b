"""Load line of a magnet with iron: the peak field on each conductor as a function of the
transport current, from finite-element solves at several currents.

With saturating iron (or a background field) the peak field is not proportional to the
current, so the short-sample point is where the sampled curve B_peak(I) meets the
critical surface, I = I_c(B_peak(I), T): found on a monotone (PCHIP) interpolant of the
samples, then checked by a solve at that current, which joins the samples, until two
estimates agree to ``SHORT_SAMPLE_RTOL``. All currents scale together (coils in series).

Where the peak field is sampled: an axisymmetric winding over its cross-section including
its edges (as :meth:`solver.magnet.Solenoid.winding_points`); a planar line current on
the surface of its round conductor, radius ``conductor.wire_radius_m`` (the line's own
field μ0I/2πa is exact there, the iron's is the FEM's).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import xarray as xr
from scipy import interpolate, optimize

from solver.errors import DesignError, SolverError
from solver.magnet.coils import Solenoid
from solver.magnet.fem.magnet import FemMagnet
from solver.magnet.fem.problem import FemProblem
from solver.magnet.fem.solve import solve
from solver.magnet.short_sample import short_sample_current_A  # seeds the samples

LOAD_LINE_FRACTIONS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
"""Load-line samples as fractions of the linear estimate of the short-sample current."""
SHORT_SAMPLE_RTOL = 1e-6
"""Relative change of the short-sample current between two estimates at which it is taken."""
MAX_REFINEMENTS = 12
"""FEM solves (extensions of the samples and checks of the intersection) per coil."""
WIRE_POINTS = 64
"""Points around a line current's conductor surface (the field varies as cos θ there)."""


def scaled_problem(problem: FemProblem, scale: float) -> FemProblem:
    """The problem with every winding and line current carrying ``scale`` times its current
    (the background field is unchanged)."""
    return dataclasses.replace(
        problem,
        windings=tuple(
            dataclasses.replace(w, current_A=scale * w.current_A) for w in problem.windings
        ),
        line_currents=tuple(
            dataclasses.replace(c, current_A=scale * c.current_A) for c in problem.line_currents
        ),
    )


def conductor_samples(magnet: FemMagnet, wire_radius_m: float | None) -> list[np.ndarray]:
    """Global points (n, 3), metres, sampling each source's conductor, in file order."""
    out = []
    for w in magnet.problem.windings:
        sol = Solenoid.model_validate(
            {
                "id": w.id,
                "inner_radius_m": w.r_inner_m,
                "outer_radius_m": w.r_outer_m,
                "length_m": w.z_max_m - w.z_min_m,
                "turns": w.turns,
                "current_A": w.current_A,
                "center_m": (0.0, 0.0, 0.5 * (w.z_min_m + w.z_max_m)),
            }
        )
        # the FEM field depends on r and z only: one azimuth is enough
        out.append(sol.winding_points(0.0, n_phi=1))
    for lc in magnet.problem.line_currents:
        if wire_radius_m is None or not wire_radius_m > 0:
            raise DesignError(
                f"coil {lc.id!r}: the peak field on a line current needs the conductor's "
                "surface: give conductor.wire_radius_m"
            )
        t = 2 * math.pi * np.arange(WIRE_POINTS) / WIRE_POINTS
        ring = np.column_stack(
            [
                lc.position_m[0] + wire_radius_m * np.cos(t),
                lc.position_m[1] + wire_radius_m * np.sin(t),
                np.zeros(WIRE_POINTS),
            ]
        )
        out.append(ring)
    return out


def peak_fields_at(
    magnet: FemMagnet, scale: float, samples: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Peak |B| (T) on each conductor and where (n_coil, 3), with currents × ``scale``."""
    problem = magnet.problem if scale == 1.0 else scaled_problem(magnet.problem, scale)
    sol = magnet.solution if scale == 1.0 else solve(problem, where=magnet.name)
    peaks, where = [], []
    for pts in samples:
        b = np.linalg.norm(sol.field(pts), axis=1)
        i = int(np.argmax(b))
        peaks.append(b[i])
        where.append(pts[i])
    return np.array(peaks), np.array(where)


def fem_load_line(magnet: FemMagnet, conductor, temperature_K: float) -> xr.Dataset:
    """Peak field on each conductor at several currents and the short-sample current.

    Parameters
    ----------
    magnet : FemMagnet
    conductor : Conductor
        Its ``critical_current_A(B, T)`` is the critical surface; ``wire_radius_m`` places
        the samples around line currents.
    temperature_K : float
        Operating temperature, K.

    Returns
    -------
    xarray.Dataset
        On dim ``coil``: ``peak_field_T`` (at the operating currents), ``peak_x_m``,
        ``peak_y_m``, ``peak_z_m``, ``n_samples``, ``short_sample_current_A`` and
        ``short_sample_peak_field_T``; on dims (coil, load_point): ``load_line_current_A``
        and ``load_line_peak_field_T`` (the FEM samples, sorted by current, from 0).
    """
    samples = conductor_samples(magnet, conductor.wire_radius_m)
    sources = magnet.coils
    currents = np.array([abs(s.current_A) for s in sources])
    if np.any(currents == 0):
        bad = sources[int(np.argmin(currents))].id
        raise DesignError(f"coil {bad!r}: field 'current_A' is zero; margins need a current")
    peak1, where = peak_fields_at(magnet, 1.0, samples)
    scales = {1.0: peak1}
    # no current, no field, unless a background field is applied (iron has no remanence here)
    scales[0.0] = (
        peak_fields_at(magnet, 0.0, samples)[0]
        if any(magnet.problem.background_field_T)
        else np.zeros(len(sources))
    )
    # linear estimate (field ∝ current) of the short-sample scale: where to sample
    guess = max(
        short_sample_current_A(conductor, b / i, temperature_K) / i
        for b, i in zip(peak1, currents, strict=True)
    )
    for f in LOAD_LINE_FRACTIONS:
        s = f * guess
        if not any(math.isclose(s, k, rel_tol=1e-9) for k in scales):
            scales[s] = peak_fields_at(magnet, s, samples)[0]
    s_ss = np.empty(len(sources))
    b_ss = np.empty(len(sources))
    for c in range(len(sources)):
        s_ss[c], b_ss[c] = _short_sample_scale(
            magnet, samples, scales, c, currents[c], conductor, temperature_K
        )
    ks = np.array(sorted(scales))
    line_b = np.array([[scales[k][c] for k in ks] for c in range(len(sources))])
    line_i = ks[None, :] * currents[:, None]
    ids = [s.id for s in sources]
    return xr.Dataset(
        {
            "peak_field_T": ("coil", peak1, {"units": "T"}),
            "peak_x_m": ("coil", where[:, 0], {"units": "m"}),
            "peak_y_m": ("coil", where[:, 1], {"units": "m"}),
            "peak_z_m": ("coil", where[:, 2], {"units": "m"}),
            "n_samples": ("coil", np.array([len(p) for p in samples])),
            "short_sample_current_A": ("coil", s_ss * currents, {"units": "A"}),
            "short_sample_peak_field_T": ("coil", b_ss, {"units": "T"}),
            "load_line_current_A": (("coil", "load_point"), line_i, {"units": "A"}),
            "load_line_peak_field_T": (("coil", "load_point"), line_b, {"units": "T"}),
        },
        coords={"coil": ids},
        attrs={"fem_solves": len(scales)},
    )


def _short_sample_scale(magnet, samples, scales, c, current, conductor, temperature_K):
    """(scale, peak field) where coil ``c``'s load line meets the critical surface; adds
    the FEM solves it makes to ``scales`` (scale -> peak fields)."""
    previous = None
    for _ in range(MAX_REFINEMENTS):
        ks = np.array(sorted(scales))
        curve = interpolate.PchipInterpolator(ks, [scales[k][c] for k in ks])

        def excess(s, curve=curve):
            return s * current - conductor.critical_current_A(float(curve(s)), temperature_K)

        hi = float(ks[-1])
        if excess(hi) < 0:  # the samples end below the critical surface: extend them
            scales[1.5 * hi] = peak_fields_at(magnet, 1.5 * hi, samples)[0]
            continue
        s = optimize.brentq(excess, 1e-9 * hi, hi, xtol=1e-15 * hi, rtol=1e-14)
        if previous is not None and abs(s - previous) <= SHORT_SAMPLE_RTOL * s:
            return s, float(curve(s))
        previous = s
        scales[s] = peak_fields_at(magnet, s, samples)[0]
    raise SolverError(
        f"{magnet.name}: the short-sample current did not settle in {MAX_REFINEMENTS} "
        "solves; check the conductor and currents, or refine the mesh (mesh.max_size_m)"
    )
