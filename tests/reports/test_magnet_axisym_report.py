"""The magnet report of an axisymmetric coil file with iron takes the finite-element path.

The solenoid of ``iron_yoke_solenoid.coil.json`` in its flux-return pot, with the pot set to
``mu_r: 1`` and the NbTi strand and 4.2 K of ``nbti_solenoid.coil.json``: the iron then adds
nothing and the thick solenoid in air has closed forms or one-line quadratures for every
field number the report prints (its field on the axis, Montgomery; the field of a loop,
Smythe; Maxwell's mutual inductance of coaxial circles for its inductance), computed here
with scipy. One render of about 20 s covers the report's
axisymmetric FEM path; the real, saturating pot is solved by the solver's tests.

Each number is checked to half a unit in its last printed digit plus the FEM's error with
μr = 1 on this mesh (measured against the same references, stated at each check).
"""

from __future__ import annotations

import base64
import json
import math
import re

import numpy as np
from scipy import integrate, optimize
from scipy.special import ellipe, ellipk

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.reports.magnet import iron_material_text
from solver.magnet import coil_from_dict
from tests.reports.test_magnet_fem3d_report import _maxwell_m
from tests.reports.test_magnet_fem_report import _render_with_coil

MU0 = 4e-7 * math.pi  # vacuum permeability, H/m (to 1e-10 after the 2019 SI redefinition)
FIVE_GAUSS_T = 5e-4  # 1 G = 1e-4 T (CGS definition)
MESH_M = 0.005  # 4 elements across the 20 mm winding: ~18k unknowns, ~0.2 s a solve
FIELD_RTOL = 1e-10  # QUADPACK relative tolerance of the loop-field sums (midplane_field)


def _coil_file() -> dict:
    coils = DESIGNS_DIR / "coils"
    coil = json.loads((coils / "iron_yoke_solenoid.coil.json").read_text())
    strand = json.loads((coils / "nbti_solenoid.coil.json").read_text())
    for region in coil["iron"]:
        region["material"] = {"mu_r": 1.0}
    coil["mesh"] = {"max_size_m": MESH_M}
    coil["conductor"] = strand["conductor"]
    coil["operating_temperature_K"] = strand["operating_temperature_K"]
    return coil


def _half_unit(value: float, digits: int) -> float:
    """Half a unit in the last of ``digits`` significant figures of ``value``: the rounding
    of a number printed with ``:.{digits}g`` (trailing zeros dropped, so not read off the
    text)."""
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)


def _check(printed: float, expected: float, digits: int, fem_rtol: float) -> None:
    """``printed`` (to ``digits`` significant figures) is ``expected`` within its rounding
    plus the FEM error ``fem_rtol`` (relative)."""
    tol = _half_unit(expected, digits) + fem_rtol * abs(expected)
    assert abs(printed - expected) <= tol, (printed, expected, tol)


