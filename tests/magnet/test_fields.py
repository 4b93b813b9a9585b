"""Coil fields against closed forms, published values and direct numerical integrals."""

import numpy as np
import pytest
from scipy import integrate

from solver.magnet import (
    CCT,
    MU0_H_PER_M,
    Helmholtz,
    Loop,
    Magnet,
    Path,
    Racetrack,
    Saddle,
    Solenoid,
)

MU0 = 1.25663706212e-6  # CODATA 2018, as VALIDATION.md


def loop_field_quad(a, current, point):
    """Biot–Savart line integral of a loop in the z = 0 plane, by scipy quad (reference)."""

    def integrand(phi, k):
        wire = np.array([a * np.cos(phi), a * np.sin(phi), 0.0])
        dl = a * np.array([-np.sin(phi), np.cos(phi), 0.0])
        r = np.asarray(point) - wire
        return np.cross(dl, r)[k] / np.linalg.norm(r) ** 3

    return np.array(
        [
            MU0
            * current
            / (4 * np.pi)
            * integrate.quad(
                integrand, 0, 2 * np.pi, args=(k,), epsabs=1e-12, epsrel=1e-12, limit=200
            )[0]
            for k in range(3)
        ]
    )


def test_mu0_is_codata_2018():
    assert MU0_H_PER_M == MU0


def test_validation_case_4_thin_solenoid_centre_and_end():
    sol = Solenoid(id="main", radius_m=0.05, length_m=0.2, turns=1000, current_A=10.0)
    b = sol.field([[0, 0, 0], [0, 0, 0.1]])
    # VALIDATION.md case 4, tolerance 1e-9 relative as stated there
    assert b[0, 2] == pytest.approx(56.19851787891891e-3, rel=1e-9)
    assert b[1, 2] == pytest.approx(30.47792553050953e-3, rel=1e-9)
    assert np.abs(b[:, :2]).max() < 1e-15


@pytest.mark.parametrize("ratio", [30.0, 100.0, 1000.0])
def test_long_solenoid_tends_to_mu0_n_i(ratio):
    r = 0.01
    length = ratio * r
    sol = Solenoid(radius_m=r, length_m=length, turns=1000, current_A=2.0)
    infinite = MU0 * 1000 / length * 2.0
    deficit = 1 - sol.field([0, 0, 0])[0, 2] / infinite
    # B(0)/μ0nI = L/√(L²+4R²) = 1 − 2(R/L)² + O((R/L)⁴): check the leading term to 1 %
    assert deficit == pytest.approx(2 / ratio**2, rel=1e-2)


@pytest.mark.parametrize("coil", ["loop", "solenoid"])
def test_far_field_tends_to_dipole(coil):
    a, n_turns, current = 0.05, 200.0, 3.0
    if coil == "loop":
        c = Loop(radius_m=a, turns=n_turns, current_A=current, axis=(1, 1, 0))
    else:
        c = Solenoid(radius_m=a, length_m=0.04, turns=n_turns, current_A=current, axis=(1, 1, 0))
    m = n_turns * current * np.pi * a**2 * np.array([1, 1, 0]) / np.sqrt(2)
    for dist in (2.0, 20.0):
        p = dist * np.array([0.3, -0.5, 0.81]) / np.linalg.norm([0.3, -0.5, 0.81])
        rhat = p / dist
        dipole = MU0 / (4 * np.pi) * (3 * rhat * (rhat @ m) - m) / dist**3
        err = np.linalg.norm(c.field(p)[0] - dipole) / np.linalg.norm(dipole)
        # the next multipole is O((a/r)²) relative (octupole); 5·(a/r)² bounds it here
        assert err < 5 * (a / dist) ** 2


def test_helmholtz_centre():
    r, n_turns, current = 0.3, 50.0, 4.0
    h = Helmholtz(radius_m=r, turns=n_turns, current_A=current, center_m=(0.1, -0.2, 0.3))
    b = h.field([0.1, -0.2, 0.3])[0]
    expected = (4 / 5) ** 1.5 * MU0 * n_turns * current / r
    # closed form; elliptic kernels are good to ~1e-15, 1e-12 leaves room for round-off
    assert b[2] == pytest.approx(expected, rel=1e-12)
    # Helmholtz: the second derivative vanishes, so Bz is flat to 4th order
    b_off = h.field([0.1, -0.2, 0.3 + 0.01 * r])[0, 2]
    assert abs(b_off / b[2] - 1) < 1e-6


