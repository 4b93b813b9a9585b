"""A magnet's engineering summary: margins, load line, stored energy, inductance, quench.

One call gathers what the magnet report and the app's magnet panel show, from the
functions of :mod:`solver.magnet` (nothing new is computed here): margins at the
operating temperature, the critical-current curve the load lines meet, the
inductance and stored energy, and the quench of a dump sized for a peak voltage.
A magnet with iron (:class:`solver.magnet.fem.FemMagnet`) takes its margins from the
FEM load line and its energy from the FEM (W = ∫∫ H dB dV, L = 2W/I²); where that
energy is infinite (line currents, a background field) there is no inductance, dump or
hot spot, and ``quench_note`` says why. A magnet in air also gets its 5-gauss distances
(:func:`solver.magnet.fringe.fringe_extent_m`); a magnet with iron has them in its
:class:`solver.magnet.fem.IronMagnetSummary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet.fem.magnet import FemMagnet
from solver.magnet.fem.results import stored_energy_J
from solver.magnet.fringe import fringe_extent_m
from solver.magnet.inductance import inductance_matrix
from solver.magnet.magnet import Magnet
from solver.magnet.margins import margins
from solver.magnet.quench import dump_discharge, hot_spot_temperature, normal_zone_velocity
from solver.magnet.superconductors import Conductor

DEFAULT_DETECTION_S = 0.05
"""Quench detection plus switch delay at full current, s (the report's default)."""
DEFAULT_DUMP_VOLTAGE_V = 100.0
"""Peak voltage the dump resistor is sized for, V (the report's default)."""


@dataclass(frozen=True)
class MagnetSummary:
    """What an engineer reads first about a magnet (SI units throughout).

    ``margins`` is :func:`solver.magnet.margins`; ``ic_curve`` Ic(B) (A) on ``B`` (T) at
    the operating temperature; ``quench_note`` says why the hot spot (or the inductance,
    energy and dump of a magnet with an infinite energy) is missing when it is.
    ``fringe``: the 0.5 mT distances of a magnet in air
    (:func:`solver.magnet.fringe.fringe_extent_m`); None for a magnet with iron.
    """

    margins: xr.Dataset
    ic_curve: xr.DataArray
    inductance_H: float | None
    stored_energy_J: float | None
    current_A: float
    dump_resistance_ohm: float | None
    peak_voltage_V: float | None
    tau_s: float | None
    detection_s: float
    hot_spot_K: float | None
    normal_zone_velocity_m_s: float | None
    quench_note: str = ""
    fringe: xr.Dataset | None = None


@dataclass(frozen=True)
class FringeSummary:
    """A magnet in air without margins (no conductor or operating temperature, or its
    summary failed): its 0.5 mT distances (:func:`solver.magnet.fringe.fringe_extent_m`)
    and ``note``, why there are no margins."""

    fringe: xr.Dataset
    note: str


def _conductor(magnet: Magnet | FemMagnet) -> Conductor:
    if magnet.conductor is None:
        raise DesignError("the magnet has no conductor (coil file field 'conductor')")
    return magnet.conductor


def ic_curve(magnet: Magnet | FemMagnet, margins_ds: xr.Dataset) -> xr.DataArray:
    """Critical current Ic(B) (A) at the operating temperature, over the load lines' field
    range up to just below the upper critical field."""
    t_op = margins_ds.attrs["operating_temperature_K"]
    b_ss = float(margins_ds.short_sample_peak_field_T.max())
    conductor = _conductor(magnet)
    b_c2 = conductor.fit.upper_critical_field_T(t_op, conductor.strain)
    b = np.linspace(0.1 * b_ss, min(1.6 * b_ss, 0.999 * b_c2), 200)
    ic = np.array(conductor.critical_current_A(b, t_op), dtype=np.float64)
    return xr.DataArray(ic, coords={"B": b}, dims="B", attrs={"units": "A"})


def _energy_and_inductance(magnet: Magnet | FemMagnet) -> tuple[float, float, float]:
    """(stored energy J, inductance H, current A) with every coil at its current; the
    inductance is 2W/I0² at the largest |current| I0 (coils in series)."""
    if isinstance(magnet, FemMagnet):
        energy = stored_energy_J(magnet.solution)
        i0 = float(max(abs(c.current_A) for c in magnet.coils))
        return energy, 2 * energy / i0**2, i0
    L = inductance_matrix(magnet)
    i0 = float(np.max(np.abs(L.current_A)))
    inductance = (
        float(L.series_inductance_H)
        if "series_inductance_H" in L
        else 2 * float(L.energy_J) / i0**2
    )
    return float(L.energy_J), inductance, i0


def summarise(
    magnet: Magnet | FemMagnet,
    temperature_K: float | None = None,
    *,
    detection_s: float = DEFAULT_DETECTION_S,
    max_dump_voltage_V: float = DEFAULT_DUMP_VOLTAGE_V,
) -> MagnetSummary:
    """Margins, load line, inductance, stored energy and quench of ``magnet``.

    Parameters
    ----------
    magnet : Magnet or FemMagnet
        With a ``conductor`` and an operating temperature.
    temperature_K : float, optional
        Operating temperature, K (default the magnet's).
    detection_s : float
        Time at full current before the dump opens, s.
    max_dump_voltage_V : float
        The dump resistor is max_dump_voltage_V / I0, V.
    """
    m = margins(magnet, temperature_K)
    b_peak = float(m.peak_field_T.max())
    t_op = float(m.attrs["operating_temperature_K"])
    fringe = fringe_extent_m(magnet) if isinstance(magnet, Magnet) else None
    try:
        energy, inductance, i0 = _energy_and_inductance(magnet)
    except DesignError as exc:  # infinite energy: no inductance, no dump to size
        i0 = float(m.current_A.max())
        return MagnetSummary(
            m,
            ic_curve(magnet, m),
            None,
            None,
            i0,
            None,
            None,
            None,
            detection_s,
            None,
            None,
            f"no inductance, dump or hot spot: {exc}",
            fringe,
        )
    r_dump = max_dump_voltage_V / i0
    dump = dump_discharge(inductance, r_dump, i0)
    hot, velocity, note = None, None, ""
    try:
        hot = hot_spot_temperature(
            _conductor(magnet), i0, float(dump.tau_s), detection_s, t_op, b_peak
        )
        velocity = normal_zone_velocity(_conductor(magnet), i0, b_peak, t_op)
    except DesignError as exc:
        note = str(exc)
    return MagnetSummary(
        margins=m,
        ic_curve=ic_curve(magnet, m),
        inductance_H=inductance,
        stored_energy_J=energy,
        current_A=i0,
        dump_resistance_ohm=r_dump,
        peak_voltage_V=float(dump.peak_voltage_V),
        tau_s=float(dump.tau_s),
        detection_s=detection_s,
        hot_spot_K=hot,
        normal_zone_velocity_m_s=velocity,
        quench_note=note,
        fringe=fringe,
    )
