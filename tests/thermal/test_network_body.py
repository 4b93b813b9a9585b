"""3-D bodies as network links: coupled through their terminal heat flows and Jacobian."""

from __future__ import annotations

import copy

import pytest
from scipy.optimize import brentq

import solver
import solver.thermal
from solver import materials
from solver.errors import DesignError

BAR = {
    "spacing_m": 0.01,
    "geometry": [
        {"type": "box", "material": "SS304", "min_m": [0, 0, 0], "max_m": [0.2, 0.02, 0.02]}
    ],
    "patches": [
        {"id": "hot", "side": "x-", "node": "warm"},
        {"id": "cold", "side": "x+", "node": "mid"},
    ],
}
G_BAR = 0.02 * 0.02 / 0.2  # A/L of the bar, m


def series_design(body):
    return {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "warm", "type": "boundary", "temperature_K": 77.0},
            {"id": "mid", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 0.5},
            {"id": "bath", "type": "boundary", "temperature_K": 4.2},
        ],
        "links": [
            {"id": "bar", "type": "body", "from": "warm", "to": "mid", "body": body},
            {
                "id": "rod",
                "type": "conductor",
                "from": "mid",
                "to": "bath",
                "material": "SS304",
                "length_m": 0.3,
                "area_m2": 2e-5,
            },
        ],
    }


def test_body_in_series_with_a_rod_matches_root_find():
    ds = solver.steady_state(series_design(BAR))
    ss = materials.get("SS304")
    g_rod = 2e-5 / 0.3
    T_mid = brentq(
        lambda T: (
            G_BAR * ss.conductivity_integral(T, 77.0) - g_rod * ss.conductivity_integral(4.2, T)
        ),
        4.3,
        76.9,
        xtol=1e-12,
    )
    # a uniform 1-D bar is exact in the Kirchhoff variable (the grid solver's faces), so
    # body and closed form agree to the Newton tolerances (1e-9 relative)
    assert ds.temperature.sel(node="mid").item() == pytest.approx(T_mid, rel=1e-7)
    assert ds.heat_flow.sel(link="bar").item() == pytest.approx(
        g_rod * ss.conductivity_integral(4.2, T_mid), rel=1e-7
    )


def test_body_with_heater_conserves_energy():
    body = copy.deepcopy(BAR)
    body["sources"] = [
        {"id": "heater", "min_m": [0.09, 0, 0], "max_m": [0.11, 0.02, 0.02], "power_W": 0.3}
    ]
    ds = solver.steady_state(series_design(body))
    load_bath = ds.stage_load.sel(node="bath").item()
    # heat reaching the 4.2 K bath = what left the 77 K boundary + the heater (warmest boundary has no load)
    net = solver.thermal.build_network(series_design(body))
    into_warm = net.body_inflows(ds.temperature.values)[0]
    assert load_bath == pytest.approx(0.3 - into_warm, rel=1e-8)


def test_body_patch_must_link_to_the_links_own_ends():
    body = copy.deepcopy(BAR)
    body["patches"][1]["node"] = "bath"
    with pytest.raises(DesignError, match=r"'bar'.*'bath'.*only link to its ends"):
        solver.design.from_dict(series_design(body))
    body["geometry"][0]["material"] = "SS-304"
    with pytest.raises(DesignError, match=r"'bar'.*SS304"):
        solver.design.from_dict(series_design(body))
