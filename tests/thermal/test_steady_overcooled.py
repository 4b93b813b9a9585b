"""A cooler that removes more than can flow in: the error says so, with the excess."""

import re

import pytest
from scipy.integrate import quad

import solver
from solver import materials
from solver.errors import SolverError


def test_a_cooler_stronger_than_every_heat_path_is_named_with_its_excess():
    design = {
        "schema": "cryogen/design@1",
        "name": "over-cooled stage",
        "components": [
            {"id": "warm", "type": "boundary", "temperature_K": 300.0},
            {"id": "plate", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 1.0},
            {"id": "cooler", "type": "constant_cooler", "stage": "plate", "power_W": 1.0},
        ],
        "links": [
            {
                "id": "rod",
                "type": "conductor",
                "from": "warm",
                "to": "plate",
                "material": "SS304",
                "length_m": 0.1,
                "area_m2": 1e-5,
            },
        ],
    }
    with pytest.raises(SolverError) as info:
        solver.steady_state(design)
    message = str(info.value)
    assert "remove" in message and "more than can flow into it" in message
    assert "'plate'" in message and "Newton" not in message
    # the most the rod can carry is (A/L)∫k dT from the 1 mK floor to 300 K (scipy quad of
    # the fit, independent of the solver's tables); 3 significant figures are printed
    k = materials.get("SS304").k
    inflow = 1e-5 / 0.1 * quad(lambda t: float(k(t)), 1e-3, 300.0, limit=400, epsrel=1e-10)[0]
    excess = float(re.search(r"remove ([0-9.e-]+) W", message).group(1))
    assert excess == pytest.approx(1.0 - inflow, rel=5e-3)
