"""He-3 circulation of a dilution refrigerator: mixing-chamber cooling, still, return-line loads.

The model (every step a closed form, so the answer functions invert it exactly):

- **Mixing chamber** (Pobell, *Matter and Methods at Low Temperatures*, 3rd ed.,
  eq. 7.30): Q̇_mc = ṅ (95 T_mc² − 11 T_ex²) W, ṅ in mol/s, the coefficients the
  enthalpies of ³He in the dilute and concentrated phases in J mol⁻¹ K⁻²; an ideal
  exchanger (T_ex = T_mc) gives 84 ṅ T_mc².
- **Heat exchanger exit** T_ex: given directly, or from an enthalpy effectiveness ε
  of the counterflow exchangers between the cold plate (their warm end, T_w) and
  the mixing chamber: the concentrated ³He (enthalpy ∝ T²) gives up the fraction ε
  of what it could, T_ex² = T_mc² + (1 − ε)(T_w² − T_mc²). ε is the designer's
  statement of the exchanger quality (no published correlation is in the
  reference pack); ε = 1 is the ideal exchanger.
  Or a continuous counterflow exchanger limited by the Kapitza resistance of its
  wall, of conductance coefficient κ (W/K⁴), solved in closed form
  (:mod:`solver.thermal.continuous_exchanger`): T_ex then follows from ṅ, T_mc and T_w.
- **Still**: evaporation cooling ṅ L₃(T_still) with L₃ from the T62 vapour
  pressure (:mod:`solver.thermal.helium`); the circulation set by the still heater
  is ṅ = (P_heater + P_still,parasitic) / L₃(T_still).
- **Returning ³He** (from the room-temperature gas handling) as an ideal monatomic
  gas, c_p = 5R/2, cooled on the 50 K plate (T_room → T_50) and on the 4 K plate
  (T_50 → T_4), then condensed at the condensing stage (the 4 K plate through the
  Joule–Thomson impedance of a dry fridge, or a 1 K pot) with its latent heat,
  ṅ L₃(T_c); between 1 K and the critical point the measured maximum of L₃ bounds
  it from above (flagged). A condensing stage above the ³He critical point
  (3.324 K) cannot condense: refused. The liquid's further cooling from T_c to the
  still is not modelled (no sourced liquid ³He enthalpy in the pack).
- **1 K pot**: ṅ₄ L₄(T_pot), He-4 latent heat from Donnelly & Barenghi (1998).

Validity: circulation rates 10 µmol/s to 10 mmol/s (small inserts to the largest
machines, Heidelberg KIP cryotools wiki via helium3_dilution.json item
dr_circulation_rates_typical); outside that a DesignError names ``flow_mol_s``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from solver.errors import DesignError
from solver.thermal import continuous_exchanger, helium

if TYPE_CHECKING:
    import xarray as xr

DILUTE_COEFF = 95.0  # J/(mol K²), enthalpy coefficient of ³He in the dilute phase (Pobell eq. 7.30)
CONCENTRATED_COEFF = 11.0  # J/(mol K²), concentrated phase (Pobell eq. 7.30)
FLOW_RANGE_MOL_S = (1e-5, 1e-2)  # 10 µmol/s (small inserts) to 10 mmol/s (largest machines)
ROOM_K = 300.0  # K, temperature of the ³He returning from the gas-handling system


def check_flow(flow_mol_s, what: str = "flow_mol_s") -> np.ndarray:
    """Refuse circulation rates outside 10 µmol/s - 10 mmol/s (mol/s) with a DesignError naming ``what``."""
    flow = np.asarray(flow_mol_s, dtype=float)
    lo, hi = FLOW_RANGE_MOL_S
    if np.any(~((flow >= lo) & (flow <= hi))):
        raise DesignError(
            f"{what}: {np.ravel(flow)[0]:g} mol/s is outside {lo:g}-{hi:g} mol/s, the circulation "
            "rates of built dilution refrigerators (10 umol/s small inserts to 10 mmol/s)"
        )
    return flow


def check_effectiveness(effectiveness: float, what: str = "exchanger_effectiveness") -> float:
    """Refuse an exchanger effectiveness outside (0, 1]."""
    if not 0.0 < effectiveness <= 1.0:
        raise DesignError(f"{what}: {effectiveness:g} must be in (0, 1] (1 = ideal exchanger)")
    return float(effectiveness)


@dataclass(frozen=True)
class Exchanger:
    """How the concentrated ³He reaches the mixing chamber.

    Give ``exit_K`` (T_ex, K), or ``effectiveness`` ε in (0, 1] with ``warm_K`` (the
    cold-plate temperature at the exchangers' warm end, K), or ``kapitza_W_K4`` κ > 0 (a
    continuous Kapitza-limited exchanger, W/K⁴) with ``warm_K``; none means ideal.
    """

    exit_K: float | None = None
    effectiveness: float | None = None
    warm_K: float | None = None
    kapitza_W_K4: float | None = None

    def __post_init__(self) -> None:
        given = [self.exit_K, self.effectiveness, self.kapitza_W_K4]
        if sum(x is not None for x in given) > 1:
            raise DesignError("give one of exit_K, effectiveness or kapitza_W_K4 (with warm_K)")
        if self.effectiveness is not None:
            check_effectiveness(self.effectiveness)
        if self.kapitza_W_K4 is not None:
            continuous_exchanger.check_kapitza(self.kapitza_W_K4)
        needs_warm = self.effectiveness is not None or self.kapitza_W_K4 is not None
        if needs_warm and (self.warm_K is None or self.warm_K <= 0):
            raise DesignError("exchanger_warm_K: give the cold-plate temperature (K) > 0")
        if self.exit_K is not None and self.exit_K <= 0:
            raise DesignError(f"exchanger_exit_K: {self.exit_K:g} K must be > 0")

    @property
    def continuous(self) -> bool:
        """Whether this is the Kapitza-limited continuous exchanger (T_ex depends on ṅ and load)."""
        return self.kapitza_W_K4 is not None

    def exit_temperature(self, T_mc, flow_mol_s: float | None = None):
        """T_ex (K) for mixing-chamber temperatures ``T_mc`` (K); the continuous exchanger
        needs the circulation ``flow_mol_s`` (mol/s)."""
        T_mc = np.asarray(T_mc, dtype=float)
        if self.continuous:
            if flow_mol_s is None:
                raise DesignError("flow_mol_s: the continuous exchanger's exit depends on it")
            warm, kappa = float(self.warm_K or 0.0), float(self.kapitza_W_K4 or 0.0)
            a = [
                continuous_exchanger.exit_squared(t, warm, flow_mol_s, kappa)[0] for t in T_mc.flat
            ]
            return np.sqrt(np.reshape(a, T_mc.shape))
        if self.exit_K is not None:
            return np.broadcast_to(self.exit_K, T_mc.shape).astype(float)
        if self.effectiveness is None:
            return T_mc
        eps, warm_end = self.effectiveness, float(self.warm_K or 0.0)
        return np.sqrt(T_mc**2 + (1.0 - eps) * (warm_end**2 - T_mc**2))

    def per_mol(self, T_mc, flow_mol_s: float):
        """Mixing-chamber cooling per mole circulated, 95 T_mc² − 11 T_ex² (J/mol)."""
        T_mc = np.asarray(T_mc, dtype=float)
        if self.continuous:
            T_ex = self.exit_temperature(T_mc, flow_mol_s)
            return DILUTE_COEFF * T_mc**2 - CONCENTRATED_COEFF * T_ex**2
        a, b = self._quadratic()
        return a * T_mc**2 - b

    def temperature_at(self, per_mol_J, flow_mol_s: float):
        """Mixing-chamber temperature (K) at which the cooling per mole is ``per_mol_J`` (J/mol ≥ 0)."""
        q = np.asarray(per_mol_J, dtype=float)
        if self.continuous:
            warm, kappa = float(self.warm_K or 0.0), float(self.kapitza_W_K4 or 0.0)
            a = continuous_exchanger.exit_squared_at_load(q, warm, flow_mol_s, kappa)
            return np.sqrt((q + CONCENTRATED_COEFF * a) / DILUTE_COEFF)
        a, b = self._quadratic()
        return np.sqrt((q + b) / a)

    def _quadratic(self) -> tuple[float, float]:
        """(a, b) with 95 T² − 11 T_ex² = a T² − b for this exchanger (K⁻² units folded in);
        not for the continuous exchanger, whose T_ex depends on the circulation."""
        if self.exit_K is not None:
            return DILUTE_COEFF, CONCENTRATED_COEFF * self.exit_K**2
        if self.effectiveness is None:
            return DILUTE_COEFF - CONCENTRATED_COEFF, 0.0
        eps, warm = self.effectiveness, float(self.warm_K or 0.0)
        return DILUTE_COEFF - CONCENTRATED_COEFF * eps, CONCENTRATED_COEFF * (1 - eps) * warm**2


IDEAL = Exchanger()


def mixing_chamber_cooling(flow_mol_s, T_mc, exchanger: Exchanger = IDEAL):
    """Cooling power of the mixing chamber, W: ṅ(95 T_mc² − 11 T_ex²) (Pobell eq. 7.30).

    Parameters
    ----------
    flow_mol_s : float or ndarray
        ³He circulation rate ṅ, mol/s (10 µmol/s - 10 mmol/s).
    T_mc : float or ndarray
        Mixing-chamber temperature, K (below the 0.867 K tricritical point).
    exchanger : Exchanger
        Exit temperature of the concentrated ³He; ideal by default.
    """
    flow = check_flow(flow_mol_s)
    T_mc = np.asarray(T_mc, dtype=float)
    if np.any(T_mc > helium.TRICRITICAL_K) or np.any(T_mc <= 0):
        raise DesignError(
            f"mixing-chamber temperature must be in (0, {helium.TRICRITICAL_K}] K: the mixture "
            "only separates into the two phases below the tricritical point"
        )
    if exchanger.continuous:
        return np.vectorize(lambda f, t: f * exchanger.per_mol(t, f))(flow, T_mc)
    return flow * exchanger.per_mol(T_mc, 0.0)


def mixing_chamber_temperature(load_W, flow_mol_s, exchanger: Exchanger = IDEAL):
    """Mixing-chamber temperature (K) that balances a heat load ``load_W`` (W ≥ 0): the load curve.

    Inverts :func:`mixing_chamber_cooling` exactly: T = √((P/ṅ + b)/a).
    """
    flow = check_flow(flow_mol_s)
    load = np.asarray(load_W, dtype=float)
    if np.any(load < 0):
        raise DesignError("load_W: mixing-chamber heat loads must be >= 0 W")
    T = exchanger.temperature_at(load / flow, float(flow))
    if np.any(T > helium.TRICRITICAL_K):
        raise DesignError(
            f"load_W: a load of {float(np.max(load)):g} W puts the mixing chamber above the "
            f"{helium.TRICRITICAL_K} K tricritical point; raise flow_mol_s or lower the load"
        )
    return T


def flow_for(T_mc: float, load_W: float, exchanger: Exchanger = IDEAL) -> float:
    """Circulation rate (mol/s) that holds the mixing chamber at ``T_mc`` (K) under ``load_W`` (W).

    With the continuous exchanger (whose exit warms as ṅ grows) the smallest rate in
    10 µmol/s - 10 mmol/s that does it.
    """
    if exchanger.continuous:
        return _flow_for_continuous(T_mc, load_W, exchanger)
    a, b = exchanger._quadratic()
    per_mol = a * T_mc**2 - b
    if per_mol <= 0:
        raise DesignError(
            f"T_mc: {T_mc:g} K is below what this heat exchanger allows (exit "
            f"{float(exchanger.exit_temperature(T_mc)):g} K); improve the exchanger "
            "(effectiveness or exit_K) or aim for a warmer mixing chamber"
        )
    flow = load_W / per_mol
    check_flow(flow, f"circulation needed for {load_W:g} W at {T_mc:g} K")
    return float(flow)


def _flow_for_continuous(T_mc: float, load_W: float, exchanger: Exchanger) -> float:
    from scipy.optimize import brentq  # only here: a design with a fridge validates without scipy

    def surplus(flow: float) -> float:
        return float(flow * exchanger.per_mol(T_mc, flow)) - load_W

    flows = np.geomspace(*FLOW_RANGE_MOL_S, 61)
    values = np.array([surplus(f) for f in flows])
    above = np.flatnonzero(values >= 0)
    if above.size == 0:
        raise DesignError(
            f"load_W: {load_W:g} W at T_mc = {T_mc:g} K is more than this exchanger gives at any "
            f"circulation in {FLOW_RANGE_MOL_S[0]:g}-{FLOW_RANGE_MOL_S[1]:g} mol/s (at most "
            f"{values.max() + load_W:g} W); enlarge the exchanger (exchanger_kapitza_W_K4) or "
            "aim for a warmer mixing chamber"
        )
    k = int(above[0])
    if k == 0:
        raise DesignError(
            f"circulation needed for {load_W:g} W at {T_mc:g} K: less than {flows[0]:g} mol/s, "
            "below the circulation rates of built dilution refrigerators"
        )
    return float(brentq(surplus, flows[k - 1], flows[k], rtol=1e-12))


def load_curve(flow_mol_s: float, loads_W, exchanger: Exchanger = IDEAL) -> xr.Dataset:
    """Mixing-chamber temperature against heat load, as a Dataset on ``load_W``."""
    import xarray as xr  # only here: a design with a fridge validates without xarray

    loads = np.asarray(loads_W, dtype=float)
    T = mixing_chamber_temperature(loads, flow_mol_s, exchanger)
    return xr.Dataset(
        {"T_mc_K": ("load_W", T, {"units": "K", "long_name": "mixing-chamber temperature"})},
        coords={"load_W": ("load_W", loads, {"units": "W"})},
        attrs={
            "flow_mol_s": float(flow_mol_s),
            "model": "Pobell eq. 7.30, Q = n(95 T_mc^2 - 11 T_ex^2)",
        },
    )


def still_cooling(flow_mol_s, still_K):
    """Evaporation cooling of the still, W: ṅ L₃(T_still)."""
    flow = check_flow(flow_mol_s)
    return flow * helium.he3_latent_heat(still_K, "still_K")


def flow_from_still_heater(heater_W: float, still_parasitic_W: float, still_K: float) -> float:
    """Circulation rate (mol/s) a still heater sets: ṅ = (P_heater + P_parasitic) / L₃(T_still)."""
    if heater_W < 0 or still_parasitic_W < 0:
        raise DesignError("still heater and parasitic powers must be >= 0 W")
    flow = (heater_W + still_parasitic_W) / float(helium.he3_latent_heat(still_K, "still_K"))
    return float(check_flow(flow, "circulation set by the still heater (flow_mol_s)"))


def return_line_loads(
    flow_mol_s: float,
    plate50_K: float,
    plate4_K: float,
    condensing_K: float,
    *,
    condensing_on_4K: bool = True,
    room_K: float = ROOM_K,
) -> tuple[dict[str, float], list[str]]:
    """Heat the returning ³He puts on each stage, W, and flags.

    Returns ``({"plate50": W, "plate4": W, "condenser": W}, flags)``: the ideal-gas
    precool ṅ(5/2)R ΔT on the 50 K and 4 K plates and the condensing load ṅ L₃(T_c)
    at the condenser (with ``condensing_on_4K`` the 4 K plate itself, T_c = T_4, and
    ``condenser`` is 0 with its load added to ``plate4``; otherwise a 1 K pot at
    ``condensing_K``, which also takes the gas precool from T_4 to T_c).
    """
    flow = float(check_flow(flow_mol_s))
    cp = helium.IDEAL_MONATOMIC_CP
    T_c = plate4_K if condensing_on_4K else condensing_K
    if T_c >= helium.HE3_CRITICAL_K:
        where = "the 4 K plate" if condensing_on_4K else "the condensing stage"
        raise DesignError(
            f"{where} at {T_c:g} K is above the He-3 critical point "
            f"{helium.HE3_CRITICAL_K} K: the returning He-3 cannot condense"
        )
    latent, bounded = helium.he3_latent_heat_bound(T_c, "condensing temperature")
    flags = []
    if bounded:
        flags.append(
            f"He-3 condensing at {T_c:g} K: latent heat taken as the measured maximum "
            f"{helium.HE3_LATENT_MAX_J_MOL:.1f} J/mol (upper bound; T62 form used only to 1 K)"
        )
    loads = {
        "plate50": flow * cp * max(room_K - plate50_K, 0.0),
        "plate4": flow * cp * max(plate50_K - plate4_K, 0.0),
        "condenser": 0.0,
    }
    if condensing_on_4K:
        loads["plate4"] += flow * latent
    else:
        loads["condenser"] = flow * (cp * max(plate4_K - T_c, 0.0) + latent)
    return loads, flags


def pot_cooling(pot_flow_mol_s, pot_K):
    """Cooling of a 1 K pot pumping He-4 at ``pot_flow_mol_s`` (mol/s), W: ṅ₄ L₄(T_pot)."""
    return np.asarray(pot_flow_mol_s, float) * helium.he4_latent_heat(pot_K, "pot_K")
