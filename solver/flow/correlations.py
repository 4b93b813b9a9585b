"""Pressure-drop and heat-transfer correlations of a pipe segment, from ``fluids`` and ``ht``.

Each function returns its value and the list of validity flags (use outside the
correlation's stated range); the caller attaches the element id.

References
----------
Churchill, Chem. Eng. 84(24), 91 (1977): Darcy friction factor through all regimes.
Colebrook, J. ICE 11, 133 (1939): turbulent Darcy friction factor; 64/Re laminar.
Müller-Steinhagen & Heck, Chem. Eng. Process. 20, 297 (1986): two-phase friction, 0 < x < 1.
Friedel, European Two-Phase Flow Group Meeting, Ispra (1979), paper E2; poor for μl/μg > 1000.
McAdams et al., Trans. ASME 64, 193 (1942): homogeneous two-phase viscosity.
Mandhane, Gregory & Aziz, Int. J. Multiphase Flow 1, 537 (1974): horizontal flow-regime map.
Gnielinski, Int. Chem. Eng. 16, 359 (1976): 2300 ≤ Re ≤ 5e6, 0.5 < Pr ≤ 2000 (ranges as in
Rohsenow et al., Handbook of Heat Transfer, 3rd ed. 1998, quoted by ``ht``).
Dittus & Boelter, Univ. Calif. Publ. Eng. 2, 443 (1930): Re ≥ 1e4, 0.6 ≤ Pr ≤ 160.
Laminar fully developed flow, uniform wall temperature: Nu = 3.66 (Shah & London 1978).
Liu & Winterton, Int. J. Heat Mass Transfer 34, 2759 (1991): saturated flow boiling.
Rennels & Hudson, Pipe Flow (Wiley 2012): bend loss coefficients (``fluids.bend_rounded``).
"""

from __future__ import annotations

import math

import fluids
import ht

from solver.flow.properties import Saturation, State

RE_LAMINAR = 2300.0  # end of laminar pipe flow (conventional)
NU_LAMINAR = 3.66  # laminar fully developed, uniform wall temperature (Shah & London 1978)
GNIELINSKI_RE = (2300.0, 5e6)
GNIELINSKI_PR = (0.5, 2000.0)
DITTUS_BOELTER_RE_MIN = 1e4
DITTUS_BOELTER_PR = (0.6, 160.0)
FRIEDEL_VISCOSITY_RATIO = 1000.0


def friction_factor(Re: float, eD: float, method: str) -> tuple[float, list[str]]:
    """Darcy friction factor at Reynolds number ``Re`` and relative roughness ``eD``."""
    if method == "churchill":
        return fluids.friction.Churchill_1977(Re, eD), []
    if Re < RE_LAMINAR:
        return 64.0 / Re, []
    flags = ["Colebrook in transitional flow (Re < 4000)"] if Re < 4000 else []
    return fluids.friction.Colebrook(Re, eD), flags


def single_phase_dp(
    m: float, s: State, D: float, L: float, roughness: float, method: str
) -> tuple[float, float, list[str]]:
    """Frictional pressure drop (Pa) of single-phase flow ``m`` (kg/s); and the friction factor."""
    area = math.pi * D * D / 4.0
    G = abs(m) / area
    Re = max(G * D / s.mu, 1e-9)
    f, flags = friction_factor(Re, roughness / D, method)
    dp = f * L / D * m * abs(m) / (2.0 * s.rho * area * area)
    return dp, f, flags


def two_phase_dp(
    m: float, x: float, sat: Saturation, D: float, L: float, roughness: float, method: str
) -> tuple[float, str, list[str]]:
    """Frictional two-phase pressure drop (Pa) at quality ``x``; and the flow regime."""
    flags: list[str] = []
    am = abs(m)
    if method == "muller_steinhagen_heck":
        dp = fluids.two_phase.Muller_Steinhagen_Heck(
            am, x, sat.rho_l, sat.rho_v, sat.mu_l, sat.mu_v, D, roughness, L
        )
    elif method == "friedel":
        dp = fluids.two_phase.Friedel(
            am, x, sat.rho_l, sat.rho_v, sat.mu_l, sat.mu_v, sat.sigma, D, roughness, L
        )
        if sat.mu_l / sat.mu_v > FRIEDEL_VISCOSITY_RATIO:
            flags.append("Friedel with liquid/vapour viscosity ratio > 1000")
    else:
        rho = 1.0 / (x / sat.rho_v + (1.0 - x) / sat.rho_l)
        mu = 1.0 / (x / sat.mu_v + (1.0 - x) / sat.mu_l)  # McAdams et al. (1942)
        area = math.pi * D * D / 4.0
        Re = max(am / area * D / mu, 1e-9)
        f = fluids.friction.Churchill_1977(Re, roughness / D)
        dp = f * L / D * am * am / (2.0 * rho * area * area)
    regime = fluids.two_phase.Mandhane_Gregory_Aziz_regime(
        max(am, 1e-30), x, sat.rho_l, sat.rho_v, sat.mu_l, sat.mu_v, sat.sigma, D
    )[0]
    return math.copysign(dp, m), regime, flags


