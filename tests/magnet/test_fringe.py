"""5-gauss distances of coils in air (solver.magnet.fringe_extent_m) against closed-form
fields, each solved for the level by Brent's method here."""

import json
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from cryogen_templates import DESIGNS_DIR
from solver.magnet import Loop, Magnet, Solenoid, fringe_extent_m, load_coil_file

MU0 = 1.25663706212e-6  # H/m, CODATA 2018 (as solver.magnet._constants)
LEVEL = 5e-4  # T, the 5-gauss line


def thin_solenoid_on_axis_T(z, radius, length, turns, current):
    """Current sheet on its axis: μ0 n I / 2 · (cos θ₁ − cos θ₂) (any magnetism text)."""
    a, b = z + length / 2, z - length / 2
    k = MU0 * turns * current / (2 * length)
    return k * (a / math.hypot(a, radius) - b / math.hypot(b, radius))


def thick_solenoid_on_axis_T(z, r1, r2, length, turns, current):
    """Uniform current density J = N I / (ℓ (r2 − r1)) on its axis (Montgomery, Solenoid
    Magnet Design, 1969, eq. 3-10, as a difference of its two end terms)."""
    j = turns * current / (length * (r2 - r1))

    def end(u):
        return u * math.log((r2 + math.hypot(r2, u)) / (r1 + math.hypot(r1, u)))

    return MU0 * j / 2 * (end(z + length / 2) - end(z - length / 2))


def level_crossing(field, lo, hi):
    return brentq(lambda z: abs(field(z)) - LEVEL, lo, hi, xtol=1e-14, rtol=1e-15)


def test_thin_solenoid_on_axis_matches_closed_form():
    r, length, turns, current = 0.1, 0.4, 500, 50.0
    ds = fringe_extent_m(
        Magnet([Solenoid(radius_m=r, length_m=length, turns=turns, current_A=current)])
    )
    want = level_crossing(lambda z: thin_solenoid_on_axis_T(z, r, length, turns, current), 0.3, 50)
    # 1e-6: Brent to 1e-9 of the magnet's size, the sheet field exact to round-off
    assert float(ds.extent_m.sel(direction="+z")) == pytest.approx(want, rel=1e-6)
    assert float(ds.extent_m.sel(direction="-z")) == pytest.approx(want, rel=1e-6)
    assert ds.attrs["origin_m"] == [0.0, 0.0, 0.0]


def test_small_loop_far_field_is_the_dipole():
    a, turns, current = 0.01, 1000.0, 7958.0  # the 5-gauss line about 1 m = 100 a away
    m = turns * current * math.pi * a**2
    ds = fringe_extent_m(Magnet([Loop(radius_m=a, turns=turns, current_A=current)]))
    axial = (MU0 * m / (2 * math.pi * LEVEL)) ** (1 / 3)  # μ0 m / 2π z³ on the axis
    radial = (MU0 * m / (4 * math.pi * LEVEL)) ** (1 / 3)  # μ0 m / 4π r³ in the plane
    # next multipole order: |B| differs from the dipole by 3/2 (a/z)² on the axis and 9/8
    # (a/r)² in the plane, the distance (∝ |B|^(1/3)) by a third of that: ≤ 0.5 (a/z)²
    # = 5e-5 here (measured −5.0e-5 and +6.0e-5, as the expansion says); tolerance (a/z)²
    assert float(ds.extent_m.sel(direction="+z")) == pytest.approx(axial, rel=(a / axial) ** 2)
    assert float(ds.extent_m.sel(direction="-z")) == pytest.approx(axial, rel=(a / axial) ** 2)
    assert float(ds.extent_m.sel(direction="r")) == pytest.approx(radial, rel=(a / radial) ** 2)


