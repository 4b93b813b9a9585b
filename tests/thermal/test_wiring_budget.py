"""Wiring budget against closed-form conduction of each catalog coax and hand-computed loads.

Krinner et al., EPJ Quantum Technol. 6, 2 (2019): the per-stage passive/active load
tables of that paper could not be reached (only its abstract and its Fig. 11
conductivity curves are in the reference packs), so no test compares with them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from solver import catalog, materials
from solver.errors import DesignError
from solver.thermal.wiring_budget import (
    WiringSet,
    limiting_stage,
    more_lines_of,
    overloaded_stages,
    wiring_budget,
)

# a five-stage fridge (temperatures and spacings as the template; cooling powers here are test values)
STAGES = [
    {"id": "plate50", "temperature_K": 45.0, "cooling_W": 40.0, "spacing_m": 0.2},
    {"id": "plate4", "temperature_K": 3.5, "cooling_W": 1.5, "spacing_m": 0.29},
    {"id": "still", "temperature_K": 0.8, "cooling_W": 30e-3, "spacing_m": 0.25},
    {"id": "cold_plate", "temperature_K": 0.1, "cooling_W": 300e-6, "spacing_m": 0.17},
    {"id": "mxc", "temperature_K": 0.015, "cooling_W": 20e-6, "spacing_m": 0.14},
]
T_HOT = [300.0, 45.0, 3.5, 0.8, 0.1]
T_COLD = [45.0, 3.5, 0.8, 0.1, 0.015]
LENGTHS = [0.2, 0.29, 0.25, 0.17, 0.14]


def areas(d_inner, d_diel, d_outer):
    """Inner, dielectric and outer cross-sections from the catalogue diameters (m^2)."""
    return (
        math.pi * d_inner**2 / 4,
        math.pi * (d_diel**2 - d_inner**2) / 4,
        math.pi * (d_outer**2 - d_diel**2) / 4,
    )


def quad_integral(material_id, T1, T2):
    m = materials.get(material_id)
    return quad(lambda T: float(m.k(T)), T1, T2, epsrel=1e-12, epsabs=0, limit=400)[0]


def power_law_integral(a, n, T1, T2):
    """Closed form of ∫ a T^n dT."""
    return a / (n + 1) * (T2 ** (n + 1) - T1 ** (n + 1))


def join(fit_lower_K):
    """Grid node at or below a fit's lower limit, where the documented low-T law meets the fit
    (solver.materials._property: the law is scaled to the fit there, at most one grid step below)."""
    grid = materials.GRID.T
    return float(grid[grid <= fit_lower_K * (1 + 1e-12)].max())


def one_line(segments, **extra):
    return [{"id": "x", "kind": "drive", "count": 1, "segments": segments, **extra}]


@pytest.mark.parametrize("size", ["086", "119", "219"])
def test_stainless_coax_conduction_matches_quadrature_of_the_fits(size):
    part = f"coaxco-sc-{size}-50-ss-ss"
    p = catalog.get(part).parameters
    a_in, a_d, a_out = areas(
        p["inner_diameter_m"], p["dielectric_diameter_m"], p["outer_diameter_m"]
    )
    seg = WiringSet(STAGES, one_line({"part": part})).passive_per_line()[0]
    for k in range(5):
        expected = (
            (a_in + a_out) * quad_integral("SS304", T_COLD[k], T_HOT[k])
            + a_d * quad_integral("PTFE", T_COLD[k], T_HOT[k])
        ) / LENGTHS[k]
        # 1e-6: the Kirchhoff tables agree with quadrature of the fit to 1e-6 (materials tests)
        assert seg[k] == pytest.approx(expected, rel=1e-6)


def test_cupronickel_and_nbti_coax_below_4K_match_their_power_laws():
    # CuNi 70/30: k = 0.093 T^1.23 (0.3-4 K), below it the T-linear law (Pobell) scaled to meet it;
    # NbTi: below its 4-9 K fit 0.0075 T^1.85 the T^2 law (Olson/Pobell) scaled likewise; PTFE by quadrature.
    stages = STAGES[2:]
    stages = [{**s} for s in stages]
    hot, cold, length = [3.5, 0.8, 0.1], [0.8, 0.1, 0.015], LENGTHS[2:]
    warm = {"id": "plate4", "temperature_K": 3.5, "cooling_W": 1.0, "spacing_m": 0.29}
    for part, law in [
        ("coaxco-sc-086-50-cn-cn", "CuNi"),
        ("coaxco-sc-086-50-nbti-nbti", "NbTi"),
    ]:
        lines = [
            {
                "id": "x",
                "segments": [{"part": "coaxco-sc-086-50-ss-ss"}] + [{"part": part}] * 3,
                "lengths_m": [0.2, *length],
            }
        ]
        seg = WiringSet([warm, *stages], lines, room_K=45.0).passive_per_line()[0][1:]
        p = catalog.get(part).parameters
        a_in, a_d, a_out = areas(
            p["inner_diameter_m"], p["dielectric_diameter_m"], p["outer_diameter_m"]
        )
        for k in range(3):
            if law == "CuNi":
                j = join(0.3)  # below the fit's lower limit the T-linear law, met at the join node
                kj = 0.093 * j**1.23
                metal = power_law_integral(0.093, 1.23, max(cold[k], j), max(hot[k], j)) + (
                    power_law_integral(kj / j, 1.0, cold[k], min(hot[k], j)) if cold[k] < j else 0
                )
            else:
                j = join(4.0)
                kj = 0.0075 * j**1.85
                metal = power_law_integral(kj / j**2, 2.0, cold[k], hot[k])
            expected = (
                (a_in + a_out) * metal + a_d * quad_integral("PTFE", cold[k], hot[k])
            ) / length[k]
            assert seg[k] == pytest.approx(expected, rel=1e-6), (part, k)


def test_nbti_coax_is_accepted_as_wiring_and_refused_where_it_is_normal():
    elem = catalog.to_design_element(
        "coaxco-sc-086-50-nbti-nbti", id="w", **{"from": "a", "to": "b"}, length_m=0.2
    )
    assert elem["part"] == "coaxco-sc-086-50-nbti-nbti"
    assert catalog.wiring_layers("coaxco-sc-086-50-nbti-nbti")[0]["material"] == "NbTi"
    with pytest.raises(DesignError, match=r"line 'x', segment 0 \(300 K -> 45 K\).*NbTi"):
        WiringSet(STAGES, one_line({"part": "coaxco-sc-086-50-nbti-nbti"}))


def test_active_joule_and_fixed_loads_by_hand():
    line = one_line(
        {"part": "coaxco-sc-086-50-ss-ss"},
        attenuation_dB=[0, 20, 0, 10, 20],
        power_W=1e-3,
        duty=0.25,
        current_A=0.01,
        resistance_ohm=[0, 10, 0, 0, 4],
        fixed_W=[0, 5e-3, 0, 0, 0],
    )
    ds = wiring_budget(STAGES, line)
    p = 1e-3 * 0.25
    expected_active = [0, p * 0.99, 0, p * 1e-2 * 0.9, p * 1e-3 * 0.99]
    np.testing.assert_allclose(ds["active_W"].values[0], expected_active, rtol=1e-12, atol=1e-18)
    i2 = 0.01**2
    np.testing.assert_allclose(
        ds["joule_W"].values[0], [i2 * 5, i2 * 5, 0, i2 * 2, i2 * 2], rtol=1e-12
    )
    seg = WiringSet(STAGES, line).passive_per_line()[0]
    net = seg - np.append(seg[1:], 0.0)
    total = net + np.array(expected_active) + ds["joule_W"].values[0] + [0, 5e-3, 0, 0, 0]
    np.testing.assert_allclose(ds["per_line_W"].values[0], total, rtol=1e-12)


def test_counts_margins_and_answers():
    lines = [
        {
            "id": "drive",
            "kind": "drive",
            "count": 40,
            "segments": {"part": "coaxco-sc-086-50-ss-ss"},
            "attenuation_dB": [0, 20, 0, 10, 20],
            "power_W": 1e-4,
            "duty": 0.5,
        },
        {"id": "dc", "kind": "dc", "count": 24, "segments": {"part": "coaxco-sc-219-50-ss-ss"}},
    ]
    ds = wiring_budget(STAGES, lines)
    per = ds["per_line_W"].values
    load = 40 * per[0] + 24 * per[1]
    np.testing.assert_allclose(ds["stage_load_W"].values, load, rtol=1e-12)
    margin = np.array([s["cooling_W"] for s in STAGES]) - load
    np.testing.assert_allclose(ds["margin_W"].values, margin, rtol=1e-12)
    more, stage = more_lines_of(ds, "drive")
    positive = per[0] > 0
    expected = np.floor(margin[positive] / per[0][positive])
    assert more == int(expected.min())
    assert stage == np.array([s["id"] for s in STAGES])[positive][np.argmin(expected)]
    name, frac = limiting_stage(ds)
    k = int(np.argmin(margin / ds["cooling_W"].values))
    assert name == STAGES[k]["id"] and frac == pytest.approx(margin[k] / STAGES[k]["cooling_W"])


def test_an_overloaded_stage_is_named_with_the_excess():
    lines = [{"id": "dc", "count": 3000, "segments": {"part": "coaxco-sc-219-50-ss-ss"}}]
    ds = wiring_budget(STAGES, lines)
    msgs = overloaded_stages(ds)
    assert msgs and all("over by" in m for m in msgs)
    over = [s for s, m in zip(ds["stage"].values, ds["margin_W"].values, strict=True) if m < 0]
    assert [m.split("'")[1] for m in msgs] == list(over)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"duty": 1.5}, "duty"),
        ({"attenuation_dB": [0, 20]}, "attenuation_dB"),
        ({"kind": "laser"}, "kind"),
        ({"count": -1}, "count"),
        ({"segments": [{"part": "coaxco-sc-086-50-ss-ss"}] * 2}, "segments"),
    ],
)
def test_bad_line_fields_are_named(change, field):
    line = {"id": "bad", "segments": {"part": "coaxco-sc-086-50-ss-ss"}, **change}
    with pytest.raises(DesignError, match=f"line 'bad'.*{field}"):
        WiringSet(STAGES, [line])
