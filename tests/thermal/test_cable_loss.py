"""Cable RF loss: catalogue attenuation read by hand from the data file, the signal chain by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import solver
from cryogen_templates import DESIGNS_DIR
from solver import design
from solver.errors import DesignError
from solver.thermal import wiring_lines
from solver.thermal.cable_loss import attenuation_dB_per_m, signal_heat
from solver.thermal.steady import steady_state
from solver.thermal.wiring_budget import wiring_budget

COAX = json.loads(
    (Path(solver.__file__).parents[1] / "materials_data/components/coax.json").read_text()
)
SS = next(e for e in COAX["entries"] if e["id"] == "coaxco-sc-086-50-ss-ss")["parameters"]


def alpha_by_hand(f_GHz, T_warm, T_cold):
    """Linear in frequency between the catalogue points, linear in T between 4 K and 300 K."""
    fs = SS["attenuation_frequencies_GHz"]
    k = max(i for i in range(len(fs) - 1) if fs[i] <= f_GHz)
    w = (f_GHz - fs[k]) / (fs[k + 1] - fs[k])
    a300 = SS["attenuation_300K_dB_per_m"][k] * (1 - w) + SS["attenuation_300K_dB_per_m"][k + 1] * w
    a4 = SS["attenuation_4K_dB_per_m"][k] * (1 - w) + SS["attenuation_4K_dB_per_m"][k + 1] * w
    T = min(max((T_warm + T_cold) / 2, 4.0), 300.0)
    return a4 + (T - 4) / 296 * (a300 - a4)


def test_attenuation_is_read_and_interpolated_as_stated():
    for f, Tw, Tc in [(5.0, 300.0, 50.0), (7.0, 50.0, 3.0), (0.5, 300.0, 4.0)]:
        alpha, flags = attenuation_dB_per_m("coaxco-sc-086-50-ss-ss", f, Tw, Tc, "here")
        assert alpha == pytest.approx(alpha_by_hand(f, Tw, Tc), rel=1e-12)
        assert not flags
    alpha, flags = attenuation_dB_per_m("coaxco-sc-086-50-ss-ss", 5.0, 3.0, 0.9, "here")
    assert alpha == pytest.approx(SS["attenuation_4K_dB_per_m"][2]) and "held" in flags[0]
    alpha, flags = attenuation_dB_per_m("coaxco-sc-086-50-nbti-nbti", 5.0, 3.0, 0.9, "here")
    assert alpha is None and "left out" in flags[0]  # NbTi: only a 300 K (normal-state) figure
    with pytest.raises(DesignError, match="frequency_GHz"):
        attenuation_dB_per_m("coaxco-sc-086-50-ss-ss", 30.0, 300.0, 50.0, "here")


def test_signal_chain_by_hand_conserves_the_power():
    P0, att, cable = 1e-4, np.array([0.0, 20.0, 10.0]), np.array([1.5, 0.8, 0.3])
    heat = signal_heat(P0, att[None, :], cable[None, :])[0]
    # written out step by step: cable 0, attenuator 0, cable 1, ...
    p, by_hand, room = P0, np.zeros(3), 0.0
    for k in range(3):
        lost = p * (1 - 10 ** (-cable[k] / 10))
        if k == 0:
            room += lost / 2
        else:
            by_hand[k - 1] += lost / 2
        by_hand[k] += lost / 2
        p -= lost
        by_hand[k] += p * (1 - 10 ** (-att[k] / 10))
        p *= 10 ** (-att[k] / 10)
    np.testing.assert_allclose(heat, by_hand, rtol=1e-14)
    assert room + heat.sum() + p == pytest.approx(P0, rel=1e-14)  # energy conserved
    # without cable loss: the attenuator formula alone
    only = signal_heat(P0, att[None, :])[0]
    np.testing.assert_allclose(only, [0.0, P0 * 0.99, P0 * 0.01 * 0.9], rtol=1e-14)


def test_wiring_budget_counts_the_cable_loss_of_catalog_coax():
    stages = [
        {"id": "plate50", "temperature_K": 50.0, "cooling_W": 30.0, "spacing_m": 0.2},
        {"id": "plate4", "temperature_K": 4.0, "cooling_W": 1.0, "spacing_m": 0.3},
    ]
    line = {
        "id": "drive",
        "kind": "drive",
        "segments": {"part": "coaxco-sc-086-50-ss-ss"},
        "attenuation_dB": [0.0, 20.0],
        "power_W": 1e-3,
        "duty": 1.0,
    }
    plain = wiring_budget(stages, [line])
    ds = wiring_budget(stages, [dict(line, frequency_GHz=6.0)])
    c0 = 10 ** (-alpha_by_hand(6.0, 300.0, 50.0) * 0.2 / 10)
    c1 = 10 ** (-alpha_by_hand(6.0, 50.0, 4.0) * 0.3 / 10)
    P1 = 1e-3 * c0  # entering segment 1
    expected_4K = P1 * (1 - c1) / 2 + P1 * c1 * 0.99
    expected_50K = 1e-3 * (1 - c0) / 2 + P1 * (1 - c1) / 2
    np.testing.assert_allclose(ds["active_W"].values[0], [expected_50K, expected_4K], rtol=1e-12)
    assert plain["active_W"].values[0, 1] == pytest.approx(1e-3 * 0.99)
    with pytest.raises(DesignError, match="frequency_GHz"):
        wiring_budget(stages, [dict(line, frequency_GHz=40.0)])


def test_a_design_line_with_a_frequency_dissipates_in_its_cables():
    d = json.loads((DESIGNS_DIR / "dilution-fridge-50-qubits.cryo.json").read_text())
    drive = [lk for lk in d["links"] if lk.get("line") == "drive"]
    drive[0]["frequency_GHz"] = 5.0
    ds = steady_state(d)
    budget = wiring_lines.wiring_budget_of(design.from_dict(d), ds)
    rated = {c["id"]: c.get("temperature_K", c.get("max_K")) for c in d["components"]}
    # the drive line by hand, its ends at their rated temperatures (vessel 300 K, stages max_K)
    p, heat = 1e-4 * 0.1, {}
    for k, lk in enumerate(drive):
        lost = p * (
            1
            - 10 ** (-alpha_by_hand(5.0, rated[lk["from"]], rated[lk["to"]]) * lk["length_m"] / 10)
        )
        if k:
            heat[lk["from"]] += lost / 2
        heat[lk["to"]] = lost / 2
        p -= lost
        t = 10 ** (-lk.get("attenuation_dB", 0.0) / 10)
        heat[lk["to"]] += p * (1 - t)
        p *= t
    got = budget["active_W"].sel(line="drive")
    for stage, w in heat.items():
        assert float(got.sel(stage=stage)) == pytest.approx(w, rel=1e-12)
    assert any("held" in f for f in budget.attrs["flags"])  # segments whose mean is below 4 K
    assert math.isfinite(float(ds.temperature.sel(node="mxc")))
