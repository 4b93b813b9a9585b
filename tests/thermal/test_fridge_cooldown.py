"""Cooldown of a dilution refrigerator: the plates precool first, the sub-kelvin stages dilute last."""

from __future__ import annotations

import itertools

import numpy as np

from solver.thermal import helium
from solver.thermal.cooldown import cooldown

NODES = ["vessel", "plate50", "plate4", "still", "cold_plate", "mxc"]
MASS_KG = {"plate50": 2.0, "plate4": 1.0, "still": 0.3, "cold_plate": 0.2, "mxc": 0.2}


def small_fridge() -> dict:
    """Five light copper plates on a PT415, G10 rods between them, a precool loop of 0.2 W/K."""
    comps = [{"id": "vessel", "type": "boundary", "temperature_K": 300.0}]
    comps += [
        {"id": n, "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": m, "initial_K": 300.0}
        for n, m in MASS_KG.items()
    ]
    comps += [
        {
            "id": "pt",
            "type": "cryocooler",
            "model": "Cryomech PT415",
            "stages": {"first": "plate50", "second": "plate4"},
        },
        {
            "id": "dr",
            "type": "dilution_refrigerator",
            "flow_mol_s": 5e-4,
            "still_K": 0.8,
            "mixing_chamber": "mxc",
            "cold_plate": "cold_plate",
            "still": "still",
            "plate4": "plate4",
            "plate50": "plate50",
            "exchanger_exit_K": 0.03,
            "precool_W_K": 0.2,
        },
    ]
    links = [
        {
            "id": f"rods_{b}",
            "type": "support",
            "from": a,
            "to": b,
            "material": "G10-normal",
            "length_m": 0.2,
            "area_m2": 3e-5,
            "count": 3,
        }
        for a, b in itertools.pairwise(NODES)
    ]
    return {"schema": "cryogen/design@1", "components": comps, "links": links}


def test_sub_kelvin_stages_follow_the_plates_then_condense_then_dilute():
    ds = cooldown(small_fridge(), target_K=0.05, node="mxc")
    t = ds.time.values
    T = {n: ds.temperature.sel(node=n).values for n in NODES[1:]}
    condensing = T["plate4"] < helium.HE3_CRITICAL_K
    assert condensing.any() and not condensing[0]
    first = int(np.argmax(condensing))
    # before the 4 K plate reaches the He-3 critical point nothing circulates: the sub-kelvin
    # stages are only cooled through the precool loop and the rods, so none is below the 4 K plate
    for n in ("still", "cold_plate", "mxc"):
        assert np.all(T[n][:first] >= T["plate4"][:first] - 1e-9), n
    # dilution (mixing chamber below the 0.867 K tricritical point) comes after condensation
    diluting = int(np.argmax(T["mxc"] < helium.TRICRITICAL_K))
    assert t[diluting] > t[first]
    assert abs(T["mxc"][-1] - 0.05) < 1e-9  # the target is hit exactly (secant on the last step)
