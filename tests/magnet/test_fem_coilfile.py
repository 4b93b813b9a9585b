"""Coil-file additions for iron (DESIGN.md "Iron and symmetry"): validation and the B–H catalog."""

import json

import numpy as np
import pytest

from materials_data import DATA_DIR
from solver.errors import DesignError
from solver.magnet import coil_from_dict
from solver.magnet.fem import bh_curve, bh_curve_ids
from solver.magnet.fem.bh import MU0_H_PER_M, table_material
from solver.magnet.fem.magnet import FemMagnet
from tests.magnet.fem_inputs import SOLENOID


def _file(**extra):
    d = {"schema": "cryogen/coil@1", "symmetry": "axisymmetric", "coils": [SOLENOID]}
    d.update(extra)
    return d


def _shell(rid="shell", ri=0.4, ro=0.42, material=None):
    return {
        "id": rid,
        "material": material or {"mu_r": 500.0},
        "shape": {"type": "annulus", "centre_m": [0, 0], "r_inner_m": ri, "r_outer_m": ro},
    }


def test_design_md_example_parses_to_a_fem_magnet():
    d = _file(
        iron=[
            _shell(),
            {
                "id": "yoke",
                "material": "AISI-1010",
                "shape": {
                    "type": "polygon",
                    "points_m": [[0.15, -0.3], [0.2, -0.3], [0.2, 0.3], [0.15, 0.3]],
                },
            },
            {
                "id": "plug",
                "material": {"bh_table_A_per_m_T": [[0, 0], [300, 0.9], [3000, 1.6], [50000, 2.0]]},
                "shape": {
                    "type": "annulus",
                    "centre_m": [0, 0.3],
                    "r_inner_m": 0.0,
                    "r_outer_m": 0.03,
                },
            },
        ],
        background_field_T=[0, 0, 0.002],
    )
    magnet = coil_from_dict(d)
    assert isinstance(magnet, FemMagnet)
    assert [r.id for r in magnet.problem.iron] == ["shell", "yoke", "plug"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"symmetry": None}, ["symmetry", "axisymmetric", "planar"]),
        ({"iron": [_shell(material="steel-X")]}, ["shell", "material", "steel"]),
        ({"iron": [_shell(material={"mu_r": 0.5})]}, ["shell", "mu_r"]),
        (
            {"iron": [_shell(material={"bh_table_A_per_m_T": [[0, 0], [10, 1], [5, 2]]})]},
            ["shell", "increasing"],
        ),
        (
            {"iron": [_shell(material={"bh_table_A_per_m_T": [[1, 0], [10, 1]]})]},
            ["shell", "[0, 0]"],
        ),
        ({"iron": [_shell(ri=0.11, ro=0.13)]}, ["shell", "main", "overlap"]),
        ({"iron": [_shell("a"), _shell("b", 0.41, 0.5)]}, ["'a'", "'b'", "overlap"]),
        ({"background_field_T": [0.1, 0, 0]}, ["background_field_T", "z"]),
        (
            {
                "iron": [
                    {
                        "id": "s",
                        "material": {"mu_r": 2},
                        "shape": {"type": "annulus", "centre_m": [0.1, 0], "r_outer_m": 0.01},
                    }
                ]
            },
            ["'s'", "axis"],
        ),
    ],
)
def test_bad_iron_files_name_the_item_and_field(change, words):
    d = _file(iron=[_shell()])
    d.update(change)
    if d["symmetry"] is None:
        del d["symmetry"]
    with pytest.raises(DesignError) as exc:
        coil_from_dict(d)
    for w in words:
        assert w in str(exc.value)


def test_planar_needs_line_currents_and_empty_coils_need_iron():
    with pytest.raises(DesignError, match="line_current"):
        coil_from_dict(
            {"schema": "cryogen/coil@1", "symmetry": "planar", "coils": [SOLENOID], "iron": []}
        )
    with pytest.raises(DesignError, match="empty"):
        coil_from_dict({"schema": "cryogen/coil@1", "symmetry": "planar", "coils": [], "iron": []})


def test_catalog_curves_carry_sources_and_are_monotone():
    data = json.loads((DATA_DIR / "bh_curves.json").read_text())
    for required in ("AISI-1010", "pure-iron", "M-19", "mu-metal"):
        assert required in bh_curve_ids()
    for entry in data["curves"]:
        assert entry["source"] and entry["found_at"]
        curve = bh_curve(entry["id"])
        h = np.geomspace(1e-2, 1e7, 2000)
        b = curve.b_of_h(h)
        assert np.all(np.diff(b) > 0)
        rows = np.asarray(entry["H_A_per_m_B_T"])
        np.testing.assert_allclose(curve.b_of_h(rows[:, 0]), rows[:, 1], rtol=1e-12, atol=1e-15)


