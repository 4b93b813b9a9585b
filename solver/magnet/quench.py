"""Quench: copper ρ(T, B, RRR), superconductor heat capacity, MIITs and adiabatic
hot spot, dump-resistor discharge, adiabatic normal-zone propagation velocity.

Sources (numbers copied from /work/shared/reference/extra/cu_resistivity_and_sc_heat_capacity.json):

* Copper resistivity: NIST Monograph 177 (Simon, Drexler, Reed 1992) eq. 8-1, with
  exp(−(P5/T)^P6) *inside* the denominator (a circulating copy puts it outside and is
  ≈50 % low at 50 K); magnetoresistance eq. 8-7 (Kohler form) for B > 0.01 T.
* NbTi volumetric heat capacity: CUDI (CERN) piecewise polynomial with the 64·B·T
  vortex term (not the 64·T of a STEAM-SDK copy); density 6000 kg/m³.
* Nb3Sn: EFDA / ITER compilation (Bauer, Rajainmaki, Salpietro 2007)
  cp = 1/(1/cp300 + 1/(βT³ + γT)), density 8040 kg/m³.
* Copper cp and density: ``solver.materials.get("OFHC-Cu-RRR100")`` (NIST fit).
* MIITs / hot spot: adiabatic heat balance of the conductor with current in the copper,
  ∫ I² dt = A_cu ∫ (A_cu·d_cu·cp_cu + A_sc·C_sc) / ρ_cu dT (M. N. Wilson,
  *Superconducting Magnets*, Oxford 1983, §9.1).
* Normal-zone propagation: Wilson eq. 9.8 with Wiedemann–Franz, v = (J/γC)·√(L0 θs/(θs − θ0)).
"""

from __future__ import annotations

import itertools

import numpy as np
import xarray as xr
from scipy import integrate, optimize

from solver.errors import DesignError
from solver.magnet.superconductors import Conductor
from solver.materials._resistivity import LORENZ_NUMBER, copper_resistivity

# CUDI NbTi volumetric heat capacity pieces above Tc(B): (upper T limit, a0..a4), J/(m³ K)
_NBTI_NORMAL = (
    (28.358, (0.0, 928.0, 0.0, 16.24, 0.0)),
    (50.99, (41383.0, -7846.1, 553.71, 11.9838, -0.2177)),
    (165.8, (-1.53e6, 83022.0, -716.3, 2.976, -0.00482)),
    (496.54, (1.24e6, 13706.0, -51.66, 0.09296, -6.29e-5)),
    (np.inf, (2.45e6, 955.5, -0.257, 0.0, 0.0)),
)
_NBTI_TC0_K, _NBTI_BC20_T = 9.2, 14.5  # CUDI Tc(B) = 9.2 (1 − B/14.5)^0.59
_NB3SN_EFDA = {"gamma": 0.1, "beta": 0.001, "cp300": 210.0, "density": 8040.0}  # J/(kg K^n), kg/m³


def nbti_volumetric_heat_capacity(T_K, B_T=0.0):
    """NbTi volumetric heat capacity in J/(m³ K) (CUDI), superconducting below Tc(B)."""
    T = np.asarray(T_K, dtype=float)
    B = min(abs(float(B_T)), _NBTI_BC20_T)
    tc = _NBTI_TC0_K * (1.0 - B / _NBTI_BC20_T) ** 0.59
    out = np.where(T < tc, 64.0 * B * T + 49.1 * T**3, 0.0)
    lo = tc
    for hi, a in _NBTI_NORMAL:
        poly = a[0] + a[1] * T + a[2] * T**2 + a[3] * T**3 + a[4] * T**4
        out = np.where((T >= lo) & (T < hi), poly, out)
        lo = hi
    return float(out) if out.ndim == 0 else out


