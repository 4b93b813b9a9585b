"""Range-checked fluid states from CoolProp in pressure-enthalpy form.

CoolProp (Bell et al., Ind. Eng. Chem. Res. 53, 2498 (2014)) evaluates the
reference equations of state: helium-4 Ortiz-Vega et al. (2013), nitrogen Span
et al. (2000), parahydrogen-normal hydrogen Leachman et al. (2009), neon Katti
et al. (1986). CoolProp's helium stops at the lambda point, 2.1768 K, and
returns values below it silently (DESIGN.md); every state here is checked
against the equation's own limits and refused outside them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from solver._coolprop import CP
from solver.errors import DesignError, UnknownNameError

_ALIASES = {
    "helium": "Helium",
    "he": "Helium",
    "he4": "Helium",
    "helium-4": "Helium",
    "nitrogen": "Nitrogen",
    "n2": "Nitrogen",
    "hydrogen": "Hydrogen",
    "h2": "Hydrogen",
    "neon": "Neon",
    "ne": "Neon",
}
FLUIDS = ("Helium", "Nitrogen", "Hydrogen", "Neon")


CACHE_SIZE = 200_000  # states remembered per fluid (about 40 MB)
NEWTON_STEPS = 8  # (ρ, T) Newton steps from a nearby state before falling back to the flash


@lru_cache(maxsize=1)
def _single_phase_x() -> dict[int, float]:
    """Quality given outside the dome, below p_crit, by CoolProp phase index."""
    return {CP.iphase_liquid: -1.0, CP.iphase_gas: 2.0}


class OutOfRange(DesignError):
    """A state outside the equation of state's range (the message names it)."""


@dataclass(frozen=True)
class State:
    """One fluid state (SI). ``x`` is the vapour quality inside the two-phase dome, −1 for
    a subcooled liquid, 2 for a superheated vapour, NaN above the critical pressure."""

    p: float
    h: float
    T: float
    rho: float
    mu: float
    k: float
    cp: float
    x: float
    s: float  # specific entropy, J/(kg K) (CoolProp's reference)


@dataclass(frozen=True)
class Saturation:
    """Saturated liquid (l) and vapour (v) at one pressure, and the surface tension."""

    T: float
    h_l: float
    h_v: float
    rho_l: float
    rho_v: float
    mu_l: float
    mu_v: float
    k_l: float
    cp_l: float
    sigma: float


def canonical_name(name: str) -> str:
    """CoolProp's name of a fluid given by name or alias (He, N2, H2, Ne)."""
    try:
        return _ALIASES[name.strip().lower()]
    except KeyError:
        raise UnknownNameError("fluid", name, FLUIDS) from None


