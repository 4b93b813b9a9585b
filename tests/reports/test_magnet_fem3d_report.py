"""The magnet report of a 3-D coil file (``"symmetry": "none"``) renders its field map, the
solve and the forces and inductances of its coils.

Two coaxial loops between two plates of μr = 1 (a quarter model with a coarse mesh: one
solve of about a second): the iron then adds nothing, so the printed force between the
loops, their flux linkages and the stored energy have closed forms (Maxwell's mutual
inductance of coaxial circles, Rosa's round-wire loop), computed here with scipy.
"""

from __future__ import annotations

import math
import re

import numpy as np
from scipy.special import ellipe, ellipk

from solver.magnet import coil_from_dict
from tests.reports.test_magnet_fem_report import _render_with_coil

MU0 = 4e-7 * math.pi  # vacuum permeability, H/m (to 1e-10 after the 2019 SI redefinition)
PRINTED_3 = 5e-3  # half a unit in the 3rd significant figure, at worst (leading digit 1)
WIRE_M = 5e-4
PREFIX = {"": 1.0, "k": 1e3, "m": 1e-3, "µ": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15}
LOOPS = [  # (id, radius m, z m, current A)
    ("a", 0.05, 0.0, 1000.0),
    ("b", 0.03, 0.015, 500.0),
]


def _coil_file() -> dict:
    def plate(name, z0, z1):
        box = [[[-0.08, -0.08, z0], [0.08, 0.08, z1]]]
        return {"id": name, "material": {"mu_r": 1.0}, "shape": {"type": "boxes", "boxes_m": box}}

    return {
        "schema": "cryogen/coil@1",
        "symmetry": "none",
        "coils": [
            {"id": i, "type": "loop", "radius_m": r, "current_A": c, "center_m": [0, 0, z]}
            for i, r, z, c in LOOPS
        ],
        "conductor": {
            "superconductor": "NbTi",
            "cu_to_sc": 7.0,
            "area_m2": math.pi * WIRE_M**2,
            "wire_radius_m": WIRE_M,
        },
        "iron": [plate("low", -0.04, -0.02), plate("high", 0.035, 0.055)],
        "mesh": {
            "max_size_m": 0.02,
            "air_margin_m": 0.1,
            "mirror_planes": {"x": "B_tangential", "y": "B_tangential"},
        },
    }


def _maxwell_m(a, b, d):
    """Mutual inductance of coaxial circles of radii a, b at distance d (Maxwell), H."""
    m = 4 * a * b / ((a + b) ** 2 + d**2)
    k = math.sqrt(m)
    return MU0 * math.sqrt(a * b) * ((2 / k - k) * ellipk(m) - 2 / k * ellipe(m))


def _rosa(a):
    """Round-wire loop of radius a, wire radius WIRE_M: μ0 a (ln(8a/r) − 7/4), H."""
    return MU0 * a * (math.log(8 * a / WIRE_M) - 1.75)


def _si(text: str, label: str, unit: str, count: int = 1) -> np.ndarray:
    """The ``count`` SI-prefixed values in ``unit`` printed after ``label``."""
    value = r"([-−]?[0-9.]+(?:e[+-]?[0-9]+)?) ?([kmµnpf]?)" + re.escape(unit)
    found = re.search(re.escape(label) + r"\W+?" + r"\W+?".join([value] * count), text)
    assert found, f"{label!r} not in the report"
    g = found.groups()
    number = [float(g[2 * i].replace("−", "-")) for i in range(count)]
    return np.array([v * PREFIX[g[2 * i + 1]] for i, v in enumerate(number)])


def test_report_of_a_3d_coil_file_shows_forces_and_inductance(tmp_path):
    raw, text = _render_with_coil(tmp_path, "yoked-dipole.cryo.json", _coil_file())

    solution = coil_from_dict(_coil_file()).solution  # the same mesh (cached) and steps
    assert (
        f"3-D, {solution.report.unknowns} unknowns, {solution.report.newton_steps} Newton steps"
        in text
    )
    assert "|B| on the plane y = 0 m (through the centre of the iron)" in text
    assert raw.count("data:image/svg+xml;base64,") >= 1  # the field map
    assert "not for a 3-D one" in text  # margins refused, not computed wrongly

    (_, ra, za, ia), (_, rb, zb, ib) = LOOPS
    d = zb - za
    m = _maxwell_m(ra, rb, d)
    h = 1e-6
    dm_dd = (_maxwell_m(ra, rb, d + h) - _maxwell_m(ra, rb, d - h)) / (2 * h)
    # force on b along z: I_a I_b ∂M/∂d (attraction, negative: same-sense currents)
    for coil, fz in (("a", -ia * ib * dm_dd), ("b", ia * ib * dm_dd)):
        f = _si(text, f"force on coil {coil} (x, y, z)", "N", 3)
        assert f[0] == 0 and f[1] == 0  # cancelled by the mirror images
        np.testing.assert_allclose(f[2], fz, rtol=PRINTED_3)
    la, lb = _rosa(ra), _rosa(rb)
    psi = {"a": la * ia + m * ib, "b": lb * ib + m * ia}
    for coil, current in (("a", ia), ("b", ib)):
        np.testing.assert_allclose(
            _si(text, f"flux linkage of coil {coil}", "Wb"), psi[coil], rtol=PRINTED_3
        )
        np.testing.assert_allclose(
            _si(text, f"inductance Ψ/I of coil {coil}", "H"), psi[coil] / current, rtol=PRINTED_3
        )
    energy = 0.5 * (la * ia**2 + lb * ib**2) + m * ia * ib
    np.testing.assert_allclose(_si(text, "stored energy ∫∫H·dB dV", "J"), energy, rtol=PRINTED_3)