def nb3sn_volumetric_heat_capacity(T_K, B_T=0.0):
    """Nb3Sn volumetric heat capacity in J/(m³ K) (EFDA/ITER normal-state form)."""
    c = _NB3SN_EFDA
    T = np.asarray(T_K, dtype=float)
    cp = 1.0 / (1.0 / c["cp300"] + 1.0 / (c["beta"] * T**3 + c["gamma"] * T))
    out = cp * c["density"]
    return float(out) if out.ndim == 0 else out


_SC_HEAT_CAPACITY = {"NbTi": nbti_volumetric_heat_capacity, "Nb3Sn": nb3sn_volumetric_heat_capacity}


def _copper():
    from solver.materials import get

    return get("OFHC-Cu-RRR100")  # cp of copper does not depend on RRR


def conductor_heat_capacity_per_length(conductor: Conductor, T_K, B_T=0.0):
    """Heat capacity per metre of strand, J/(m K): A_cu·d_cu·cp_cu + A_sc·C_sc(T, B)."""
    if conductor.superconductor not in _SC_HEAT_CAPACITY:
        raise DesignError(
            f"no heat capacity data for {conductor.superconductor!r}; quench analysis supports "
            f"{', '.join(_SC_HEAT_CAPACITY)}"
        )
    cu = _copper()
    return conductor.cu_area_m2 * cu.density_kg_m3 * cu.cp(
        T_K
    ) + conductor.sc_area_m2 * _SC_HEAT_CAPACITY[conductor.superconductor](T_K, B_T)


def _rrr(conductor: Conductor) -> float:
    if conductor.rrr is None:
        raise DesignError("quench analysis needs the copper RRR: set conductor field 'rrr'")
    return conductor.rrr


def miits(conductor: Conductor, T_max_K: float, T0_K: float, B_T: float = 0.0) -> float:
    """Adiabatic quench integral ∫ I² dt (A² s) that heats the strand from T0 to T_max.

    ∫ I² dt = A_cu ∫_{T0}^{Tmax} C'(T)/ρ_cu(T, B, RRR) dT, C' = heat capacity per metre.
    Divide by 1e6 for MIITs.
    """
    rrr = _rrr(conductor)
    top = _copper().property_range_K("cp")[1]
    if not T0_K < T_max_K <= top:
        raise DesignError(
            f"MIITs: need T0 < T_max ≤ {top:g} K (copper cp range), got {T0_K:g}, {T_max_K:g}"
        )

    def f(t):
        return conductor_heat_capacity_per_length(conductor, t, B_T) / copper_resistivity(
            t, rrr, B_T
        )

    # the NbTi heat capacity has steps at Tc(B) and at the CUDI piece limits
    breaks = sorted(
        {T0_K, T_max_K, *[b for b in (9.2, 28.358, 50.99, 165.8) if T0_K < b < T_max_K]}
    )
    total = sum(
        integrate.quad(f, a, b, epsrel=1e-10, limit=200)[0] for a, b in itertools.pairwise(breaks)
    )
    return conductor.cu_area_m2 * total


def hot_spot_temperature(
    conductor: Conductor,
    current_A: float,
    tau_s: float,
    detection_s: float,
    T0_K: float,
    B_T: float = 0.0,
) -> float:
    """Adiabatic hot-spot temperature for a detection delay then an exponential dump.

    ∫ I² dt = I0²·(t_detect + τ/2) is set equal to :func:`miits` and solved for T_max.

    Parameters
    ----------
    conductor : Conductor
    current_A : float
        Current at quench start, A.
    tau_s : float
        Discharge time constant L/R, s.
    detection_s : float
        Time at full current before the dump opens (detection + switch), s.
    T0_K : float
        Temperature where the quench starts, K.
    B_T : float
        Field at the hot spot (magnetoresistance), T.

    Returns
    -------
    float
        Hot-spot temperature in kelvin; DesignError if above the copper cp range.
    """
    target = current_A**2 * (detection_s + 0.5 * tau_s)
    top = _copper().property_range_K("cp")[1] - 1e-9
    available = miits(conductor, top, T0_K, B_T)
    if target > available:
        raise DesignError(
            f"hot spot exceeds {top:.0f} K: the quench integral {target / 1e6:.4g} MIITs is above the "
            f"{available / 1e6:.4g} MIITs the strand can absorb; add copper, detect faster or dump harder"
        )
    return float(
        optimize.brentq(
            lambda t: miits(conductor, t, T0_K, B_T) - target, T0_K + 1e-9, top, rtol=1e-12
        )
    )