class ThickSolenoid:
    """A solenoid of radii a < b and length ℓ centred on the origin, N turns of current I
    spread uniformly over its cross-section (J = NI/((b − a)ℓ))."""

    def __init__(self, d: dict):
        self.a, self.b = d["inner_radius_m"], d["outer_radius_m"]
        self.length, self.turns, self.current = d["length_m"], d["turns"], d["current_A"]
        self.j = self.turns * self.current / ((self.b - self.a) * self.length)

    def axis_field(self, z: float) -> float:
        """B_z (T) on the axis at z (m): the closed form of the thick solenoid,
        B = μ0J/2 · Σ± ±(z ± ℓ/2) ln[(b + √(b² + (z ± ℓ/2)²)) / (a + √(a² + (z ± ℓ/2)²))]
        (D. B. Montgomery, Solenoid Magnet Design, Wiley 1969, eq. 1-8; at z = 0 it is
        μ0NI/(2(b − a)) · ln[(b + √(b² + ℓ²/4)) / (a + √(a² + ℓ²/4))], the central field
        μ0 J a F(α, β) of M. N. Wilson, Superconducting Magnets, OUP 1983, ch. 2)."""

        def term(s):
            return s * math.log((self.b + math.hypot(self.b, s)) / (self.a + math.hypot(self.a, s)))

        return MU0 * self.j / 2 * (term(z + self.length / 2) - term(z - self.length / 2))

    def midplane_field(self, r: float) -> float:
        """B_z (T) at radius r ∉ (a, b) in the mid-plane: the loop field (Smythe) summed
        over the cross-section by QUADPACK (the kernel's log singularity at r = a, z' = 0
        lies on a corner of the domain, where the extrapolation handles it)."""
        value, err = integrate.dblquad(
            lambda z, radius: _loop_bz(radius, r, z),
            self.a,
            self.b,
            0.0,
            self.length / 2,
            epsabs=0.0,
            epsrel=FIELD_RTOL,
        )
        assert err <= 1e-8 * abs(value)
        return 2 * self.j * value  # the halves z' < 0 and z' > 0 are mirror images

    def inductance(self) -> float:
        """L (H): Maxwell's mutual inductance of two coaxial circles (Smythe §8.05)
        averaged over pairs of points of the cross-section,
        L = (N/A)² ∫∫ dr₁ dr₂ ∫₋ℓ^ℓ (ℓ − |u|) M(r₁, r₂, u) du (the axial offset
        u = z₁ − z₂ of two uniform z has density ℓ − |u|). By symmetry in u and r₁ ↔ r₂
        it is 4 (N/A)² ∫_a^b dr₁ ∫_a^r₁ dr₂ ∫_0^ℓ, which puts the log singularity of M at
        r₁ = r₂, u = 0 on the edges of the domain; the u range is split at u = r₁ − r₂, the
        width of M's peak. Nested QUADPACK at relative tolerance 1e-9 agrees with 1e-12 to
        1e-13 (measured)."""
        a, b, ell = self.a, self.b, self.length

        def over_u(r2, r1):
            return integrate.quad(
                lambda u: (ell - u) * _maxwell_m(r1, r2, u),
                0.0,
                ell,
                points=[min(r1 - r2, ell / 2)],
                epsabs=0.0,
                epsrel=1e-9,
            )[0]

        def over_r2(r1):
            return integrate.quad(over_u, a, r1, args=(r1,), epsabs=0.0, epsrel=1e-9)[0]

        value = integrate.quad(over_r2, a, b, epsabs=0.0, epsrel=1e-9)[0]
        return 4 * (self.turns / ((b - a) * ell)) ** 2 * value


def _loop_bz(radius: float, r: float, z: float) -> float:
    """B_z (T) per ampere of a circular loop of ``radius`` at (r, z) from its centre:
    μ0/(2π√((R + r)² + z²)) · [K(m) + (R² − r² − z²)/((R − r)² + z²) · E(m)],
    m = 4Rr/((R + r)² + z²) (W. R. Smythe, Static and Dynamic Electricity, 3rd ed. 1968,
    §7.10)."""
    s2 = (radius + r) ** 2 + z * z
    m = 4 * radius * r / s2
    d2 = (radius - r) ** 2 + z * z
    return (
        MU0
        / (2 * math.pi * math.sqrt(s2))
        * (ellipk(m) + (radius**2 - r * r - z * z) / d2 * ellipe(m))
    )


def _svg_images(raw: str) -> list[str]:
    """The report's embedded SVG figures, decoded."""
    return [
        base64.b64decode(m).decode()
        for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", raw)
    ]


NUMBER = r"(-?[0-9.]+(?:e[+-]?[0-9]+)?)"


def _values(text: str, label: str, count: int = 1, unit: str = "") -> np.ndarray:
    """Every ``count`` numbers printed after ``label`` (one row each), separated by spaces or
    "…", the last followed by ``unit`` (with an SI prefix m or k when ``unit`` is given);
    shape (rows, count)."""
    prefixed = rf" ?([mk]?){re.escape(unit)}\b" if unit else ""
    pattern = re.escape(label) + r" " + r" (?:… )?".join([NUMBER] * count) + prefixed
    rows = re.findall(pattern, text)
    assert rows, f"{label!r} not in the report"
    scale = {"": 1.0, "m": 1e-3, "k": 1e3}
    out = []
    for row in rows:
        row = row if isinstance(row, tuple) else (row,)
        numbers = [float(v) for v in row[:count]]
        out.append([v * scale[row[count]] for v in numbers] if unit else numbers)
    return np.array(out)


