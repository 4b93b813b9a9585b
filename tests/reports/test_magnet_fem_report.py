"""The magnet report of a coil file with iron takes the finite-element path.

The yoked-dipole template with its iron set to ``mu_r: 1`` (and a coarse mesh, to keep the
solves to about a second each) is four line currents in air: the peak field on each
conductor, the short-sample current of its straight load line and the field harmonics have
closed forms (the field of an infinite line current, μ0 I / 2π d), against which the
report's FEM numbers are checked. (The real, saturating yoke is solved by the app's tests;
here one render of about 20 s covers the report's FEM path.)
"""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
from scipy import optimize

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.cli import main
from solver.magnet import coil_from_dict

MU0 = 4e-7 * math.pi  # vacuum permeability, H/m (to 1e-10 after the 2019 SI redefinition)
POLE_GAP_HALF_M = 0.05  # the template's pole faces at y = ±50 mm bound the free aperture
PRINTED_5 = 5e-5  # half a unit in the 5th significant figure, at worst (leading digit 1)
PRINTED_4 = 5e-4  # ... in the 4th
PRINTED_3 = 1.5e-3  # ... in the 3rd, for the smallest harmonic checked (b_5 ≈ 34.2)


def _air_dipole(tmp_path):
    design = json.loads((DESIGNS_DIR / "yoked-dipole.cryo.json").read_text())
    coil = next(c for c in design["components"] if c["type"] == "magnet")["coil"]
    for region in coil["iron"]:
        region["material"] = {"mu_r": 1.0}
    coil["mesh"] = {"max_size_m": 0.05}
    path = tmp_path / "air-dipole.cryo.json"
    path.write_text(json.dumps(design))
    return path, coil


def _report_text(path) -> str:
    s = path.read_text()
    s = re.sub(r"<(script|style)\b.*?</\1>", " ", s, flags=re.DOTALL)
    s = re.sub(r"<[^>]+>", " ", s)
    return re.sub(r"\s+", " ", html.unescape(s))


def _render_with_coil(tmp_path, design_name: str, coil: dict) -> tuple[str, str]:
    """The magnet report (HTML, and its text) of the template design ``design_name`` with
    its magnet component's coil file replaced by ``coil``."""
    design = json.loads((DESIGNS_DIR / design_name).read_text())
    component = next(c for c in design["components"] if c["type"] == "magnet")
    component["coil"] = coil
    path = tmp_path / "magnet.cryo.json"
    path.write_text(json.dumps(design))
    out = tmp_path / "magnet.html"
    assert main(["report", str(path), "-o", str(out)]) == 0
    return out.read_text(), _report_text(out)


def _numbers(text: str, label: str, count: int) -> np.ndarray:
    """The ``count`` numbers printed after ``label`` in the report's text."""
    number = r"(-?[0-9.]+(?:e[+-]?[0-9]+)?)"
    found = re.search(re.escape(label) + r"\s+" + r"\s+".join([number] * count), text)
    assert found, f"{label!r} not in the report"
    return np.array([float(v) for v in found.groups()])


def _line_field(point, coils) -> np.ndarray:
    """(B_x, B_y) in tesla of infinite line currents along z at ``point`` (x, y), m."""
    b = np.zeros(2)
    for c in coils:
        d = np.asarray(point) - c["position_m"]
        b += MU0 * c["current_A"] / (2 * math.pi * (d @ d)) * np.array([-d[1], d[0]])
    return b


def test_report_of_a_coil_file_with_iron_uses_the_fem(tmp_path):
    path, coil = _air_dipole(tmp_path)
    out = tmp_path / "dipole.html"
    assert main(["report", str(path), "-o", str(out)]) == 0
    text = _report_text(out)

    # the solve: the same problem solved here gives the same mesh and Newton steps
    magnet = coil_from_dict(coil)
    solution = magnet.solution
    assert (
        f"planar, {solution.report.unknowns} unknowns, "
        f"{solution.report.newton_steps} Newton steps" in text
    )
    # line currents in the plane have an infinite energy: the report says so, no inductance
    assert "infinite with a background field or line currents" in text
    assert "inductance (series" not in text
    assert "Peak fields and load line from finite elements" in text

    # peak field on each conductor's surface (radius a): the maximum over the surface of the
    # closed-form field of all four lines (the FEM's own-line field is exact, μ0 I/2πa; the
    # others' reach it through the mesh)
    a = coil["conductor"]["wire_radius_m"]
    theta = np.linspace(0, 2 * math.pi, 3600, endpoint=False)
    ring = a * np.column_stack([np.cos(theta), np.sin(theta)])
    expected_peak = np.array(
        [
            max(np.linalg.norm(_line_field(c["position_m"] + p, coil["coils"])) for p in ring)
            for c in coil["coils"]
        ]
    )
    peak = _numbers(text, "peak field on the conductor (T)", 4)
    # mu_r = 1: the FEM adds nothing to the lines' exact field (measured 5e-6 off); the
    # report prints 4 significant figures, at worst 5e-4 relative
    np.testing.assert_allclose(peak, expected_peak, rtol=PRINTED_4)

    # short-sample current: the straight load line B = (B_peak/I)·I meets Ic(B) at T_op
    conductor = magnet.conductor
    t_op = coil["operating_temperature_K"]
    slope = expected_peak[0] / abs(coil["coils"][0]["current_A"])
    i_ss = optimize.brentq(
        lambda i: i - float(conductor.critical_current_A(slope * i, t_op)), 1.0, 1e6
    )
    reported = _numbers(text, "short-sample current (A)", 4)
    np.testing.assert_allclose(reported, i_ss, rtol=PRINTED_4)

    # harmonics at r_ref = 2/3 of the free aperture (the pole gap): for line currents at
    # w = x + iy, B_n + i A_n = −μ0 I r_ref^(n−1) / (2π w^n) (Laurent series of 1/(z − w))
    r_ref = 2 / 3 * POLE_GAP_HALF_M
    assert f"r_ref = {r_ref * 1e3:.4g} mm" in text
    n = np.arange(1, 7)
    c_n = sum(
        -MU0 * c["current_A"] * r_ref ** (n - 1) / (2 * math.pi * complex(*c["position_m"]) ** n)
        for c in coil["coils"]
    )
    b_ref = float(re.search(r"B_ref = ([0-9.]+) T", text).group(1))
    np.testing.assert_allclose(b_ref, abs(c_n[0]), rtol=PRINTED_5)
    table = _numbers(text, "a_n (skew, units) n", 18).reshape(6, 3)
    assert list(table[:, 0]) == list(n)
    # printed to 3 significant figures: b_3 ≈ 702 to ±0.5, b_5 ≈ 34.2 to ±0.05 (1.5e-3);
    # the even and skew ones vanish by symmetry (printed as round-off, < 1e-6 units)
    np.testing.assert_allclose(table[::2, 1], 1e4 * c_n.real[::2] / abs(c_n[0]), rtol=PRINTED_3)
    assert np.all(np.abs(table[1::2, 1]) < 1e-6) and np.all(np.abs(table[:, 2]) < 1e-6)
