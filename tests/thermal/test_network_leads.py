"""Current leads and baths in the network: end flows, energy balance with Joule heat, boil-off."""

from __future__ import annotations

import pytest
from CoolProp.CoolProp import PropsSI
from scipy import integrate

import solver
from solver.design import from_dict
from solver.errors import DesignError
from solver.materials._resistivity import copper_resistivity
from solver.thermal import leads
from solver.thermal.results import summary_dict

LEAD = {
    "id": "lead",
    "type": "current_lead",
    "from": "room",
    "to": "lhe",
    "material": "OFHC-Cu-RRR100",
    "current_A": 100.0,
    "length_m": 0.5,
    "area_m2": 1e-5,
    "count": 2,
}


def design(*links, pressure=101325.0):
    return {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "room", "type": "boundary", "temperature_K": 300.0},
            {"id": "lhe", "type": "bath", "fluid": "He", "pressure_Pa": pressure, "volume_L": 100},
            {"id": "plate", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 1.0},
        ],
        "links": [
            {
                "id": "strap",
                "type": "strap",
                "from": "plate",
                "to": "lhe",
                "material": "OFHC-Cu-RRR100",
                "length_m": 0.1,
                "area_m2": 1e-5,
            },
            *links,
        ],
    }


def test_bath_temperature_and_boil_off_from_coolprop():
    ds = solver.steady_state(design(LEAD, pressure=120000.0))
    out = summary_dict(ds)
    T_sat = PropsSI("T", "P", 120000.0, "Q", 0, "Helium")
    assert out["temperatures_K"]["lhe"] == pytest.approx(T_sat, rel=1e-12)
    h_fg = PropsSI("H", "P", 120000.0, "Q", 1, "Helium") - PropsSI(
        "H", "P", 120000.0, "Q", 0, "Helium"
    )
    rho_l = PropsSI("D", "P", 120000.0, "Q", 0, "Helium")
    load = out["stage_loads_W"]["lhe"]
    assert out["boil_off_L_per_day"]["lhe"] == pytest.approx(
        load / (h_fg * rho_l) * 1e3 * 86400, rel=1e-12
    )


def test_lead_end_flows_balance_joule_heat():
    """Heat leaving the warm node + Joule heat = heat arriving at the bath (energy conservation)."""
    ds = solver.steady_state(design(LEAD))
    ends = summary_dict(ds)["link_end_flows_W"]
    q_from, q_to = ends["lead"]["from"], ends["lead"]["to"]
    assert summary_dict(ds)["heat_flows_W"]["lead"] == q_to
    assert ends["strap"]["from"] == ends["strap"]["to"]
    # Joule heat of the solved profile (the standalone solver's profile), trapezoid rule
    single = leads.Lead("l", leads.lead_material("OFHC-Cu-RRR100"), 100.0, 0.5, 1e-5)
    e = single.ends(float(ds.temperature.sel(node="lhe")), 300.0)
    x = single.length_m / (e.profile_K.size - 1)
    joule = 2 * 100.0**2 / 1e-5 * integrate.trapezoid(copper_resistivity(e.profile_K, 100.0), dx=x)
    assert q_from + joule == pytest.approx(q_to, rel=1e-3)  # trapezoid on 64 segments


def test_zero_current_lead_is_a_conductor():
    lead = dict(LEAD, current_A=0.0)
    rod = {k: v for k, v in LEAD.items() if k not in ("current_A",)} | {
        "type": "conductor",
        "id": "rod",
    }
    a = summary_dict(solver.steady_state(design(lead)))["heat_flows_W"]["lead"]
    b = summary_dict(solver.steady_state(design(rod)))["heat_flows_W"]["rod"]
    assert a == pytest.approx(b, rel=1e-6)


def test_bath_below_lambda_point_refused():
    with pytest.raises(DesignError, match="'lhe', field 'pressure_Pa'"):
        solver.steady_state(from_dict(design(LEAD, pressure=3000.0)))


def test_lead_needs_geometry_or_optimal_shape():
    bad = {k: v for k, v in LEAD.items() if k != "area_m2"}
    with pytest.raises(DesignError, match="optimal"):
        from_dict(design(bad))


def test_brass_lead_refused_naming_the_field():
    with pytest.raises(DesignError, match=r"'lead', field 'material'.*only copper"):
        from_dict(design(dict(LEAD, material="Brass")))


def test_hts_section_flags_current_sharing():
    """A REBCO section whose critical current at its warm end is below the lead current is flagged."""
    hts = {
        "id": "hts",
        "type": "current_lead",
        "from": "plate",
        "to": "lhe",
        "material": "SS304",
        "current_A": 100.0,
        "length_m": 0.2,
        "area_m2": 1e-6,
        "superconductor": "REBCO",
        "superconductor_area_m2": 1e-10,
        "field_T": 0.1,
    }
    d = design(hts)
    d["links"].append(
        {
            "id": "warm",
            "type": "conductor",
            "from": "room",
            "to": "plate",
            "material": "SS304",
            "length_m": 0.1,
            "area_m2": 1e-5,
        }
    )
    ds = solver.steady_state(d)
    assert "current sharing" in ds.attrs["flags"]
    ends = summary_dict(ds)["link_end_flows_W"]["hts"]
    assert ends["from"] == pytest.approx(ends["to"], rel=1e-9)  # no Joule heat modelled