def test_saturation_extension_and_fem_knots_match_the_interpolant():
    curve = table_material([[0, 0], [300, 0.9], [3000, 1.6], [50000, 2.0]])
    js = 2.0 - MU0_H_PER_M * 50000
    assert curve.b_of_h(1e6) == pytest.approx(MU0_H_PER_M * 1e6 + js, rel=1e-14)
    b_k, h_k = curve.h_of_b_knots()
    for cid in ("AISI-1010", "TEAM-13-steel", "M-19"):
        steel = bh_curve(cid)
        sb, sh = steel.h_of_b_knots()
        h = np.linspace(1, steel.h_A_per_m[-1], 20000)
        # piecewise-linear law through 8 PCHIP samples per table interval: B within
        # 2e-3 relative plus 2e-4 T (the first interval of M-19, where B is tiny)
        np.testing.assert_allclose(np.interp(h, sh, sb), steel.b_of_h(h), rtol=2e-3, atol=2e-4)
    # beyond the last knot the line continues B = μ0 H + J_s exactly
    slope = (h_k[-1] - h_k[-2]) / (b_k[-1] - b_k[-2])
    assert slope == pytest.approx(1 / MU0_H_PER_M, rel=1e-9)


def test_cli_field_of_the_iron_yoke_template_uses_the_fem(capsys):
    """`cryogen field` on a file with iron answers by FEM, same JSON; the iron raises the
    centre field above the Biot–Savart value of the winding alone."""
    from cryogen_templates import DESIGNS_DIR
    from solver.cli import main
    from solver.magnet import load_coil_file

    path = str(DESIGNS_DIR / "coils" / "iron_yoke_solenoid.coil.json")
    assert main(["field", path, "--points", "0,0,0;0.01,0.02,0.1", "--json"]) == 0
    b = np.array(json.loads(capsys.readouterr().out)["B_T"])
    assert b.shape == (2, 3)
    # a second solve in the same process agrees to round-off (the sparse factorisation's
    # summation order is not fixed)
    again = load_coil_file(path).field([[0, 0, 0], [0.01, 0.02, 0.1]])
    np.testing.assert_allclose(b, again, rtol=1e-12)
    air = coil_from_dict({"schema": "cryogen/coil@1", "coils": [SOLENOID]}).field([0, 0, 0])[0, 2]
    assert b[0, 2] > 1.05 * air
    # axisymmetric answer in global coordinates: B_r along (x, y)/r
    assert b[1, 1] == pytest.approx(2 * b[1, 0], rel=1e-9)


def test_cli_bad_iron_file_exits_2(tmp_path, capsys):
    from solver.cli import main

    bad = _file(iron=[_shell(ri=0.11, ro=0.13)])
    path = tmp_path / "bad.coil.json"
    path.write_text(json.dumps(bad))
    assert main(["field", str(path), "--points", "0,0,0", "--json"]) == 2
    err = capsys.readouterr().err
    assert "shell" in err and "main" in err


def test_mesh_is_cached_by_geometry_not_by_currents_or_materials():
    from solver.magnet.fem import fem_problem_from_dict, solve
    from solver.magnet.fem.geometry import geometry_key

    base = {
        "schema": "cryogen/coil@1",
        "symmetry": "axisymmetric",
        "coils": [],
        "iron": [_shell(ri=0.1, ro=0.12)],
        "background_field_T": [0, 0, 0.01],
        "mesh": {"max_size_m": 0.03},
    }
    first = solve(fem_problem_from_dict(base))
    other_material = {
        **base,
        "iron": [_shell(ri=0.1, ro=0.12, material="AISI-1010")],
        "background_field_T": [0, 0, 0.5],
    }
    second = solve(fem_problem_from_dict(other_material))
    assert second.report.mesh_cached
    assert first.report.unknowns == second.report.unknowns
    moved = {**base, "iron": [_shell(ri=0.1, ro=0.13)]}
    assert geometry_key(fem_problem_from_dict(moved)) != geometry_key(fem_problem_from_dict(base))


def test_mesh_field_is_refused_without_fem():
    with pytest.raises(DesignError, match="mesh"):
        coil_from_dict({"schema": "cryogen/coil@1", "coils": [SOLENOID], "mesh": {"order": 2}})