class Fluid:
    """One pure fluid; states by (p, h) or (p, T), each range-checked."""

    def __init__(self, name: str):
        self.name = canonical_name(name)
        self._cache: dict[tuple[float, float], State] = {}
        self._guess: dict[str, tuple[float, float]] = {}  # last (ρ, T) at each place
        self._fast = CP.AbstractState("HEOS", self.name)
        self._as = CP.AbstractState("HEOS", self.name)
        self._sat = CP.AbstractState("HEOS", self.name)
        self.T_min = self._as.Tmin()  # K, the equation's lower limit (helium: lambda point)
        self.T_max = self._as.Tmax()
        self.p_max = self._as.pmax()
        self.p_crit = self._as.p_critical()
        self.molar_mass = self._as.molar_mass()  # kg/mol
        self.T_crit = self._as.T_critical()
        self.rho_crit = self._as.rhomass_critical()
        self.p_min = CP.PropsSI("P", "T", self.T_min, "Q", 0, self.name)  # Pa, triple/lambda

    def _check(self, p: float, T: float, where: str) -> None:
        if not (self.T_min <= T <= self.T_max and 0 < p <= self.p_max):
            raise OutOfRange(
                f"{where}: {self.name} at {p:.6g} Pa, {T:.6g} K is outside the equation of state's "
                f"range {self.T_min:g}-{self.T_max:g} K, up to {self.p_max:g} Pa"
                + (" (CoolProp has no He II below the lambda point)" if T < self.T_min else "")
            )

    def state_ph(self, p: float, h: float, where: str = "state") -> State:
        """State at pressure ``p`` (Pa) and specific enthalpy ``h`` (J/kg).

        States are remembered by their exact (p, h): a finite-difference Jacobian
        perturbs a few unknowns at a time, so most states repeat.
        """
        key = (p, h)
        state = self._cache.get(key)
        if state is None:
            guess = self._guess.get(where)
            state = (guess and self._from_guess(p, h, *guess)) or self._flash(p, h, where)
            if len(self._cache) > CACHE_SIZE:
                self._cache.clear()
                self._guess.clear()
            self._cache[key] = state
            if not 0.0 < state.x < 1.0:
                self._guess[where] = (state.rho, state.T)
        return state

    def _from_guess(self, p: float, h: float, rho: float, T: float) -> State | None:
        """Single-phase state at (p, h) by Newton in (ρ, T) from a nearby state, or None.

        The equation of state is explicit in (ρ, T) (about 10 µs an evaluation against
        ~0.3 ms for CoolProp's (h, p) flash), and a (ρ, T) state that CoolProp places
        outside the dome is the stable one, so a converged result is the flash's answer.
        None when it does not converge in a few steps or lands in the dome.
        """
        a = self._fast
        for _ in range(NEWTON_STEPS):
            try:
                a.update(CP.DmassT_INPUTS, rho, T)
            except ValueError:
                return None
            phase = a.phase()
            if phase == CP.iphase_twophase:
                return None
            dp, dh = a.p() - p, a.hmass() - h
            if abs(dp) <= 1e-13 * p and abs(dh) <= 1e-13 * (abs(h) + a.cpmass() * T):
                if not (self.T_min <= T <= self.T_max):
                    return None  # let the flash raise with its message
                x = _single_phase_x().get(phase, math.nan)
                return State(
                    p, h, T, rho, a.viscosity(), a.conductivity(), a.cpmass(), x, a.smass()
                )
            p_r = a.first_partial_deriv(CP.iP, CP.iDmass, CP.iT)
            p_T = a.first_partial_deriv(CP.iP, CP.iT, CP.iDmass)
            h_r = a.first_partial_deriv(CP.iHmass, CP.iDmass, CP.iT)
            h_T = a.first_partial_deriv(CP.iHmass, CP.iT, CP.iDmass)
            det = p_r * h_T - p_T * h_r
            if det == 0.0 or not math.isfinite(det):
                return None
            d_rho = (dp * h_T - p_T * dh) / det
            d_T = (p_r * dh - h_r * dp) / det
            if abs(d_rho) > 0.2 * rho or abs(d_T) > 0.2 * T:
                return None  # too far from the guess: the flash is safer
            rho, T = rho - d_rho, T - d_T
        return None

    def _flash(self, p: float, h: float, where: str) -> State:
        if not (math.isfinite(p) and math.isfinite(h) and p > 0):
            raise OutOfRange(f"{where}: no state at p = {p!r} Pa, h = {h!r} J/kg")
        a = self._as
        try:
            a.update(CP.HmassP_INPUTS, h, p)
        except ValueError as exc:
            raise OutOfRange(
                f"{where}: {self.name} has no state at {p:.6g} Pa, h = {h:.6g} J/kg"
            ) from exc
        T = a.T()
        self._check(p, T, where)
        phase = a.phase()
        if phase == CP.iphase_twophase and 0.0 < a.Q() < 1.0:
            # two-phase: transport properties are those of each phase (Saturation)
            return State(p, h, T, a.rhomass(), math.nan, math.nan, math.nan, a.Q(), a.smass())
        if phase == CP.iphase_twophase:  # on the saturation line (a separator's vapour draw):
            phase = CP.iphase_gas if a.Q() >= 1.0 else CP.iphase_liquid  # that phase's branch
        x = _single_phase_x().get(phase, math.nan)
        # CoolProp's (h, p) flash leaves T off by ~1e-9 relative; one Newton step on h(p, T)
        # on the same branch brings it to round-off, below the 1e-9 balance tolerance
        a.specify_phase(phase)
        try:
            a.update(CP.PT_INPUTS, p, T)
            T += (h - a.hmass()) / a.cpmass()
            a.update(CP.PT_INPUTS, p, T)
        finally:
            a.unspecify_phase()
        return State(
            p, h, T, a.rhomass(), a.viscosity(), a.conductivity(), a.cpmass(), x, a.smass()
        )

    def h_pT(self, p: float, T: float, where: str = "state") -> float:
        """Specific enthalpy (J/kg) at ``p`` (Pa), ``T`` (K), single phase."""
        self._check(p, T, where)
        self._as.update(CP.PT_INPUTS, p, T)
        return self._as.hmass()

    def h_px(self, p: float, x: float, where: str = "state") -> float:
        """Specific enthalpy (J/kg) of saturated fluid of quality ``x`` at ``p`` (Pa)."""
        s = self.saturation(p, where)
        return s.h_l + x * (s.h_v - s.h_l)

    def cp_cv(self, p: float, h: float) -> float:
        """Ratio of specific heats cp/cv at (p, h), single phase."""
        self._as.update(CP.HmassP_INPUTS, h, p)
        return self._as.cpmass() / self._as.cvmass()

    def saturation(self, p: float, where: str = "saturation") -> Saturation:
        if not (self.p_min <= p < self.p_crit):
            raise OutOfRange(
                f"{where}: {self.name} has no saturation state at {p:.6g} Pa "
                f"(range {self.p_min:.4g}-{self.p_crit:.4g} Pa)"
            )
        return _saturation(self.name, float(p))


