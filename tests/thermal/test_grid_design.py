"""body_from_dict: a design-file body entry, and the errors bad input gets."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from solver import materials
from solver.errors import DesignError, PropertyRangeError, SolverError, UnknownNameError
from solver.thermal.grid import (
    Box,
    ConductionBody,
    FixedTemperature,
    HeatFlux,
    Patch,
    body_from_dict,
)
from tests.thermal.grid_cases import LinearK

ENTRY = {
    "name": "plate",
    "spacing_m": 0.005,
    "geometry": [
        {"type": "box", "material": "OFHC-Cu-RRR100", "min_m": [0, 0, 0], "max_m": [0.1, 0.02, 0.01]},
        {"type": "cylinder", "material": "SS304", "center_m": [0.12, 0.01, 0.005],
         "radius_m": 0.005, "length_m": 0.04, "axis": "x"},
        {"type": "box", "material": None, "min_m": [0.04, 0, 0], "max_m": [0.05, 0.01, 0.01]},
    ],
    "patches": [
        {"id": "warm", "side": "x-", "node": "shield"},
        {"id": "cold", "side": "x+", "node": "plate"},
        {"id": "sky", "side": "y+", "emissivity": 0.05, "environment_K": 300.0},
        {"id": "pad", "side": "z+", "power_W": 0.01, "min_m": [0, 0, 0], "max_m": [0.02, 0.02, 1]},
    ],
    "sources": [{"id": "chip", "min_m": [0.06, 0, 0], "max_m": [0.08, 0.02, 0.01], "power_W": 0.1}],
}  # fmt: skip


def test_entry_builds_a_coupled_body_that_conserves_energy():
    body = body_from_dict(ENTRY)
    assert body.terminals == ["shield", "plate"]
    assert body.material_names == ["OFHC-Cu-RRR100", "SS304"]
    Q, J = body.terminal_response(np.array([40.0, 4.0]))
    ds = body.solve_steady({"shield": 40.0, "plate": 4.0})
    # heat reaching the two nodes = sources + pad + radiation in (steady energy balance)
    other = float(ds.patch_heat_W.sel(patch=["sky", "pad"]).sum()) + float(ds.source_W)
    # The net 0.14 W is the difference of two ~585 W terminal flows, so it is checked on the
    # scale of that throughput: the Krylov solve balances every cell to ~1e-11 of it (the
    # result's energy_balance_W); 1e-10 of the throughput leaves room for the solver version.
    assert Q.sum() == pytest.approx(other, abs=1e-10 * np.abs(Q).sum())
    assert J.shape == (2, 2) and J[0, 0] < 0 and J[1, 1] < 0


def _broken(path, value):
    d = copy.deepcopy(ENTRY)
    target = d
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("spacing_m",), KeyError, r"body: missing field\(s\) spacing_m"),
        (("spacing_m",), -1.0, "spacing_m must be a number > 0"),
        (("colour",), "red", r"unknown field\(s\) colour"),
        (("geometry",), [], "body.geometry must be a non-empty list"),
        (("geometry", 0, "type"), "sphere", r"body.geometry\[0\].type must be 'box' or 'cylinder'"),
        (("geometry", 1, "radius_m"), -0.01, r"body.geometry\[1\].*radius_m must be a number > 0"),
        (("geometry", 1, "axis"), "w", "axis must be one of x, y, z"),
        (("geometry", 0, "max_m"), [0.1, 0.02], r"body.geometry\[0\].*3 finite numbers"),
        (("geometry", 0, "max_m"), [-1, 0.02, 0.01], "must exceed min_m"),
        (("patches", 0, "side"), "top", "side must be one of x-, x\\+"),
        (("patches", 0, "temperature_K"), 4.0, "exactly one condition"),
        (("patches", 2, "environment_K"), KeyError, "emissivity needs environment_K"),
        (("patches", 2, "emissivity"), 1.5, r"emissivity must be in \(0, 1\]"),
        (("patches", 3, "min_m"), [0, 0, 0.5], "patch 'pad': no exposed face on side z\\+"),
        (("patches", 1, "id"), "warm", "patch ids must be unique"),
        (("sources", 0, "power_W"), "lots", "source 'chip' power_W must be a finite number"),
        (("sources", 0, "min_m"), [1, 1, 1], "source 'chip': max_m must not be below min_m"),
    ],
)
def test_bad_entry_names_the_field(path, value, message):
    with pytest.raises(DesignError, match=message):
        body_from_dict(_broken(path, value))


def test_unknown_material_lists_closest_ids():
    with pytest.raises(UnknownNameError, match=r"body.geometry\[0\].material.*OFHC-Cu-RRR100"):
        body_from_dict(_broken(("geometry", 0, "material"), "OFHC-Cu-RR100"))


def test_overlapping_patches_are_refused():
    d = copy.deepcopy(ENTRY)
    d["patches"].append({"id": "again", "side": "x-", "temperature_K": 10.0})
    with pytest.raises(DesignError, match="patch 'again' overlaps patch 'warm'"):
        body_from_dict(d)


def test_missing_terminal_temperature_is_named():
    body = body_from_dict(ENTRY)
    with pytest.raises(DesignError, match=r"no temperature given for node\(s\) plate"):
        body.solve_steady({"shield": 40.0})


def test_floating_piece_is_a_solver_error_naming_where():
    body = ConductionBody(
        [Box((0, 0, 0), (0.01, 0.01, 0.01), LinearK()), Box((0.02, 0, 0), (0.03, 0.01, 0.01), LinearK())],
        0.005,
        [Patch("fix", "x-", FixedTemperature(10.0), max_m=(0.001, 1, 1)),
         Patch("heat", "x+", HeatFlux(power_W=1.0))],
    )  # fmt: skip
    with pytest.raises(SolverError, match=r"cell at \[0\.0225.*touches no fixed-temperature"):
        body.solve_steady()


def test_temperature_outside_a_materials_range_is_refused():
    g10 = materials.get("G10-normal")
    _lo, hi = g10.supported_range_K

    def strip(watts):
        return ConductionBody(
            [Box((0, 0, 0), (0.05, 0.005, 0.005), g10)],
            0.005,
            [Patch("cold", "x-", FixedTemperature(290.0)),
             Patch("hot", "x+", HeatFlux(power_W=watts))],
        )  # fmt: skip

    # 10 mW through 25 mm² of G10 (k ≈ 0.6 W/(m K)) over 50 mm heats the tip ~35 K:
    # past the 315 K top of the supported range, inside the tables
    with pytest.raises(PropertyRangeError, match=f"G10-normal: k requested at 3.*-{hi:g} K"):
        strip(0.01).solve_steady()
    # 0.1 W would go past the 400 K top of the tables: Newton says where it was heading
    with pytest.raises(SolverError, match="past the property tables"):
        strip(0.1).solve_steady()
