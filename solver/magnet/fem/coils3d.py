"""Coils of a solved 3-D problem: the force on each coil, flux linkage and inductance with
iron (whole device: every coil's filaments cover both sides of each mirror plane, and the
solution is unfolded there by :meth:`FemSolution3D.reduced_field` and
:meth:`FemSolution3D.reduced_potential`).

The total field is B = B_s + curl a with B_s the coils' Biot–Savart field. The coil–coil
parts (forces and inductances in air) come from :mod:`solver.magnet.inductance` (exact for
coaxial loops and solenoids, Neumann on filaments otherwise); the iron adds, per coil,

* force  I Σ dl × curl a  over the coil's filaments;
* flux linkage  Σ N ∫ a·dl  over them: the line integral of the reduced potential around
  a closed filament is the flux of curl a through it (Stokes; a has tangential continuity
  across elements, so this holds for the discrete a too), whatever the gauge.

The stored energy W = ∫∫₀^B H·dB' dV (linear or saturating iron) is
:func:`stored_energy_3d_J`.

Both line integrals use two Gauss points per straight filament
(:func:`solver.magnet.inductance.filament_quadrature`). The filaments are the coils' own
polygons (a loop is an inscribed 256-gon: its enclosed area is (2π/256)²/6 = 1e-4 short
of the circle's, which bounds the relative error of the iron part). a and curl a jump in
their normal part across element faces, so the quadrature error on a segment that crosses
a face is of the order (segment length / element size) of that segment's share; it
averages out over the many short segments of a coil.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet.coils import Coil, FilamentCoil
from solver.magnet.fem.solve3d import FemSolution3D
from solver.magnet.inductance import coil_forces, coil_inductance_matrix_H, filament_quadrature
from solver.magnet.magnet import Magnet


def coil_forces_3d(solution: FemSolution3D) -> xr.Dataset:
    """Lorentz force on each coil of the whole device (N), from the other coils and the iron.

    The coil–coil part is :func:`solver.magnet.inductance.coil_forces` (a coil's own B_s
    exerts no net force on it as a rigid body); the iron's is I Σ dl × curl a over the
    coil's filaments.

    Returns
    -------
    xarray.Dataset
        ``force_N`` (total) and ``force_from_iron_N`` on dims (coil, component x/y/z).
    """
    coils = solution.problem.coils
    air = coil_forces(Magnet(coils)).force_N.values
    iron = np.zeros_like(air)
    for k, coil in enumerate(coils):
        if coil.current_A == 0:
            continue
        pts, dl = filament_quadrature(coil)
        b = solution.reduced_field(pts)
        iron[k] = coil.current_A * np.cross(dl, b).sum(axis=0)
    dims = ("coil", "component")
    return xr.Dataset(
        {
            "force_N": (dims, air + iron, {"units": "N"}),
            "force_from_iron_N": (dims, iron, {"units": "N"}),
        },
        coords={"coil": [c.id for c in coils], "component": ["x", "y", "z"]},
    )


def flux_linkage_through_Wb(solution: FemSolution3D, coil: Coil) -> float:
    """The iron's part of the flux linking ``coil`` (Wb): Σ N ∮ a·dl over its filaments.

    ``coil`` need not be one of the problem's sources (it is then only a path, e.g. for
    a mutual inductance with iron); its turns are its filaments' ampere-turns / current_A.

    Raises
    ------
    DesignError
        If the coil's current_A is zero (its turns are then unknown), or a polyline of it
        is open (the line integral of a then depends on a's gauge).
    """
    if isinstance(coil, FilamentCoil) and not all(c for _, _, c in coil.local_polylines()):
        raise DesignError(
            f"coil {coil.id!r}: an open path links no definite flux with iron (the line "
            "integral of the vector potential depends on its gauge); close it (field "
            "'closed') or return the current along another path of the same coil"
        )
    if coil.current_A == 0:
        raise DesignError(
            f"coil {coil.id!r}: field 'current_A' is zero; flux linkage uses the turn "
            "weights I·N / I"
        )
    pts, dl = filament_quadrature(coil)
    return float(np.sum(dl * solution.reduced_potential(pts)))


def stored_energy_3d_J(
    solution: FemSolution3D, air_inductance_H: np.ndarray, iron_linkage_Wb: np.ndarray
) -> float:
    """Stored magnetic energy W = ∫ ∫₀^B H·dB' dV of the whole device (J), linear or not.

    With B = B_s + curl a, the energy of all space splits into the coils' energy in air
    ½ IᵀM_air I, the cross term ∫ ν0 B_s·curl a = ∫ J·a = Σ I_k ∮_k a·dl (integration by
    parts; ``iron_linkage_Wb`` are the ∮ a·dl of the coils) and the integrals over the mesh
    of :meth:`FemSolution3D.volume_energy_J` (iron: w(B) in place of the air's ½ν0|B|²),
    times 2 per mirror plane (each integrand has the mirror symmetry).

    Parameters
    ----------
    air_inductance_H : ndarray, shape (n, n)
        Inductances of the coils in air (H).
    iron_linkage_Wb : ndarray, shape (n,)
        The iron's flux linkage of each coil (Wb), :func:`flux_linkage_through_Wb`.
    """
    currents = np.array([c.current_A for c in solution.problem.coils])
    mirrored = 2.0 ** len(solution.problem.mirror_planes)
    return float(
        0.5 * currents @ air_inductance_H @ currents
        + currents @ iron_linkage_Wb
        + mirrored * solution.volume_energy_J()
    )


def inductance_3d(solution: FemSolution3D, wire_radius_m: float | None = None) -> xr.Dataset:
    """Flux linkage of each coil with iron and the inductances of the whole device.

    Parameters
    ----------
    solution : FemSolution3D
    wire_radius_m : float, optional
        Strand radius (m), needed for the self inductance in air of loops and filament
        coils (:func:`solver.magnet.inductance.self_inductance`).

    Returns
    -------
    xarray.Dataset
        On dim ``coil``: ``flux_linkage_Wb`` Ψ_k = Σ_j M_air,kj I_j + Σ N ∮ a·dl,
        ``flux_linkage_from_iron_Wb`` (the second term), ``current_A`` and
        ``apparent_inductance_H`` = Ψ_k / I_k (NaN for a coil without current);
        ``air_inductance_H`` on (coil, coil_b); ``energy_J`` (:func:`stored_energy_3d_J`;
        ½ Σ Ψ_k I_k for linear iron, not for saturating iron). When all |I_k| are equal
        (coils in series) ``series_apparent_inductance_H`` = Σ Ψ_k I_k / I² (the secant
        Ψ/I) and ``energy_inductance_H`` = 2W/I².

    Raises
    ------
    DesignError
        A loop or filament coil without ``wire_radius_m``; a coil without current.
    """
    coils = solution.problem.coils
    currents = np.array([c.current_A for c in coils])
    m_air = coil_inductance_matrix_H(coils, wire_radius_m)
    iron = np.array([flux_linkage_through_Wb(solution, c) for c in coils])
    linkage = m_air @ currents + iron
    ids = [c.id for c in coils]
    with np.errstate(divide="ignore", invalid="ignore"):
        apparent = np.where(currents != 0, linkage / currents, np.nan)
    ds = xr.Dataset(
        {
            "flux_linkage_Wb": ("coil", linkage, {"units": "Wb"}),
            "flux_linkage_from_iron_Wb": ("coil", iron, {"units": "Wb"}),
            "current_A": ("coil", currents, {"units": "A"}),
            "apparent_inductance_H": ("coil", apparent, {"units": "H"}),
            "air_inductance_H": (("coil", "coil_b"), m_air, {"units": "H"}),
        },
        coords={"coil": ids, "coil_b": ids},
    )
    series = currents[0] != 0 and np.allclose(np.abs(currents), abs(currents[0]))
    if series:
        ds["series_apparent_inductance_H"] = (
            (),
            float(linkage @ currents) / currents[0] ** 2,
            {"units": "H"},
        )
    energy = stored_energy_3d_J(solution, m_air, iron)
    ds["energy_J"] = ((), energy, {"units": "J", "long_name": "stored magnetic energy"})
    if series:
        ds["energy_inductance_H"] = ((), 2 * energy / currents[0] ** 2, {"units": "H"})
    return ds