@lru_cache(maxsize=4096)
def _saturation(name: str, p: float) -> Saturation:
    a = CP.AbstractState("HEOS", name)
    a.update(CP.PQ_INPUTS, p, 0.0)
    liquid = (a.T(), a.hmass(), a.rhomass(), a.viscosity(), a.conductivity(), a.cpmass())
    sigma = a.surface_tension()
    a.update(CP.PQ_INPUTS, p, 1.0)
    return Saturation(
        T=liquid[0],
        h_l=liquid[1],
        h_v=a.hmass(),
        rho_l=liquid[2],
        rho_v=a.rhomass(),
        mu_l=liquid[3],
        mu_v=a.viscosity(),
        k_l=liquid[4],
        cp_l=liquid[5],
        sigma=sigma,
    )


def saturation_dome(name: str, points: int = 200) -> dict[str, np.ndarray]:
    """The two-phase dome of a fluid, from its triple (or lambda) point to the critical point.

    Returns arrays (SI) ``T``, ``p``, ``h_l``, ``h_v``, ``s_l``, ``s_v`` on ``points``
    saturation temperatures (denser near the critical point), for T–s and p–h diagrams.
    """
    fl = fluid(name)
    a = CP.AbstractState("HEOS", fl.name)
    T_low = fl.T_min
    u = np.linspace(0.0, 1.0, points)
    T = fl.T_crit - (fl.T_crit - T_low) * (1.0 - u) ** 2  # spacing shrinks towards T_crit
    T[-1] = fl.T_crit * (1.0 - 1e-6)  # CoolProp's saturation solver stops just below T_crit
    out = {key: np.empty(points) for key in ("T", "p", "h_l", "h_v", "s_l", "s_v")}
    for k, t in enumerate(T):
        for q, side in ((0.0, "l"), (1.0, "v")):
            a.update(CP.QT_INPUTS, q, t)
            out[f"h_{side}"][k] = a.hmass()
            out[f"s_{side}"][k] = a.smass()
        out["T"][k], out["p"][k] = t, a.p()
    return out


@lru_cache(maxsize=8)
def fluid(name: str) -> Fluid:
    """The :class:`Fluid` of a name or alias (cached)."""
    return Fluid(name)