def test_report_of_an_axisymmetric_coil_file_with_iron_uses_the_fem(tmp_path):
    raw, text = _render_with_coil(tmp_path, "nbti-magnet-cryostat.cryo.json", _coil_file())

    # the axisymmetric FEM path: the same problem solved here has the same mesh (cached)
    # and Newton steps
    magnet = coil_from_dict(_coil_file())
    report = magnet.solution.report
    assert (
        "Finite-element coil file, axisymmetric symmetry; iron: shell (μr = 1), "
        "top_plate (μr = 1), bottom_plate (μr = 1)" in text
    )
    assert f"axisymmetric, {report.unknowns} unknowns, {report.newton_steps} Newton steps" in text
    assert "Peak fields and load line from finite elements" in text
    assert "harmonics are for planar (2-D) magnets" in text
    # the field map: |B| in the r–z plane (drawn as x = ±r) with its flux lines (contours of
    # r·A_φ), the pot and the winding; the 5-gauss line lies beyond it (1.17 m, below)
    maps = [s for s in _svg_images(raw) if "flux lines (white)" in s]
    assert len(maps) == 1
    assert "|B| on the xz plane" in maps[0] and "QuadContourSet" in maps[0]
    assert "windings (cyan)" in maps[0] and "5-gauss line off the map" in maps[0]

    coil = ThickSolenoid(_coil_file()["coils"][0])
    ic = magnet.conductor.critical_current_A
    t_op = magnet.operating_temperature_K

    # central field, printed to 5 significant figures; the FEM is 4.1e-5 low (measured)
    b0 = coil.axis_field(0.0)
    _check(_values(text, "central field B0", unit="T")[0, 0], b0, 5, 1e-4)
    # extremes of B_z on the sphere of the report's default radius (a quarter of the inner
    # radius): its poles on the axis (closed form) and its equator (loops); the Fibonacci
    # points nearest the poles lie 1.8° off them, 1.1e-5 higher. FEM +1.8e-5 and +4.1e-5
    # (measured)
    radius = 0.25 * coil.a
    bmin, bmax = _values(text, "B min … max on the sphere", 2, "T")[0]
    _check(bmin, coil.axis_field(radius), 5, 1e-4)
    _check(bmax, coil.midplane_field(radius), 5, 1e-4)

    # peak field on the conductor: B_z at the inner radius in the mid-plane, where this
    # winding's field peaks (the same loop sums along its inner surface and end face:
    # 0.2832 T at z = 0 falling to 0.2075 T at the corner); printed to 4 figures. The FEM
    # is 9.0e-4 low (measured: the sample at r = a takes the gradient of the winding's
    # elements, 4 across the winding on this mesh and on any coarser one since
    # geometry.WINDING_ELEMENTS_ACROSS; 1.4 % with 1 across before)
    b_peak = coil.midplane_field(coil.a)
    _check(_values(text, "peak field on the conductor (T)")[0, 0], b_peak, 4, 2e-3)
    # short-sample current: the straight load line B = (B_peak/I)·I meets Ic(B) at T_op;
    # FEM +5.3e-4 (measured, from the peak field)
    slope = b_peak / coil.current
    i_ss = optimize.brentq(lambda i: i - float(ic(slope * i, t_op)), 1.0, 1e6)
    _check(_values(text, "short-sample current (A)")[0, 0], i_ss, 4, 2e-3)

    # stored energy (the FEM table's 3 figures, the quench table's 4) and inductance: with
    # μr = 1 all is linear, W = ½LI²; FEM 2.0e-6 low (measured)
    inductance = coil.inductance()
    energy = 0.5 * inductance * coil.current**2
    (fem_table,), (quench_table,) = _values(text, "stored energy", unit="J")
    _check(fem_table, energy, 3, 1e-5)
    _check(quench_table, energy, 4, 1e-5)
    printed_l = _values(text, "inductance (series, at the operating current)", unit="H")[0, 0]
    _check(printed_l, inductance, 4, 1e-5)

    # the 5-gauss line, 3 figures: along the axis from its closed form, radially from the
    # loops. Beyond the 0.4 m inner disc the field comes through the Kelvin image: FEM
    # +8.9e-5 (+z), −3.3e-5 (−z), −8.3e-4 (radially) (measured; +4.7e-3 and +1.7e-3 along
    # z before the image's axis was meshed at ρ/64)
    along_z = optimize.brentq(lambda z: coil.axis_field(z) - FIVE_GAUSS_T, coil.length / 2, 20.0)
    radial = optimize.brentq(
        lambda r: abs(coil.midplane_field(r)) - FIVE_GAUSS_T, 1.5 * coil.b, 20.0, xtol=1e-6
    )
    for way, expected in (("along +z", along_z), ("along −z", along_z), ("radially", radial)):
        label = f"5-gauss (500 µT) line from the origin, {way}"
        _check(_values(text, label, unit="m")[0, 0], expected, 3, 2e-3)


def test_iron_material_in_words():
    # an inline B–H table is summarised, not printed point by point in the coil-file line
    table = {"bh_table_A_per_m_T": [[0, 0], [100, 0.5], [1000, 1.4]]}
    assert iron_material_text(table) == "inline B–H table, 3 points"
    assert iron_material_text({"mu_r": 1000.0}) == "μr = 1000"
    assert iron_material_text("AISI-1010") == "AISI-1010"
