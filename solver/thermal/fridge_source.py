"""A dilution refrigerator acting on the network's nodes: circulation cooling and its loads.

The ``dilution_refrigerator`` source names its stages (mixing chamber, optional cold
plate, still, 4 K plate, optional 50 K plate) and its ³He circulation. At node
temperatures T it gives the heat into each of those nodes (W, cooling negative)
from :mod:`solver.thermal.dilution`:

- the returning ³He's precool on the 50 K and 4 K plates and its condensing load at
  the 4 K plate (the Joule–Thomson condenser of a dry fridge; latent heat bounded by
  the measured maximum, flagged);
- the still heater, regulating the still at ``still_K`` (the pumping sets the still's
  temperature; the heater supplies what the still's loads do not, up to ṅ L₃, and can
  only heat: a still whose loads exceed ṅ L₃ warms above ``still_K``), reported as a term;
- evaporation at the still, ṅ L₃(T_still) (L₃ held at its 1 K value above 1 K and its 0.2 K
  value below 0.2 K, flagged);
- dilution at the mixing chamber, ṅ(95 T_mc² − 11 T_ex²), T_ex from the exchanger;
- the exchangers at the cold plate: what the streams' enthalpy balance leaves there,
  ṅ(84 T_cp² − q) with q = 95 T_mc² − 11 T_ex² the mixing chamber's share (the same
  Pobell enthalpies; ṅ·84·(T_cp² − T_mc²) for an ideal exchanger), so the mixing
  chamber and cold plate together absorb ṅ·84·T_cp² whatever the exchanger;
- an optional 1 K pot (``pot``, ``pot_flow_mol_s``, ``pot_K``): it then condenses the
  returning ³He instead of the 4 K plate (precool from T_4 and ṅ L₃(T_pot)) and cools by
  pumping He-4, at most ṅ₄ L₄(T_pot), once the 4 K plate is below the He-4 boiling point;
  its pumping holds it at ``pot_K`` while its load is smaller (a pot whose load exceeds
  ṅ₄ L₄ warms above ``pot_K``);
- an optional conductance ``precool_W_K``: while the circulation is not yet
  condensing, the precool loop (or exchange gas) joining each sub-kelvin stage to the
  4 K plate; once condensed and until the mixture phase-separates, the liquid mixture
  in the exchangers joining the cold plate and mixing chamber to the still.

Order of the cooldown: the circulation condenses only when the 4 K plate is below
the ³He critical point (3.324 K) and, with a mixture charge (``charge_mol``), only once the
cooldown has condensed the whole charge (``condensed``, advanced step by step by
:mod:`solver.thermal.mixture_charge`; a steady state takes it as condensed); the mixing
chamber and cold plate dilute only
below the 0.867 K tricritical point. Both switches are smooth ramps over ``RAMP_K``
so Newton sees a source with a continuous slope (numerical smoothing, not physics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solver.thermal import continuous_exchanger, dilution, helium

RAMP_K = 0.05  # K, width of the on-switches (numerical smoothing of the two thresholds)
REGULATION_BAND_K = 1e-3  # K: the still heater gives its full ṅL₃ 1 mK below still_K
# He-4 normal boiling point, K: the ITS-90 He-4 vapour-pressure equation (2.1768-5.0 K
# coefficients, helium3_dilution.json item he4_vapour_pressure_ITS90_coeffs) gives 4.2221 K
# at 101 325 Pa; a 1 K pot fills with liquid once the 4 K plate is below it
HE4_BOILING_K = 4.2221
_H = 1e-6  # relative step of the central difference for dL3/dT


def _ramp(T: float, threshold: float) -> tuple[float, float]:
    """(f, df/dT): 1 well below ``threshold``, 0 above it, a smoothstep 3x² − 2x³ over RAMP_K
    below it (x = (threshold − T)/RAMP_K), so f and its slope are continuous for Newton."""
    x = (threshold - T) / RAMP_K
    if x <= 0:
        return 0.0, 0.0
    if x >= 1:
        return 1.0, 0.0
    return x * x * (3 - 2 * x), -6 * x * (1 - x) / RAMP_K


def _still_latent(T: float) -> tuple[float, float, bool]:
    """L₃ (J/mol), dL₃/dT and whether it is held at an edge of its range (0.2-1 K) instead."""
    lo_K, top = helium.T62_RANGE_K[0], helium.LATENT_IDEAL_MAX_K
    if not lo_K < T < top:
        return float(helium.he3_latent_heat(min(max(T, lo_K), top))), 0.0, True
    lo, hi = max(T * (1 - _H), lo_K), min(T * (1 + _H), top)
    slope = (helium.he3_latent_heat(hi) - helium.he3_latent_heat(lo)) / (hi - lo)
    return float(helium.he3_latent_heat(T)), float(slope), False


@dataclass
class FridgeOnNetwork:
    """A ``dilution_refrigerator`` acting on ``nodes`` (node ids); the int fields index ``nodes``.

    ``cold_plate`` and ``plate50`` are -1 when the design does not name them. Implements the
    network's source protocol (``heat``, ``guess_K``, ``base_K``; see ``solver.elements``).
    """

    id: str
    nodes: tuple[str, ...]
    mixing_chamber: int
    still: int
    plate4: int
    plate50: int
    cold_plate: int
    flow_mol_s: float
    still_K: float
    exchanger: dilution.Exchanger
    precool_W_K: float
    room_K: float
    pot: int = -1
    pot_flow_mol_s: float = 0.0
    pot_K: float = 1.5
    charge_mol: tuple[float, float] = (0.0, 0.0)  # mixture charge: mol of He-3, mol of He-4
    charge_max_mol_s: float = math.inf  # largest condensing rate the design allows, mol/s
    condensed: float = 1.0  # fraction of the charge condensed; circulation needs all of it
    # one cooldown step's condensing (set by solver.thermal.mixture_charge): heat per mole on
    # each stage, the condenser's hold temperature and its regulation gain and largest heat
    charge_per_mol_J: tuple[tuple[int, str, float], ...] = ()
    charge_hold_K: float = 0.0
    charge_gain_W_K: float = 0.0
    charge_max_W: float = math.inf

    @property
    def condenser(self) -> int:
        """Index of the stage where the helium condenses: the 1 K pot if any, else the 4 K plate."""
        return self.pot if self.pot >= 0 else self.plate4

    def charge_per_mol(self, T: np.ndarray) -> tuple[list[tuple[int, str, float]], list[str]]:
        """Heat (J) each stage takes per mole of the charge condensed at temperatures ``T`` (K).

        The ideal gas (c_p = 5R/2) is precooled from ``room_K`` by each stage on its way (50 K
        plate, 4 K plate, pot) and condenses at :attr:`condenser`, which also takes the latent
        heat, mole-weighted between L₃ (T62, or the AOW maximum above 1 K) and L₄ (Donnelly &
        Barenghi). Returns ``(node, term, J/mol)``, warm to cold (the condenser last), and flags
        for latent heats held or bounded.
        """
        cp, cond, flags = helium.IDEAL_MONATOMIC_CP, self.condenser, []
        path = [k for k in (self.plate50, self.plate4, self.pot) if k >= 0]
        out, warm = [], self.room_K
        for k in path:
            out.append((k, "mixture charge precool", cp * max(warm - T[k], 0.0)))
            warm = T[k]
        Tc = min(max(float(T[cond]), helium.T62_RANGE_K[0]), helium.HE3_CRITICAL_K)
        L3, bounded = helium.he3_latent_heat_bound(Tc)
        L4, held = helium.he4_latent_heat_bound(Tc)
        n3, n4 = self.charge_mol
        latent = (n3 * L3 + n4 * L4) / (n3 + n4)
        out[-1] = (cond, "mixture charge condensing", out[-1][2] + latent)
        if bounded and n3 > 0:
            flags.append(
                f"{self.id}: mixture charge condensing above 1 K, He-3 latent heat taken as the "
                f"measured maximum {L3:.1f} J/mol (upper bound)"
            )
        if held and n4 > 0:
            flags.append(
                f"{self.id}: mixture charge condensing above 3.3067 K, the last row of the He-4 "
                f"latent-heat table: L4 held at {L4:.2f} J/mol"
            )
        return out, flags

    def charge_load(self, T: np.ndarray) -> tuple[float, float]:
        """Heat the condensing charge gives the condenser at ``T`` (W) and its slope (W/K).

        The condenser is held at ``charge_hold_K``: the charge takes the spare cooling,
        G·(T_hold − T) with a gain G large enough to hold it within about a millikelvin,
        saturating smoothly at ``charge_max_W`` (the stated largest condensing rate) as
        Q_max·tanh(G (T_hold − T)/Q_max).
        """
        x = self.charge_hold_K - T[self.condenser]
        G, top = self.charge_gain_W_K, self.charge_max_W
        if G <= 0 or x <= 0:
            return 0.0, 0.0
        if math.isinf(top):
            return G * x, -G
        q = math.tanh(G * x / top)
        return top * q, -G * (1 - q * q)

    def heat(
        self, T: np.ndarray, extend_above_map: bool = False
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Heat into each of ``nodes`` (W), its Jacobian (W/K) and flags at temperatures ``T`` (K)."""
        terms, jac, flags = self.terms(np.asarray(T, dtype=float))
        Q = np.zeros(len(self.nodes))
        for node, _, w in terms:
            Q[node] += w
        J = np.zeros((len(self.nodes), len(self.nodes)))
        for (row, col), v in jac.items():
            J[row, col] += v
        return Q, J, flags

    def guess_K(self) -> np.ndarray:
        """Steady-state start: an operating fridge (mixing chamber 20 mK, cold plate 0.1 K,
        still 0.8 K, 4 K plate 3 K, 50 K plate 45 K, 1 K pot 1.5 K; typical values, only a starting
        point)."""
        guess = np.zeros(len(self.nodes))
        for idx, value in (
            (self.mixing_chamber, 0.02),
            (self.cold_plate, 0.1),
            (self.still, 0.8),
            (self.plate4, 3.0),
            (self.plate50, 45.0),
            (self.pot, 1.5),
        ):
            if idx >= 0:
                guess[idx] = value
        return guess

    def base_K(self) -> np.ndarray:
        """Coldest temperature each node can reach (ranks the cooled stages): the mixing chamber first."""
        base = np.full(len(self.nodes), helium.T62_RANGE_K[0])
        base[self.mixing_chamber] = 0.0
        return base

    def terms(self, T: np.ndarray) -> tuple[list[tuple[int, str, float]], dict, list[str]]:
        """Named heat terms ``(node, name, W into node)``, Jacobian ``{(row, col): dW/dT}`` and flags."""
        n = self.flow_mol_s
        cp = helium.IDEAL_MONATOMIC_CP
        mc, cpl, st, p4, p50 = (
            self.mixing_chamber,
            self.cold_plate,
            self.still,
            self.plate4,
            self.plate50,
        )
        out: list[tuple[int, str, float]] = []
        jac: dict[tuple[int, int], float] = {}
        flags: list[str] = []

        def add_jac(row: int, col: int, value: float) -> None:
            if row >= 0 and col >= 0 and value != 0.0:
                jac[(row, col)] = jac.get((row, col), 0.0) + value

        pot = self.pot
        cond = pot if pot >= 0 else p4  # where the returning He-3 condenses
        f, dfc = _ramp(T[cond], helium.HE3_CRITICAL_K)
        if self.condensed < 1.0:  # the mixture charge is still condensing: nothing circulates
            f, dfc = 0.0, 0.0
        if self.charge_per_mol_J:  # the charge condensing: its heat spread as per mole
            Q, dQ = self.charge_load(T)
            h = self.charge_per_mol_J[-1][2]
            for node, name, w in self.charge_per_mol_J:
                out.append((node, name, Q * w / h))
                add_jac(node, cond, dQ * w / h)
        if pot >= 0:
            self._pot_cooling(T, out, add_jac, flags)
        # ---- return line: precool on the plates and condensing at the condenser
        if f > 0:
            T4, Tc = T[p4], T[cond]
            latent, _ = helium.he3_latent_heat_bound(
                min(max(Tc, helium.T62_RANGE_K[0]), helium.HE3_CRITICAL_K)
            )
            where = "the 1 K pot" if pot >= 0 else "the 4 K plate"
            flags.append(
                f"{self.id}: He-3 condensing at {Tc:.3g} K on {where}, latent heat taken as the "
                f"measured maximum {helium.HE3_LATENT_MAX_J_MOL:.1f} J/mol (upper bound)"
            )
            if p50 >= 0:
                q50 = n * cp * (self.room_K - T[p50])
                out.append((p50, "He-3 return precool", f * q50))
                add_jac(p50, p50, -f * n * cp)
                add_jac(p50, cond, dfc * q50)
                warm = T[p50]
            else:
                warm = self.room_K
            if pot >= 0:
                q4 = n * cp * (warm - T4)
                out.append((p4, "He-3 return precool", f * q4))
                qc = n * (cp * (T4 - Tc) + latent)
                out.append((pot, "He-3 return precool + condensing", f * qc))
                add_jac(pot, p4, f * n * cp)
                add_jac(pot, pot, -f * n * cp + dfc * qc)
            else:
                q4 = n * (cp * (warm - T4) + latent)
                out.append((p4, "He-3 return precool + condensing", f * q4))
            add_jac(p4, p4, -f * n * cp)
            add_jac(p4, cond, dfc * q4)
            if p50 >= 0:
                add_jac(p4, p50, f * n * cp)
            # ---- still evaporation
            L, dL, held = _still_latent(T[st])
            out.append((st, "still evaporation", -f * n * L))
            add_jac(st, st, -f * n * dL)
            add_jac(st, cond, -dfc * n * L)
            if held:
                flags.append(
                    f"{self.id}: still at {T[st]:.3g} K, outside 0.2-1 K: evaporation uses L3 at "
                    f"the nearer edge ({L:.1f} J/mol)"
                )
            # ---- still heater: regulates the still at still_K (it can only heat)
            gain = n * float(helium.he3_latent_heat(self.still_K)) / REGULATION_BAND_K
            heater = gain * (self.still_K - T[st])
            if heater > 0:
                out.append((st, "still heater", f * heater))
                add_jac(st, st, -f * gain)
                add_jac(st, cond, dfc * heater)
            # ---- dilution: mixing chamber and cold-plate exchangers
            g, dg = _ramp(T[mc], helium.TRICRITICAL_K)
            if g > 0:
                self._dilution_terms(T, f * g, f * dg, dfc * g, cond, out, add_jac)
        # ---- precool loop (before condensing, to the 4 K plate) and the condensed mixture
        # (after condensing and until it phase-separates, to the still)
        if self.precool_W_K > 0:
            G0 = self.precool_W_K
            g, dg = _ramp(T[mc], helium.TRICRITICAL_K)
            for node, name in ((st, "still"), (cpl, "cold plate"), (mc, "mixing chamber")):
                if node < 0:
                    continue
                if f < 1:  # precool loop, conductance G0 (1 - f)
                    grads = {cond: -G0 * dfc}
                    self._exchange(
                        T, node, p4, G0 * (1 - f), grads, f"precool loop ({name})", out, add_jac
                    )
                if f > 0 and g < 1 and node != st:  # liquid mixture, G0 f (1 - g)
                    grads = {cond: G0 * dfc * (1 - g), mc: -G0 * f * dg}
                    self._exchange(
                        T,
                        node,
                        st,
                        G0 * f * (1 - g),
                        grads,
                        f"condensed mixture ({name})",
                        out,
                        add_jac,
                    )
        return out, jac, flags

    @staticmethod
    def _exchange(T, node, other, G, grads, name, out, add_jac) -> None:
        """Heat G (T_other − T_node) into ``node`` and out of ``other``; ``grads``: dG/dT by node."""
        dT = T[other] - T[node]
        out.append((node, name, G * dT))
        out.append((other, name, -G * dT))
        add_jac(node, node, -G)
        add_jac(node, other, G)
        add_jac(other, other, -G)
        add_jac(other, node, G)
        for k, dG in grads.items():
            add_jac(node, k, dG * dT)
            add_jac(other, k, -dG * dT)

    def _pot_cooling(self, T, out, add_jac, flags) -> None:
        """A 1 K pot pumping He-4 at ``pot_flow_mol_s``: −ṅ₄ L₄(T_pot) once the 4 K plate is below
        the He-4 normal boiling point (the pot fills with liquid), L₄ held at the edges of its table."""
        pot, p4 = self.pot, self.plate4
        h, dh = _ramp(T[p4], HE4_BOILING_K)
        if h <= 0:
            return
        lo, hi = helium.HE4_POT_RANGE_K
        t = min(max(T[pot], lo), hi)
        L4 = float(helium.he4_latent_heat(t))
        if lo < T[pot] < hi:
            step = 1e-6
            a, b = max(t - step, lo), min(t + step, hi)
            dL4 = float((helium.he4_latent_heat(b) - helium.he4_latent_heat(a)) / (b - a))
        else:
            dL4 = 0.0
            flags.append(
                f"{self.id}: 1 K pot at {T[pot]:.3g} K, outside {lo:g}-{hi:g} K: He-4 latent heat "
                f"held at {L4:.1f} J/mol"
            )
        n4 = self.pot_flow_mol_s
        out.append((pot, "1 K pot evaporation", -h * n4 * L4))
        add_jac(pot, pot, -h * n4 * dL4)
        add_jac(pot, p4, -dh * n4 * L4)
        # below pot_K the pumped flow falls (the vapour pressure drops): the pot is held at
        # pot_K, what it does not need of n4 L4 shown as the regulation term (at most n4 L4)
        # the unused share x/(1 + x) of n4 L4, x = (pot_K - T) / band, saturates smoothly at n4 L4
        x = (self.pot_K - T[pot]) / REGULATION_BAND_K
        if x > 0:
            share, dshare = x / (1 + x), -1.0 / (REGULATION_BAND_K * (1 + x) ** 2)
            out.append((pot, "1 K pot flow regulation", h * n4 * L4 * share))
            add_jac(pot, p4, dh * n4 * L4 * share)
            add_jac(pot, pot, h * n4 * (dL4 * share + L4 * dshare))

    def _dilution_terms(self, T, w, dw_mc, dw_c, cond, out, add_jac) -> None:
        """Mixing-chamber cooling ṅq and, at the cold plate, what is left of the exchangers'
        enthalpy balance, ṅ(84 T_cp² − q): together ṅ·84·T_cp², whatever the exchanger."""
        n, mc, cpl = self.flow_mol_s, self.mixing_chamber, self.cold_plate
        Tm = T[mc]
        q, dq_dmc, dq_dcp = self._per_mol(T)
        cooling = n * q
        out.append((mc, "dilution (mixing chamber)", -w * cooling))
        add_jac(mc, mc, -w * n * dq_dmc - dw_mc * cooling)
        add_jac(mc, cond, -dw_c * cooling)
        add_jac(mc, cpl, -w * n * dq_dcp)
        if cpl >= 0 and T[cpl] > Tm:
            coeff = dilution.DILUTE_COEFF - dilution.CONCENTRATED_COEFF
            rest = n * (coeff * T[cpl] ** 2 - q)
            out.append((cpl, "step exchangers (cold plate)", -w * rest))
            add_jac(cpl, cpl, -w * n * (coeff * 2 * T[cpl] - dq_dcp))
            add_jac(cpl, mc, w * n * dq_dmc - dw_mc * rest)
            add_jac(cpl, cond, -dw_c * rest)

    def _per_mol(self, T) -> tuple[float, float, float]:
        """Mixing-chamber cooling per mole q = 95 T_mc² − 11 T_ex² (J/mol), dq/dT_mc, dq/dT_cp."""
        Tm, ex = T[self.mixing_chamber], self.exchanger
        dilute, conc = dilution.DILUTE_COEFF, dilution.CONCENTRATED_COEFF
        if ex.continuous:
            warm = T[self.cold_plate]
            a, da_dm, da_db = continuous_exchanger.exit_squared(
                Tm, warm, self.flow_mol_s, float(ex.kapitza_W_K4 or 0.0)
            )
            return (
                dilute * Tm * Tm - conc * a,
                (dilute - conc * da_dm) * 2 * Tm,
                -conc * da_db * 2 * warm,
            )
        if ex.effectiveness is not None:
            warm, eps = T[self.cold_plate], ex.effectiveness
            a = dilute - conc * eps
            b = conc * (1 - eps) * warm * warm
            return a * Tm * Tm - b, 2 * a * Tm, -2 * conc * (1 - eps) * warm
        a, b = ex._quadratic()
        return a * Tm * Tm - b, 2 * a * Tm, 0.0