def dump_discharge(
    inductance_H: float,
    dump_resistance_ohm: float,
    current_A: float,
    coil_resistance_ohm: float = 0.0,
    n_times: int = 201,
) -> xr.Dataset:
    """Exponential discharge of a magnet into a dump resistor.

    I(t) = I0 exp(−t/τ), τ = L/(R_dump + R_coil); peak voltage across the dump I0·R_dump;
    the stored energy ½LI0² splits between dump and coil as R_dump : R_coil.

    Returns
    -------
    xarray.Dataset
        ``current_A`` and ``dump_voltage_V`` on ``time_s`` (0 … 5τ); scalars ``tau_s``,
        ``peak_voltage_V``, ``stored_energy_J``, ``energy_to_dump_J``, ``energy_in_coil_J``.
    """
    for name, v in (("inductance_H", inductance_H), ("dump_resistance_ohm", dump_resistance_ohm)):
        if not v > 0:
            raise DesignError(f"dump discharge: {name} must be positive, got {v!r}")
    if coil_resistance_ohm < 0:
        raise DesignError("dump discharge: coil_resistance_ohm must be ≥ 0")
    r_tot = dump_resistance_ohm + coil_resistance_ohm
    tau = inductance_H / r_tot
    t = np.linspace(0.0, 5 * tau, n_times)
    i = current_A * np.exp(-t / tau)
    energy = 0.5 * inductance_H * current_A**2
    return xr.Dataset(
        {
            "current_A": ("time_s", i, {"units": "A"}),
            "dump_voltage_V": ("time_s", i * dump_resistance_ohm, {"units": "V"}),
            "tau_s": ((), tau, {"units": "s"}),
            "peak_voltage_V": ((), abs(current_A) * dump_resistance_ohm, {"units": "V"}),
            "stored_energy_J": ((), energy, {"units": "J"}),
            "energy_to_dump_J": ((), energy * dump_resistance_ohm / r_tot, {"units": "J"}),
            "energy_in_coil_J": ((), energy * coil_resistance_ohm / r_tot, {"units": "J"}),
        },
        coords={"time_s": ("time_s", t, {"units": "s"})},
    )


def normal_zone_velocity(conductor: Conductor, current_A: float, B_T: float, T0_K: float) -> float:
    """Adiabatic longitudinal normal-zone propagation velocity, m/s (Wilson eq. 9.8).

    v = (J/γC)·√(ρk/(θs − θ0)) with ρk = L0·θs (Wiedemann–Franz, current in the
    copper), J = I/A_strand, θs = (T_cs + T_c(B))/2 and γC the mean volumetric heat
    capacity of the strand between θ0 and θs.
    """
    fit = conductor.fit
    j_fit = current_A / conductor.jc_area_m2
    t_cs = fit.current_sharing_temperature_K(B_T, j_fit, conductor.strain)
    t_c = fit.critical_temperature_K(B_T, conductor.strain)
    theta_s = 0.5 * (t_cs + t_c)
    if not theta_s > T0_K:
        raise DesignError(
            f"normal zone: transition temperature {theta_s:.3g} K is not above T0 = {T0_K:g} K"
        )
    enthalpy = integrate.quad(
        lambda t: conductor_heat_capacity_per_length(conductor, t, B_T), T0_K, theta_s
    )[0]
    gamma_c = enthalpy / (theta_s - T0_K) / conductor.area_m2
    j = current_A / conductor.area_m2
    return float(j / gamma_c * np.sqrt(LORENZ_NUMBER * theta_s / (theta_s - T0_K)))
