"""Condensing a dilution refrigerator's mixture charge during a cooldown.

A ``dilution_refrigerator`` with a charge (``charge_He3_mol``, ``charge_He4_mol``) circulates
only once the charge has condensed at its condensing stage (4 K plate or 1 K pot). From the
first step that stage starts below the ³He critical point, the charge holds it at that
temperature: it takes the stage's spare cooling (its cooling capacity at its temperature minus
its other loads), through a regulation term of the source solved implicitly with the step
(:meth:`FridgeOnNetwork.charge_load`), at most ``charge_max_mol_s`` times the heat per mole
(:meth:`FridgeOnNetwork.charge_per_mol`, fixed over a step). The charge's heat is a source
term, so it enters the cooldown's energy ledger; the moles condensed in a step are that
heat at the step's end over the heat per mole, times the step, and a step ends no later than the
moment the last of the charge condenses.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.thermal import helium
from solver.thermal.fridge_source import FridgeOnNetwork
from solver.thermal.network import Network

HOLD_K = 1e-3  # K: the condenser sits about this far below its hold temperature (regulation)
_WHOLE = 1e-9  # condensed fraction this close to 1 counts as all (rounding of rate·Δt/n)


class ChargeLog:
    """The charged fridges of ``net`` through a cooldown: condensed fraction per step, the time
    condensing and circulation start, and the heat the charge gave the stages (J)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.fridges: list[tuple[np.ndarray, FridgeOnNetwork]] = [
            (s.nodes, s.source)
            for s in net.sources
            if isinstance(s.source, FridgeOnNetwork) and sum(s.source.charge_mol) > 0
        ]
        for _, fridge in self.fridges:
            fridge.condensed = 0.0
        k = len(self.fridges)
        self.fractions = [np.zeros(k)]
        self.condensing_starts_s = np.full(k, np.nan)
        self.circulation_starts_s = np.full(k, np.nan)
        self.energy_J = np.zeros(k)
        self.flags: set[str] = set()

    def begin_step(self, T: np.ndarray, dt: float, t: float) -> float:
        """Set each condensing charge up for a step from node temperatures ``T`` (K) at time
        ``t`` (s); returns the step length (s): ``dt``, shortened to about when a charge is
        all in at the spare cooling of ``T``."""
        R = None
        for i, (nodes, fridge) in enumerate(self.fridges):
            node = int(nodes[fridge.condenser])
            if fridge.condensed >= 1.0 or T[node] >= helium.HE3_CRITICAL_K:
                continue
            fridge.charge_gain_W_K = 0.0
            if R is None:
                R = self.net.balance(T)[0]
            free = self.net.free_index[node]
            if free < 0:  # a bath holding its temperature: its boil-off takes the charge at once
                fridge.condensed = 1.0
                self.condensing_starts_s[i] = self.circulation_starts_s[i] = t
                self.flags.add(
                    f"{fridge.id}: mixture charge condensed at once on a bath (not in the "
                    "bath's boil-off)"
                )
                continue
            spare = max(-float(R[free]), 0.0)
            per_mol, flags = fridge.charge_per_mol(T[nodes])
            self.flags.update(flags)
            h = per_mol[-1][2]
            if np.isnan(self.condensing_starts_s[i]):
                self.condensing_starts_s[i] = t
                fridge.charge_hold_K = float(T[node])
            fridge.charge_per_mol_J = tuple(per_mol)
            fridge.charge_max_W = fridge.charge_max_mol_s * h
            fridge.charge_gain_W_K = spare / HOLD_K
            rate = min(spare, fridge.charge_max_W) / h
            if rate > 0:
                dt = min(dt, _left_mol(fridge) / rate)
        return dt

    def fit_step(self, T_new: np.ndarray, dt: float) -> float:
        """``dt`` (s), shortened so that no charge condenses more than what is left at the rate
        it condenses at the step's end temperatures ``T_new`` (K)."""
        for nodes, fridge in self.fridges:
            rate = _rate(nodes, fridge, T_new)
            if rate > 0:
                dt = min(dt, _left_mol(fridge) / rate)
        return dt

    def end_step(self, T_new: np.ndarray, dt: float, t_end: float) -> None:
        """Condense what the step of ``dt`` (s) ending at ``t_end`` (s) with temperatures
        ``T_new`` (K) allowed; add its heat to the charge's energy."""
        for i, (nodes, fridge) in enumerate(self.fridges):
            rate = _rate(nodes, fridge, T_new)
            if rate > 0:
                per_mol = sum(w for _, _, w in fridge.charge_per_mol_J)
                self.energy_J[i] += dt * rate * per_mol
                fridge.condensed += rate * dt / sum(fridge.charge_mol)
                if fridge.condensed >= 1.0 - _WHOLE:
                    fridge.condensed = 1.0
                    self.circulation_starts_s[i] = t_end
            if fridge.condensed >= 1.0:
                fridge.charge_per_mol_J, fridge.charge_gain_W_K = (), 0.0
        self.fractions.append(np.array([fridge.condensed for _, fridge in self.fridges]))

    def add_to(self, ds: xr.Dataset) -> xr.Dataset:
        """``ds`` with ``condensed_fraction(time, fridge)`` and, per fridge,
        ``condensing_starts_s``, ``circulation_starts_s`` and ``charge_energy_J``."""
        if not self.fridges:
            return ds
        ds = ds.assign_coords(fridge=("fridge", [fridge.id for _, fridge in self.fridges]))
        ds["condensed_fraction"] = (
            ("time", "fridge"),
            np.array(self.fractions),
            {"units": "1", "long_name": "fraction of the mixture charge condensed"},
        )
        for name, values, units, long_name in (
            ("condensing_starts_s", self.condensing_starts_s, "s", "charge starts condensing"),
            ("circulation_starts_s", self.circulation_starts_s, "s", "circulation starts"),
            ("charge_energy_J", self.energy_J, "J", "heat the charge gave the stages"),
        ):
            ds[name] = ("fridge", values, {"units": units, "long_name": long_name})
        return ds


def _left_mol(fridge: FridgeOnNetwork) -> float:
    """Moles of the charge still to condense."""
    return (1.0 - fridge.condensed) * sum(fridge.charge_mol)


def _rate(nodes: np.ndarray, fridge: FridgeOnNetwork, T: np.ndarray) -> float:
    """mol/s the charge of ``fridge`` (on network ``nodes``) condenses at temperatures ``T`` (K)."""
    if not fridge.charge_per_mol_J:
        return 0.0
    return fridge.charge_load(T[nodes])[0] / fridge.charge_per_mol_J[-1][2]


def charge_summary(ds: xr.Dataset) -> list[dict]:
    """Each charged fridge of a cooldown Dataset ``ds`` (none when it has no charge), as a dict:
    ``fridge`` (id), ``condensing_starts_s`` and ``circulation_starts_s`` (s; NaN when not
    reached), ``charge_energy_J`` (J) and ``condensed_fraction`` (1, one value per ``ds.time``)."""
    if "condensed_fraction" not in ds:
        return []
    return [
        {
            "fridge": str(f),
            **{
                v: float(ds[v].sel(fridge=f))
                for v in ("condensing_starts_s", "circulation_starts_s", "charge_energy_J")
            },
            "condensed_fraction": np.asarray(ds.condensed_fraction.sel(fridge=f), dtype=float),
        }
        for f in ds.fridge.values
    ]