def bend_K(D: float, Re: float, f: float, bend_radius: float | None) -> float:
    """Loss coefficient of one 90° bend (Rennels), radius ``bend_radius`` (default 5 D).

    ``f`` is the pipe's Darcy friction factor at ``Re`` (the bend's friction term)."""
    return fluids.fittings.bend_rounded(D, 90.0, fd=f, rc=bend_radius, Re=Re)


def heat_transfer_coefficient(
    m: float,
    s: State,
    D: float,
    f: float,
    method: str,
    heating: bool,
    sat: Saturation | None,
    T_wall: float,
    molar_mass: float,
    p_crit: float,
) -> tuple[float, list[str]]:
    """Wall-to-fluid heat transfer coefficient (W/(m² K)) of a pipe segment."""
    flags: list[str] = []
    if sat is not None and 0.0 < s.x < 1.0:
        superheat = T_wall - sat.T
        if superheat <= 0.0:
            flags.append(
                "two-phase flow with the wall below saturation (no boiling correlation; liquid-only Gnielinski)"
            )
            return _single_phase_h(
                m, sat.mu_l, sat.k_l, sat.cp_l, D, f, "gnielinski", heating, flags
            ), flags
        flags.append(
            "Liu-Winterton flow boiling outside its database (fitted to water, refrigerants and "
            "organic fluids; no cryogens): treat the wall temperature as an estimate"
        )
        h = ht.boiling_flow.Liu_Winterton(
            abs(m),
            s.x,
            D,
            sat.rho_l,
            sat.rho_v,
            sat.mu_l,
            sat.k_l,
            sat.cp_l,
            molar_mass * 1000.0,
            s.p,
            p_crit,
            superheat,
        )
        return h, flags
    return _single_phase_h(m, s.mu, s.k, s.cp, D, f, method, heating, flags), flags


def _single_phase_h(m, mu, k, cp, D, f, method, heating, flags) -> float:
    area = math.pi * D * D / 4.0
    Re = max(abs(m) / area * D / mu, 1e-9)
    Pr = cp * mu / k
    if method == "dittus_boelter":
        if Re < DITTUS_BOELTER_RE_MIN or not DITTUS_BOELTER_PR[0] <= Pr <= DITTUS_BOELTER_PR[1]:
            flags.append(
                f"Dittus-Boelter outside Re >= 1e4, 0.6 <= Pr <= 160 (Re {Re:.3g}, Pr {Pr:.3g})"
            )
        Nu = max(NU_LAMINAR, ht.conv_internal.turbulent_Dittus_Boelter(Re, Pr, heating=heating))
    else:
        turbulent = ht.conv_internal.turbulent_Gnielinski(Re, Pr, f)
        Nu = max(NU_LAMINAR, turbulent)
        if turbulent > NU_LAMINAR and not (
            GNIELINSKI_RE[0] <= Re <= GNIELINSKI_RE[1] and GNIELINSKI_PR[0] < Pr <= GNIELINSKI_PR[1]
        ):
            flags.append(
                f"Gnielinski outside 2300 <= Re <= 5e6, 0.5 < Pr <= 2000 (Re {Re:.3g}, Pr {Pr:.3g})"
            )
    return Nu * k / D


def counterflow_effectiveness(NTU: float, Cr: float) -> float:
    """ε of a counterflow exchanger (``ht.effectiveness_from_NTU``)."""
    return ht.effectiveness_from_NTU(NTU, Cr, subtype="counterflow")