def test_active_shield_shrinks_the_5_gauss_line():
    magnet = load_coil_file(DESIGNS_DIR / "coils" / "shielded_solenoid.coil.json")
    main, shield = magnet.coil("main"), magnet.coil("shield")
    # the template is sized so the dipole moments cancel: Σ N I <r²> = 0
    moment = sum(
        c.turns
        * c.current_A
        * (c.inner_radius_m**2 + c.inner_radius_m * c.outer_radius_m + c.outer_radius_m**2)
        for c in (main, shield)
    )
    assert moment == pytest.approx(0.0, abs=1e-12 * main.turns * main.current_A)
    shielded = fringe_extent_m(magnet)
    alone = fringe_extent_m(Magnet([main]))

    def on_axis(z, coils):
        return sum(
            thick_solenoid_on_axis_T(
                z, c.inner_radius_m, c.outer_radius_m, c.length_m, c.turns, c.current_A
            )
            for c in coils
        )

    for ds, coils in ((shielded, (main, shield)), (alone, (main,))):
        want = level_crossing(lambda z, coils=coils: on_axis(z, coils), 1.0, 100.0)
        # 1e-6: Brent to 1e-9 of the size; Gauss–Legendre over the radius is exact to
        # round-off for the smooth integrand on the axis
        assert float(ds.extent_m.sel(direction="+z")) == pytest.approx(want, rel=1e-6)
        assert float(ds.extent_m.sel(direction="-z")) == pytest.approx(want, rel=1e-6)
    # without its dipole the field falls as 1/r⁵: the line comes in by more than half
    for d in ("+z", "r"):
        assert float(shielded.extent_m.sel(direction=d)) < 0.5 * float(
            alone.extent_m.sel(direction=d)
        )


def test_off_axis_coils_use_the_box_centre_and_the_six_axis_directions():
    loops = [
        Loop(id="a", radius_m=0.1, current_A=1e4, center_m=(0.0, 0.0, 0.0)),
        Loop(id="b", radius_m=0.1, current_A=1e4, center_m=(0.2, 0.0, 0.0)),
    ]
    ds = fringe_extent_m(Magnet(loops))
    assert list(ds.direction.values) == ["+x", "-x", "+y", "-y", "+z", "-z"]
    assert ds.attrs["origin_m"] == pytest.approx([0.1, 0.0, 0.0])
    # mirror symmetry about x = 0.1 m and y = 0 (1e-9: Brent's tolerance)
    e = ds.extent_m
    assert float(e.sel(direction="+x")) == pytest.approx(float(e.sel(direction="-x")), rel=1e-8)
    assert float(e.sel(direction="+y")) == pytest.approx(float(e.sel(direction="-y")), rel=1e-8)
    # each point of the outermost line along +z is at the level (the definition)
    for d in ("+z", "+x"):
        t = float(e.sel(direction=d))
        p = np.array([0.1, 0.0, 0.0]) + t * (np.eye(3)[2] if d == "+z" else np.eye(3)[0])
        assert np.linalg.norm(Magnet(loops).field(p)) == pytest.approx(LEVEL, rel=1e-6)


def test_a_level_the_field_never_falls_below_is_inf_and_one_it_never_reaches_is_zero():
    magnet = Magnet([Loop(radius_m=0.1, current_A=1.0)])
    assert np.all(np.isinf(fringe_extent_m(magnet, level_T=1e-30).extent_m.values))
    assert np.all(fringe_extent_m(magnet, level_T=1.0).extent_m.values == 0.0)


def test_cli_prints_the_5_gauss_distances(capsys):
    from solver.cli import main

    path = DESIGNS_DIR / "coils" / "shielded_solenoid.coil.json"
    assert main(["field", str(path), "--fringe", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ds = fringe_extent_m(load_coil_file(path))
    assert out["level_T"] == LEVEL and out["origin_m"] == [0.0, 0.0, 0.0]
    assert out["extent_m"] == {
        str(d): float(e) for d, e in zip(ds.direction.values, ds.extent_m.values, strict=True)
    }
    assert main(["field", str(path), "--fringe"]) == 0
    assert "5-gauss line of |B| from (0, 0, 0) m" in capsys.readouterr().out