@pytest.mark.parametrize(
    "point",
    [
        (0.03, 0.0, 0.02),
        (0.0, 0.07, -0.05),
        (0.2, 0.1, 0.01),
        (0.099, 0.0, 0.001),
        (0.0, 0.0, 0.05),
    ],
)
def test_loop_matches_biot_savart_quadrature(point):
    loop = Loop(radius_m=0.1, turns=1, current_A=7.0)
    ref = loop_field_quad(0.1, 7.0, point)
    got = loop.field(point)[0]
    # quad at epsrel 1e-13; near the wire the integrand is peaked, 1e-10 of |B| is safe
    assert np.linalg.norm(got - ref) <= 1e-10 * np.linalg.norm(ref)


def _series_loop(a, rho, z, current):
    """Paraxial expansion of a loop's field to third order in ρ (independent reference)."""
    s = a * a + z * z
    f1 = MU0 * current * a**2 / 2 * (-3 * z) * s**-2.5
    f2 = MU0 * current * a**2 / 2 * (-3 * s**-2.5 + 15 * z**2 * s**-3.5)
    f3 = MU0 * current * a**2 / 2 * (45 * z * s**-3.5 - 105 * z**3 * s**-4.5)
    f0 = MU0 * current * a**2 / 2 * s**-1.5
    b_rho = -rho / 2 * f1 + rho**3 / 16 * f3
    b_z = f0 - rho**2 / 4 * f2
    return b_rho, b_z


@pytest.mark.parametrize("rho_over_a", [1e-2, 1e-3, 2e-5, 0.99e-5, 1e-7, 1e-12])
def test_loop_near_axis_keeps_precision(rho_over_a):
    a, z = 0.1, 0.037
    rho = rho_over_a * a
    b = Loop(radius_m=a, current_A=1.0).field([rho, 0.0, z])[0]
    b_rho, b_z = _series_loop(a, rho, z, 1.0)
    # series truncation is O((ρ/a)^4) ≤ 1e-8 at ρ/a = 1e-2, else ≤ 1e-12: Bρ itself, not
    # just |B|, must keep ~10 digits close to the axis
    tol = 1e-7 if rho_over_a == 1e-2 else 1e-10
    assert b[0] == pytest.approx(b_rho, rel=tol)
    assert b[2] == pytest.approx(b_z, rel=1e-12)


def _sheet_by_loops(radius, half_length, n_per_m_current, rho, z):
    """Thin solenoid = ∫ loops dz (scipy quad over closed-form-independent Biot–Savart loops)."""

    def comp(k):
        def f(zz):
            return loop_field_quad(radius, 1.0, (rho, 0.0, z - zz))[k]

        return integrate.quad(f, -half_length, half_length, epsabs=1e-12, epsrel=1e-11, limit=200)[
            0
        ]

    return n_per_m_current * np.array([comp(0), comp(2)])


@pytest.mark.parametrize(
    "rho,z", [(0.03, 0.02), (0.07, 0.15), (0.049, 0.099), (0.2, -0.3), (0.051, 0.0)]
)
def test_thin_solenoid_off_axis_against_integral_of_loops(rho, z):
    sol = Solenoid(radius_m=0.05, length_m=0.2, turns=500, current_A=2.0)
    ref = _sheet_by_loops(0.05, 0.1, 500 / 0.2 * 2.0, rho, z)
    got = sol.field([rho, 0.0, z])[0]
    # nested quad (1e-11 and 1e-13); compare to |B|
    assert abs(got[0] - ref[0]) <= 1e-9 * np.hypot(*ref)
    assert abs(got[2] - ref[1]) <= 1e-9 * np.hypot(*ref)


