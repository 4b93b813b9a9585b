"""Condensing a dilution refrigerator's mixture charge before it circulates (README, "Mixture
charge"): against the closed forms of a 4 K plate held by a constant cooler."""

from __future__ import annotations

import json

import numpy as np
import pytest

from solver.cli import main as cli
from solver.errors import DesignError
from solver.thermal.cooldown import cooldown
from solver.thermal.fridge_source import FridgeOnNetwork
from solver.thermal.network import build_network

P_W = 0.5  # constant cooler on the 4 K plate, W
N3, N4 = 0.05, 0.2  # mol of He-3 and He-4 in the charge
R = 8.314462618  # J/(mol K), CODATA 2018
L3_MAX = 11.4 * 4.184  # J/mol: AOW 1950 maximum, 11.4 cal/mol, above 1 K (as the source)
# Donnelly & Barenghi (1998) table 16.1 rows around 3.3 K (reference pack he4_latent_heat_donnelly)
L4_ROWS = ((3.2066, 93.75), (3.3067, 93.44))


def plate_held_by_constant_cooler(**charge) -> dict:
    """A 4 K plate (starting at 3.4 K) cooled by a constant P_W, nothing else on it; still and
    mixing chamber unlinked (so the plate's spare cooling is exactly P_W until circulation)."""
    comps = [
        {"id": n, "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 0.5, "initial_K": T}
        for n, T in (("plate4", 3.4), ("still", 3.4), ("mxc", 3.4))
    ]
    comps += [
        {"id": "cooler", "type": "constant_cooler", "stage": "plate4", "power_W": P_W},
        {
            "id": "dr",
            "type": "dilution_refrigerator",
            "flow_mol_s": 1e-5,
            "still_K": 0.8,
            "mixing_chamber": "mxc",
            "still": "still",
            "plate4": "plate4",
            **charge,
        },
    ]
    return {"schema": "cryogen/design@1", "components": comps, "links": []}


def per_mole(T_c: float) -> float:
    """Heat (J/mol of mixture) at a 4 K plate at T_c with no 50 K plate: ideal gas from 300 K."""
    L4 = np.interp(T_c, *zip(*L4_ROWS, strict=True))
    return 2.5 * R * (300.0 - T_c) + (N3 * L3_MAX + N4 * L4) / (N3 + N4)


def test_condensing_time_is_charge_energy_over_spare_cooling():
    design = plate_held_by_constant_cooler(charge_He3_mol=N3, charge_He4_mol=N4)
    ds = cooldown(design, target_K=3.0, node="plate4")
    start, end = float(ds.condensing_starts_s[0]), float(ds.circulation_starts_s[0])
    T4 = ds.temperature.sel(node="plate4")
    T_c = float(T4.sel(time=start))
    E = (N3 + N4) * per_mole(T_c)
    # the plate holds within ~1 mK (regulation band) of T_c, so the heat per mole differs from
    # the closed form's by < 2.5R·1 mK / 6 kJ ≈ 4e-6; the last step ends on the secant: 1e-5
    assert end - start == pytest.approx(E / P_W, rel=1e-5)
    assert float(ds.charge_energy_J[0]) == pytest.approx(E, rel=1e-5)
    during = T4.sel(time=slice(start, end)).values
    assert np.all(np.abs(during - T_c) < 2e-3)  # held while it condenses
    frac = ds.condensed_fraction.sel(fridge="dr").values
    assert frac[0] == 0 and frac[-1] == 1 and np.all(np.diff(frac) >= 0)
    # nothing circulates before the charge is in: the still and mixing chamber stay where they were
    t = ds.time.values
    still = ds.temperature.sel(node="still").values
    assert np.all(still[t <= end] == pytest.approx(3.4, abs=1e-12))


def test_energy_conserved_over_the_cooldown():
    """Cooler's P·t = stages' enthalpy lost + charge's heat (closed form) + the circulation's heat
    (backward-Euler sum of the source's terms over the recorded steps)."""
    design = plate_held_by_constant_cooler(charge_He3_mol=N3, charge_He4_mol=N4)
    ds = cooldown(design, target_K=3.0, node="plate4")
    fridge = next(s for s in build_network(design).sources if s.id == "dr").source
    assert isinstance(fridge, FridgeOnNetwork)
    nodes = [list(ds.node.values).index(n) for n in fridge.nodes]
    T = ds.temperature.values[:, nodes]
    t = ds.time.values
    after = t > float(ds.circulation_starts_s[0])
    circulating = sum(
        (t[k] - t[k - 1]) * float(np.sum(fridge.heat(T[k])[0])) for k in np.flatnonzero(after)
    )
    T_c = float(ds.temperature.sel(node="plate4", time=float(ds.condensing_starts_s[0])))
    E = (N3 + N4) * per_mole(T_c)
    total = ds.enthalpy_lost_J + E + circulating
    assert P_W * t[-1] == pytest.approx(total, rel=1e-5)  # same tolerance as the time above


def test_stated_maximum_rate_sets_the_condensing_time():
    """A stated rate below what the spare cooling allows: n / ṅ_max. The plate is tied to a
    3.3 K boundary (1 W/K) so that it settles at 3.11 K while it condenses (above the target)."""
    top = 5e-5  # mol/s; the spare cooling would condense 0.5 W / 6.2 kJ/mol = 8e-5 mol/s
    design = plate_held_by_constant_cooler(
        charge_He3_mol=N3, charge_He4_mol=N4, charge_max_mol_s=top
    )
    design["components"].append({"id": "bath", "type": "boundary", "temperature_K": 3.3})
    design["links"].append(
        {"id": "tie", "type": "contact", "from": "bath", "to": "plate4", "conductance_W_K": 1.0}
    )
    ds = cooldown(design, target_K=2.9, node="plate4")
    span = float(ds.circulation_starts_s[0] - ds.condensing_starts_s[0])
    # tanh saturation: at y = G x / Q_max > 100 its shortfall is e^-200; the last step: 1e-5
    assert span == pytest.approx((N3 + N4) / top, rel=1e-5)


def test_without_a_charge_nothing_changes_and_bad_fields_are_refused():
    ds = cooldown(plate_held_by_constant_cooler(), target_K=3.0, node="plate4")
    assert "condensed_fraction" not in ds
    with pytest.raises(DesignError, match="charge_max_mol_s"):
        build_network(plate_held_by_constant_cooler(charge_max_mol_s=1e-4))
    with pytest.raises(DesignError, match="charge_He3_mol"):
        build_network(plate_held_by_constant_cooler(charge_He3_mol=-1))


def test_cryogen_cooldown_reports_the_charge(tmp_path, capsys):
    path = tmp_path / "charged.cryo.json"
    path.write_text(json.dumps(plate_held_by_constant_cooler(charge_He3_mol=N3, charge_He4_mol=N4)))
    assert cli(["cooldown", str(path), "--target-K", "3.0", "--node", "plate4", "--json"]) == 0
    charge = json.loads(capsys.readouterr().out)["mixture_charge"]["dr"]
    assert charge["condensed_fraction"][0] == 0 and charge["condensed_fraction"][-1] == 1
    span = charge["circulation_starts_s"] - charge["condensing_starts_s"]
    assert span * P_W == pytest.approx(charge["charge_energy_J"], rel=1e-5)  # as above
    assert cli(["cooldown", str(path), "--target-K", "3.0", "--node", "plate4"]) == 0
    assert "dr mixture charge: condensing from" in capsys.readouterr().out


def test_with_a_pot_the_charge_condenses_there_precooled_by_the_plates():
    """Heat per mole on each stage, by hand: 5R/2 from 300 K down the chain, latent heat at the pot
    (1.45 K: the AOW bound for He-3; L4 between Donnelly & Barenghi's 1.4035 and 1.5036 K rows)."""
    from solver.thermal.dilution import Exchanger

    fridge = FridgeOnNetwork(
        id="dr",
        nodes=("mxc", "still", "plate4", "plate50", "pot"),
        mixing_chamber=0,
        still=1,
        plate4=2,
        plate50=3,
        cold_plate=-1,
        flow_mol_s=1e-4,
        still_K=0.8,
        exchanger=Exchanger(),
        precool_W_K=0.0,
        room_K=300.0,
        pot=4,
        pot_flow_mol_s=1e-4,
        charge_mol=(N3, N4),
    )
    T = np.array([1.45, 1.45, 3.0, 45.0, 1.45])
    per_mol, _ = fridge.charge_per_mol(T)
    cp = 2.5 * R
    L4 = 87.76 + (89.36 - 87.76) * (1.45 - 1.4035) / (1.5036 - 1.4035)
    expected = [
        (3, cp * (300.0 - 45.0)),
        (2, cp * (45.0 - 3.0)),
        (4, cp * (3.0 - 1.45) + (N3 * L3_MAX + N4 * L4) / (N3 + N4)),
    ]
    assert [(k, pytest.approx(w, rel=1e-12)) for k, _, w in per_mol] == expected
