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
- the step exchangers at the cold plate: the dilute stream warming from T_mc to
  T_cp with the concentrated stream cooled against it absorbs at most
  ṅ·84·(T_cp² − T_mc²) there (the same Pobell enthalpies, ideal exchange);
- an optional conductance ``precool_W_K``: while the circulation is not yet
  condensing, the precool loop (or exchange gas) joining each sub-kelvin stage to the
  4 K plate; once condensed and until the mixture phase-separates, the liquid mixture
  in the exchangers joining the cold plate and mixing chamber to the still.

Order of the cooldown: the circulation condenses only when the 4 K plate is below
the ³He critical point (3.324 K); the mixing chamber and cold plate dilute only
below the 0.867 K tricritical point. Both switches are ramps over ``RAMP_K`` so
Newton sees a continuous source (numerical smoothing, not physics).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.thermal import dilution, helium

RAMP_K = 0.05  # K, width of the on-switches (numerical smoothing of the two thresholds)
REGULATION_BAND_K = (
    1e-3  # K: the still heater gives its full ṅL₃ 1 mK below still_K (a stiff regulator)
)
_H = 1e-6  # relative step of the central difference for dL3/dT


def _ramp(T: float, threshold: float) -> tuple[float, float]:
    """(f, df/dT): 1 well below ``threshold``, 0 above it, linear over RAMP_K below it."""
    x = (threshold - T) / RAMP_K
    if x <= 0:
        return 0.0, 0.0
    if x >= 1:
        return 1.0, 0.0
    return x, -1.0 / RAMP_K


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
        still 0.8 K, 4 K plate 3 K, 50 K plate 45 K; typical values, only a starting point)."""
        guess = np.zeros(len(self.nodes))
        for idx, value in (
            (self.mixing_chamber, 0.02),
            (self.cold_plate, 0.1),
            (self.still, 0.8),
            (self.plate4, 3.0),
            (self.plate50, 45.0),
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

        f, df4 = _ramp(T[p4], helium.HE3_CRITICAL_K)
        # ---- return line: precool on the plates and condensing at the 4 K plate
        if f > 0:
            T4 = T[p4]
            latent, _ = helium.he3_latent_heat_bound(min(T4, helium.HE3_CRITICAL_K))
            flags.append(
                f"{self.id}: He-3 condensing at {T4:.3g} K on the 4 K plate, latent heat taken as the "
                f"measured maximum {helium.HE3_LATENT_MAX_J_MOL:.1f} J/mol (upper bound)"
            )
            if p50 >= 0:
                q50 = n * cp * (self.room_K - T[p50])
                out.append((p50, "He-3 return precool", f * q50))
                add_jac(p50, p50, -f * n * cp)
                add_jac(p50, p4, df4 * q50)
                warm = T[p50]
            else:
                warm = self.room_K
            q4 = n * (cp * (warm - T4) + latent)
            out.append((p4, "He-3 return precool + condensing", f * q4))
            add_jac(p4, p4, -f * n * cp + df4 * q4)
            if p50 >= 0:
                add_jac(p4, p50, f * n * cp)
            # ---- still evaporation
            L, dL, held = _still_latent(T[st])
            out.append((st, "still evaporation", -f * n * L))
            add_jac(st, st, -f * n * dL)
            add_jac(st, p4, -df4 * n * L)
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
                add_jac(st, p4, df4 * heater)
            # ---- dilution: mixing chamber and cold-plate exchangers
            g, dg = _ramp(T[mc], helium.TRICRITICAL_K)
            if g > 0:
                self._dilution_terms(T, f * g, f * dg, df4 * g, out, add_jac)
        # ---- precool loop (before condensing, to the 4 K plate) and the condensed mixture
        # (after condensing and until it phase-separates, to the still)
        if self.precool_W_K > 0:
            G0 = self.precool_W_K
            g, dg = _ramp(T[mc], helium.TRICRITICAL_K)
            for node, name in ((st, "still"), (cpl, "cold plate"), (mc, "mixing chamber")):
                if node < 0:
                    continue
                if f < 1:  # precool loop, conductance G0 (1 - f)
                    grads = {p4: -G0 * df4}
                    self._exchange(
                        T, node, p4, G0 * (1 - f), grads, f"precool loop ({name})", out, add_jac
                    )
                if f > 0 and g < 1 and node != st:  # liquid mixture, G0 f (1 - g)
                    grads = {p4: G0 * df4 * (1 - g), mc: -G0 * f * dg}
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

    def _dilution_terms(self, T, w, dw_mc, dw_4, out, add_jac) -> None:
        n, mc, cpl, p4 = self.flow_mol_s, self.mixing_chamber, self.cold_plate, self.plate4
        Tm = T[mc]
        ex = self.exchanger
        if ex.effectiveness is not None:
            warm = T[cpl]
            a = dilution.DILUTE_COEFF - dilution.CONCENTRATED_COEFF * ex.effectiveness
            b = dilution.CONCENTRATED_COEFF * (1 - ex.effectiveness) * warm * warm
            db_dwarm = 2 * dilution.CONCENTRATED_COEFF * (1 - ex.effectiveness) * warm
        else:
            a, b = ex._quadratic()
            db_dwarm = 0.0
        cooling = n * (a * Tm * Tm - b)
        out.append((mc, "dilution (mixing chamber)", -w * cooling))
        add_jac(mc, mc, -w * n * 2 * a * Tm - dw_mc * cooling)
        add_jac(mc, p4, -dw_4 * cooling)
        if ex.effectiveness is not None:
            add_jac(mc, cpl, w * n * db_dwarm)
        if cpl >= 0 and T[cpl] > Tm:
            coeff = dilution.DILUTE_COEFF - dilution.CONCENTRATED_COEFF
            q = n * coeff * (T[cpl] ** 2 - Tm * Tm)
            out.append((cpl, "step exchangers (cold plate)", -w * q))
            add_jac(cpl, cpl, -w * n * coeff * 2 * T[cpl])
            add_jac(cpl, mc, w * n * coeff * 2 * Tm - dw_mc * q)
            add_jac(cpl, p4, -dw_4 * q)