def test_thick_solenoid_on_axis_closed_form():
    r1, r2, length, n_turns, current = 0.05, 0.08, 0.2, 1200, 5.0
    sol = Solenoid(
        inner_radius_m=r1, outer_radius_m=r2, length_m=length, turns=n_turns, current_A=current
    )
    j = n_turns * current / (length * (r2 - r1))
    b = length / 2
    zs = np.array([0.0, 0.05, 0.1, 0.13, 0.5])

    def term(u):
        return u * np.log((r2 + np.hypot(r2, u)) / (r1 + np.hypot(r1, u)))

    # on-axis field of a uniform-J thick solenoid (Montgomery, Solenoid Magnet Design, eq. 1-8)
    expected = MU0 * j / 2 * (term(zs + b) - term(zs - b))
    got = sol.field(np.stack([0 * zs, 0 * zs, zs], axis=1))[:, 2]
    # outside the winding the Gauss–Legendre integrand is analytic: 24 nodes reach round-off
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "rho,z", [(0.03, 0.02), (0.06, 0.0), (0.07, 0.09), (0.065, 0.1), (0.1, 0.05)]
)
def test_thick_solenoid_off_axis_and_inside_winding(rho, z):
    r1, r2, length = 0.05, 0.08, 0.2
    sol = Solenoid(inner_radius_m=r1, outer_radius_m=r2, length_m=length, turns=300, current_A=1.0)
    thin_per_m = 300 / (length * (r2 - r1))

    def sheet(r, k):
        return Solenoid(radius_m=r, length_m=length, turns=1.0, current_A=length).field(
            [rho, 0, z]
        )[0, k]

    # adaptive quad in u with r = c ± h·u² (c = ρ clipped to the winding), which removes
    # the kink / end-face log singularity at r = ρ that plain quad integrates poorly
    c = min(max(rho, r1), r2)
    ref = np.zeros(2)
    for h, sgn in ((c - r1, -1.0), (r2 - c, 1.0)):
        if h > 0:
            for i, k in enumerate((0, 2)):
                ref[i] += (
                    thin_per_m
                    * integrate.quad(
                        lambda u, h=h, sgn=sgn, k=k: sheet(c + sgn * h * u * u, k) * 2 * h * u,
                        0,
                        1,
                        epsrel=1e-12,
                        epsabs=1e-15,
                        limit=200,
                    )[0]
                )
    got = sol.field([rho, 0, z])[0, [0, 2]]
    # quad adaptive reference; the split GL rule is converged to ~1e-9 of |B| even at the
    # winding's end face (z = 0.1), where the integrand has a log singularity at r = ρ
    assert np.linalg.norm(got - ref) <= 1e-8 * np.linalg.norm(ref)


def test_discretised_loop_converges_at_second_order():
    a = 0.1
    loop = Loop(radius_m=a, current_A=1.0)
    point = np.array([0.04, 0.01, 0.03])
    exact = loop.field(point)[0]
    hs, errs = [], []
    for n in (16, 32, 64, 128, 256):
        t = np.arange(n) * 2 * np.pi / n
        path = Path(
            points_m=np.stack([a * np.cos(t), a * np.sin(t), 0 * t], 1).tolist(),
            closed=True,
            current_A=1.0,
        )
        errs.append(np.linalg.norm(path.field(point)[0] - exact) / np.linalg.norm(exact))
        hs.append(2 * np.pi * a / n)
    slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    # inscribed polygon: the area (hence the field) error is O(h²)
    assert abs(slope - 2.0) < 0.1


def test_finite_straight_wire_matches_textbook():
    # B = μ0 I/(4π d)(cos θ1 − cos θ2): independent closed form for a finite segment
    path = Path(points_m=[(0, 0, -0.3), (0, 0, 0.5)], current_A=12.0)
    d, z = 0.07, 0.1
    c1 = (z + 0.3) / np.hypot(d, z + 0.3)
    c2 = (z - 0.5) / np.hypot(d, z - 0.5)
    expected = MU0 * 12.0 / (4 * np.pi * d) * (c1 - c2)
    b = path.field([d, 0, z])[0]
    assert b[1] == pytest.approx(expected, rel=1e-13)
    assert abs(b[0]) < 1e-18 and abs(b[2]) < 1e-18


def test_racetrack_with_zero_straight_is_a_loop():
    r = 0.05
    rt = Racetrack(straight_length_m=1e-9, radius_m=r, turns=3, current_A=2.0, segments_per_arc=512)
    loop = Loop(radius_m=r, turns=3, current_A=2.0)
    p = [0.01, 0.02, 0.03]
    # 1024-gon: polygon error ~ (π/1024)²/6 ≈ 1.6e-6 relative
    assert np.linalg.norm(rt.field(p) - loop.field(p)) < 5e-6 * np.linalg.norm(loop.field(p))


