"""Operating margins: peak field on the winding, load line, critical-surface fraction,
current-sharing temperature and temperature margin.

The peak field is found by sampling the field of the whole magnet over each coil's
winding (``Coil.winding_points``: the winding volume of a thick solenoid including its
edges, both faces of a current sheet, the wire surface of filament coils), not
guessed from the centre field. All currents are assumed to scale together (coils in
series), so B_peak = k·I along the load line in air. A magnet with iron or a background
field takes its peak fields and load line from finite-element solves at several
currents (:func:`solver.magnet.fem.load_line.fem_load_line`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet.fem.load_line import fem_load_line
from solver.magnet.fem.magnet import FemMagnet
from solver.magnet.fem.magnet3d import FemMagnet3D
from solver.magnet.magnet import Magnet
from solver.magnet.short_sample import short_sample_current_A


def peak_field(magnet: Magnet) -> xr.Dataset:
    """Peak |B| on each coil's winding.

    Parameters
    ----------
    magnet : Magnet
        Filament coils (loop, path, racetrack, saddle, CCT, Helmholtz) need
        ``magnet.conductor.wire_radius_m`` to place samples on the wire surface.

    Returns
    -------
    xarray.Dataset
        On dim ``coil``: ``peak_field_T`` and its location ``peak_x_m``,
        ``peak_y_m``, ``peak_z_m``; ``n_samples``.
    """
    wire = magnet.conductor.wire_radius_m if magnet.conductor is not None else None
    peaks, where, counts = [], [], []
    for coil in magnet.coils:
        try:
            pts = coil.winding_points(wire) if wire is not None else coil.winding_points(0.0)
        except DesignError as exc:
            raise DesignError(f"peak field of coil {coil.id!r}: {exc}") from None
        b = np.linalg.norm(magnet.field(pts), axis=1)
        i = int(np.argmax(b))
        peaks.append(b[i])
        where.append(pts[i])
        counts.append(len(pts))
    at = np.array(where)
    ids = [c.id for c in magnet.coils]
    return xr.Dataset(
        {
            "peak_field_T": ("coil", np.array(peaks), {"units": "T"}),
            "peak_x_m": ("coil", at[:, 0], {"units": "m"}),
            "peak_y_m": ("coil", at[:, 1], {"units": "m"}),
            "peak_z_m": ("coil", at[:, 2], {"units": "m"}),
            "n_samples": ("coil", np.array(counts)),
        },
        coords={"coil": ids},
    )


def linear_load_line(magnet: Magnet, temperature_K: float) -> xr.Dataset:
    """:func:`peak_field` with the short-sample current of the straight load line
    B = (B_peak/I)·I of each coil, in the form of :func:`fem_load_line`."""
    peaks = peak_field(magnet)
    currents = np.array([abs(c.current_A) for c in magnet.coils])
    for coil, i in zip(magnet.coils, currents, strict=True):
        if i == 0:
            raise DesignError(
                f"coil {coil.id!r}: field 'current_A' is zero; margins need a current"
            )
    k = peaks.peak_field_T.values / currents
    i_ss = np.array([short_sample_current_A(magnet.conductor, kc, temperature_K) for kc in k])
    peaks["short_sample_current_A"] = ("coil", i_ss, {"units": "A"})
    peaks["short_sample_peak_field_T"] = ("coil", k * i_ss, {"units": "T"})
    line_i = np.column_stack([np.zeros_like(i_ss), i_ss])
    peaks["load_line_current_A"] = (("coil", "load_point"), line_i, {"units": "A"})
    peaks["load_line_peak_field_T"] = (("coil", "load_point"), k[:, None] * line_i, {"units": "T"})
    return peaks


def margins(magnet: Magnet | FemMagnet, temperature_K: float | None = None) -> xr.Dataset:
    """Operating margins of every coil of a magnet.

    Parameters
    ----------
    magnet : Magnet or FemMagnet
        Needs a ``conductor``; the operating temperature is ``temperature_K`` or
        ``magnet.operating_temperature_K``. A FemMagnet (iron, background field) takes
        its peak fields and load line from the FEM.
    temperature_K : float, optional
        Operating temperature in kelvin.

    Returns
    -------
    xarray.Dataset
        On dim ``coil``: ``peak_field_T``; ``current_A``; ``J_sc_A_m2`` (current
        density on the fit's basis, ``attrs["jc_basis"]``: non-Cu, or the whole strand
        for Bi-2212); ``Jc_at_peak_A_m2``; ``critical_surface_fraction``
        (J/Jc at the peak field and operating temperature); ``short_sample_current_A``
        and ``load_line_fraction`` (I/I_ss); ``current_sharing_temperature_K`` and
        ``temperature_margin_K`` (T_cs − T_op); the load line ``load_line_current_A`` and
        ``load_line_peak_field_T`` on dims (coil, load_point) (two points in air, the FEM
        samples with iron). Units in attrs; ``attrs["flags"]`` lists every peak,
        short-sample or current-sharing point outside the fit's range;
        ``attrs["peak_field_from"]`` is ``"Biot-Savart"`` or ``"FEM"``.
    """
    if isinstance(magnet, FemMagnet3D):
        raise DesignError(
            "margins and quench are not computed for a 3-D magnet (symmetry 'none'): its "
            "load line with iron is not sampled; the coil file's conductor sets only the "
            "coils' self inductance"
        )
    if magnet.conductor is None:
        raise DesignError("margins need the magnet's conductor (coil file field 'conductor')")
    t_op = magnet.operating_temperature_K if temperature_K is None else float(temperature_K)
    if t_op is None or not t_op > 0:
        raise DesignError(
            "margins need an operating temperature (coil file field 'operating_temperature_K')"
        )
    cond = magnet.conductor
    fit = cond.fit
    fem = isinstance(magnet, FemMagnet)
    if isinstance(magnet, FemMagnet):
        peaks = fem_load_line(magnet, cond, t_op)
    else:
        peaks = linear_load_line(magnet, t_op)
    rows = []
    flags: list[str] = []
    for coil, b_peak, i_ss, b_ss in zip(
        magnet.coils,
        peaks.peak_field_T.values,
        peaks.short_sample_current_A.values,
        peaks.short_sample_peak_field_T.values,
        strict=True,
    ):
        current = abs(coil.current_A)
        j = current / cond.jc_area_m2
        jc = float(fit.jc(b_peak, t_op, cond.strain))
        try:
            t_cs = fit.current_sharing_temperature_K(b_peak, j, cond.strain)
        except DesignError as exc:
            raise DesignError(f"coil {coil.id!r}: {exc}") from None
        for b, t, what in (
            (b_peak, t_op, "peak"),
            (b_ss, t_op, "short sample"),
            (b_peak, t_cs, "current sharing"),
        ):
            flags += [f"coil {coil.id!r} ({what}): {note}" for note in fit.range_notes(b, t)]
        rows.append(
            (
                b_peak,
                current,
                j,
                jc,
                j / jc if jc > 0 else np.inf,
                i_ss,
                current / i_ss,
                t_cs,
                t_cs - t_op,
            )
        )
    r = np.array(rows)
    names = [
        ("peak_field_T", "T"),
        ("current_A", "A"),
        ("J_sc_A_m2", "A/m^2"),
        ("Jc_at_peak_A_m2", "A/m^2"),
        ("critical_surface_fraction", "1"),
        ("short_sample_current_A", "A"),
        ("load_line_fraction", "1"),
        ("current_sharing_temperature_K", "K"),
        ("temperature_margin_K", "K"),
    ]
    ds = xr.Dataset(
        {name: ("coil", r[:, k], {"units": unit}) for k, (name, unit) in enumerate(names)},
        coords={"coil": peaks.coil.values},
        attrs={
            "operating_temperature_K": t_op,
            "superconductor": fit.name,
            "jc_basis": fit.basis,
            "flags": flags,
            "peak_field_from": "FEM" if fem else "Biot-Savart",
        },
    )
    for v in (
        "peak_x_m",
        "peak_y_m",
        "peak_z_m",
        "short_sample_peak_field_T",
        "load_line_current_A",
        "load_line_peak_field_T",
    ):
        ds[v] = peaks[v]
    return ds