def test_long_saddle_centre_matches_2d_line_currents():
    r, length, lines, current = 0.04, 40.0, 6, 100.0
    saddle = Saddle(radius_m=r, length_m=length, lines=lines, current_A=current)
    deltas = np.arcsin((np.arange(lines) + 0.5) / lines)
    # 2-D: a line current I along +z at w0 gives By + iBx = μ0 I / (2π (w − w0)); at w = 0
    total = 0j
    for d in deltas:
        for theta, sign in ((d, -1), (-d, -1), (np.pi - d, 1), (np.pi + d, 1)):
            w0 = r * np.exp(1j * theta)
            total += MU0 * sign * current / (2 * np.pi * (0 - w0))
    b = saddle.field([0, 0, 0])[0]
    # end arcs 20 m away contribute ~ (r/L)² ≈ 1e-6 relative
    assert b[1] == pytest.approx(total.real, rel=1e-5)
    assert abs(b[0]) < 1e-5 * abs(b[1])
    assert b[1] > 0  # order-1 saddle: central field along local +y


def test_cct_two_layers_cancel_solenoid_field():
    one = CCT(radius_m=0.03, tilt_deg=30, pitch_m=0.004, turns=40, current_A=100.0)
    two = CCT(
        radius_m=0.03,
        second_layer_radius_m=0.033,
        tilt_deg=30,
        pitch_m=0.004,
        turns=40,
        current_A=100.0,
    )
    b1 = one.field([0, 0, 0])[0]
    b2 = two.field([0, 0, 0])[0]
    # one layer has a solenoidal Bz ≈ that of a thin solenoid of n = 1/p and length 40·p
    # (the canted ends shift it by a few %, hence 10 %)
    length = 40 * 0.004
    solenoid = MU0 * 100 / 0.004 * length / np.hypot(length, 2 * 0.03)
    assert abs(b1[2]) == pytest.approx(solenoid, rel=0.1)
    # two opposite layers: Bz cancels to a few % of the dipole field, dipole adds
    assert abs(b2[2]) < 0.05 * np.hypot(b2[0], b2[1])
    assert np.hypot(b2[0], b2[1]) > 1.5 * np.hypot(b1[0], b1[1])


def test_placement_rotation_and_translation():
    sol_z = Solenoid(radius_m=0.05, length_m=0.2, turns=100, current_A=1.0)
    sol_x = Solenoid(
        radius_m=0.05, length_m=0.2, turns=100, current_A=1.0, axis=(1, 0, 0), center_m=(1, 2, 3)
    )
    bz = sol_z.field([0.01, 0.02, 0.03])[0]
    # the minimal rotation taking z to x (90° about y) maps local x, y, z to global −z, y, x:
    # local point (0.01, 0.02, 0.03) is global centre + (0.03, 0.02, −0.01)
    bx = sol_x.field([1.03, 2.02, 2.99])[0]
    np.testing.assert_allclose(bx, [bz[2], bz[1], -bz[0]], rtol=1e-13, atol=1e-18)
    flipped = Solenoid(radius_m=0.05, length_m=0.2, turns=100, current_A=1.0, axis=(0, 0, -1))
    b0 = sol_z.field([0, 0, 0])[0, 2]
    assert flipped.field([0, 0, 0])[0, 2] == pytest.approx(-b0, rel=1e-14)


def test_magnet_field_map_dataset():
    mag = Magnet([Solenoid(id="s", radius_m=0.05, length_m=0.2, turns=1000, current_A=10.0)])
    ds = mag.field_map([0.0, 0.01], [0.0], np.linspace(-0.1, 0.1, 3))
    assert set(ds.data_vars) == {"Bx", "By", "Bz", "B"}
    assert ds.Bz.dims == ("x", "y", "z")
    assert ds.Bz.attrs["units"] == "T" and ds.x.attrs["units"] == "m"
    assert float(ds.Bz.sel(x=0, y=0, z=0)) == pytest.approx(56.19851787891891e-3, rel=1e-9)
    np.testing.assert_allclose(ds.B, np.sqrt(ds.Bx**2 + ds.By**2 + ds.Bz**2))
