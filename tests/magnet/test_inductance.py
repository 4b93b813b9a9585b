"""Inductance (Maxwell, Neumann, Rosa, Wheeler, long-solenoid limit), energy and forces."""

import numpy as np
import pytest
from scipy import integrate, special

from solver.magnet import Loop, Magnet, Path, Solenoid
from solver.magnet.inductance import (
    coil_forces,
    inductance_matrix,
    mutual_inductance,
    mutual_inductance_coaxial_loops,
    self_inductance,
    self_inductance_loop,
)

MU0 = 1.25663706212e-6


def maxwell_textbook(a1, a2, d):
    k2 = 4 * a1 * a2 / ((a1 + a2) ** 2 + d**2)
    k = np.sqrt(k2)
    return MU0 * np.sqrt(a1 * a2) * ((2 / k - k) * special.ellipk(k2) - 2 / k * special.ellipe(k2))


@pytest.mark.parametrize(
    "a1,a2,d", [(0.1, 0.1, 0.05), (0.1, 0.2, 0.0), (0.05, 0.3, 0.4), (0.1, 0.1, 0.5)]
)
def test_maxwell_matches_textbook_and_flux_integral(a1, a2, d):
    m = mutual_inductance_coaxial_loops(a1, a2, d)
    # scipy Cephes K, E in Maxwell's original form
    assert m == pytest.approx(maxwell_textbook(a1, a2, d), rel=1e-10)
    # flux of the larger loop's closed-form field through the smaller loop's disc, by quad
    big, small = max(a1, a2), min(a1, a2)
    loop = Loop(radius_m=big, current_A=1.0)

    def bz(rho):
        return loop.field([rho, 0.0, d])[0, 2] * 2 * np.pi * rho

    flux = integrate.quad(bz, 0, small, epsrel=1e-11, limit=200)[0]
    assert m == pytest.approx(flux, rel=1e-8)


def test_maxwell_far_apart_keeps_precision():
    # far field: M → μ0 π a1² a2² / (2 d³) (dipole-dipole on axis), relative correction O((a/d)²)
    a1, a2, d = 0.01, 0.02, 10.0
    dipole = MU0 * np.pi * a1**2 * a2**2 / (2 * d**3)
    assert mutual_inductance_coaxial_loops(a1, a2, d) == pytest.approx(dipole, rel=1e-5)


def test_neumann_polygons_converge_to_maxwell():
    a1, a2, d = 0.1, 0.15, 0.07
    t = np.arange(512) * 2 * np.pi / 512
    p1 = Path(
        points_m=np.stack([a1 * np.cos(t), a1 * np.sin(t), 0 * t], 1).tolist(),
        closed=True,
        current_A=1.0,
    )
    p2 = Path(
        points_m=np.stack([a2 * np.cos(t), a2 * np.sin(t), d + 0 * t], 1).tolist(),
        closed=True,
        current_A=3.0,
    )
    # 512-gon: O(h²) ≈ (2π/512)² ≈ 1.5e-4
    assert mutual_inductance(p1, p2) == pytest.approx(
        mutual_inductance_coaxial_loops(a1, a2, d), rel=3e-4
    )
    assert mutual_inductance(p2, p1) == pytest.approx(mutual_inductance(p1, p2), rel=1e-6)


def test_filament_self_inductance_matches_rosa_loop():
    a, r = 0.1, 1e-3
    t = np.arange(1024) * 2 * np.pi / 1024
    ring = Path(
        points_m=np.stack([a * np.cos(t), a * np.sin(t), 0 * t], 1).tolist(),
        closed=True,
        current_A=1.0,
    )
    # Rosa's formula is exact to O((r/a)²) ≈ 1e-4; the polygon error is ~1e-5
    assert self_inductance(ring, r) == pytest.approx(self_inductance_loop(a, r), rel=2e-3)


@pytest.mark.parametrize("ratio", [50.0, 200.0])
def test_long_thin_solenoid_inductance_limit(ratio):
    r = 0.01
    length = ratio * r
    sol = Solenoid(radius_m=r, length_m=length, turns=1000, current_A=1.0)
    nagaoka = self_inductance(sol) / (MU0 * 1000**2 * np.pi * r**2 / length)
    # Nagaoka coefficient for a long solenoid: 1 − 8R/(3πℓ) + O((R/ℓ)²)
    assert nagaoka == pytest.approx(1 - 8 / (3 * np.pi * ratio), abs=1 / ratio**2)


def test_short_solenoid_inductance_vs_wheeler():
    r, length, n = 0.05, 0.2, 300
    wheeler = MU0 * n**2 * np.pi * r**2 / (length + 0.9 * r)
    sol = Solenoid(radius_m=r, length_m=length, turns=n, current_A=1.0)
    # Wheeler (Proc. IRE 16, 1398 (1928)): within 1 % for ℓ > 0.8 R
    assert self_inductance(sol) == pytest.approx(wheeler, rel=0.01)


def test_thin_wall_thick_solenoid_tends_to_sheet():
    thin = Solenoid(radius_m=0.05, length_m=0.2, turns=300, current_A=1.0)
    thick = Solenoid(
        inner_radius_m=0.0499, outer_radius_m=0.0501, length_m=0.2, turns=300, current_A=1.0
    )
    # wall 0.4 % of the radius: the inductance differs by O(t/R) ≈ 1e-3 at most
    assert self_inductance(thick) == pytest.approx(self_inductance(thin), rel=2e-3)


def test_inductance_matrix_and_energy_of_two_loops():
    a = Loop(id="a", radius_m=0.1, turns=10, current_A=2.0)
    b = Loop(id="b", radius_m=0.1, turns=10, current_A=2.0, center_m=(0, 0, 0.05))
    from solver.magnet import Conductor

    mag = Magnet([a, b], Conductor("NbTi", 1.5, 1e-6, wire_radius_m=5e-4))
    ds = inductance_matrix(mag)
    la = self_inductance_loop(0.1, 5e-4, 10)
    m = 100 * mutual_inductance_coaxial_loops(0.1, 0.1, 0.05)
    assert float(ds.M_H.sel(coil="a", coil_b="b")) == pytest.approx(m, rel=1e-12)
    assert float(ds.energy_J) == pytest.approx(0.5 * 4 * (2 * la + 2 * m), rel=1e-12)
    assert float(ds.series_inductance_H) == pytest.approx(2 * la + 2 * m, rel=1e-12)


def test_force_between_coaxial_loops_is_gradient_of_maxwell():
    i1, i2, a1, a2, d = 30.0, 50.0, 0.1, 0.12, 0.06
    mag = Magnet(
        [
            Loop(id="a", radius_m=a1, current_A=i1),
            Loop(id="b", radius_m=a2, current_A=i2, center_m=(0, 0, d)),
        ]
    )
    f = coil_forces(mag)
    h = 1e-6
    dm = (
        mutual_inductance_coaxial_loops(a1, a2, d + h)
        - mutual_inductance_coaxial_loops(a1, a2, d - h)
    ) / (2 * h)
    # F_z on b = I1 I2 ∂M/∂d (attractive: negative); 256-gon midpoint rule ≈ 1e-4
    assert float(f.force_N.sel(coil="b", component="z")) == pytest.approx(i1 * i2 * dm, rel=1e-3)
    np.testing.assert_allclose(
        f.force_N.sel(coil="a"), -f.force_N.sel(coil="b"), rtol=1e-3, atol=1e-9
    )


def _richardson_derivative(f, x, h=1e-3):
    """6th-order central difference of f at x (error ~h⁶ f⁽⁷⁾; ~1e-12 here)."""
    return (
        f(x + 3 * h)
        - 9 * f(x + 2 * h)
        + 45 * f(x + h)
        - 45 * f(x - h)
        + 9 * f(x - 2 * h)
        - f(x - 3 * h)
    ) / (60 * h)


@pytest.mark.parametrize(
    ("a1", "a2", "d"), [(0.1, 0.1, 0.05), (0.1, 0.12, 0.06), (0.05, 0.2, -0.3)]
)
def test_coaxial_loop_force_is_exact_to_1e9(a1, a2, d):
    from solver.magnet.inductance import coaxial_loops_force_gradient

    i1, i2 = 30.0, 50.0
    mag = Magnet(
        [
            Loop(id="a", radius_m=a1, current_A=i1),
            Loop(id="b", radius_m=a2, current_A=i2, center_m=(0, 0, d)),
        ]
    )
    ref = i1 * i2 * _richardson_derivative(lambda x: mutual_inductance_coaxial_loops(a1, a2, x), d)
    assert coaxial_loops_force_gradient(a1, a2, d) * i1 * i2 == pytest.approx(ref, rel=1e-9)
    f = coil_forces(mag).force_N
    assert float(f.sel(coil="b", component="z")) == pytest.approx(ref, rel=1e-9)
    assert float(f.sel(coil="a", component="z")) == pytest.approx(-ref, rel=1e-9)


def test_coaxial_solenoid_pair_force_is_exact_to_1e9():
    """Thin sheets: F = n1 n2 I1 I2 ∫∫ ∂M/∂z; reference by 2-D Gauss–Legendre of the
    differentiated Maxwell formula (independent of the end-difference form used)."""
    from scipy import integrate

    a = Solenoid(id="a", radius_m=0.1, length_m=0.1, turns=100, current_A=3.0)
    b = Solenoid(
        id="b", radius_m=0.12, length_m=0.05, turns=80, current_A=5.0, center_m=(0, 0, 0.12)
    )
    dm = lambda z1, z2: _richardson_derivative(
        lambda x: mutual_inductance_coaxial_loops(0.1, 0.12, x), 0.12 + z2 - z1
    )
    val, _ = integrate.dblquad(
        lambda z2, z1: dm(z1, z2), -0.05, 0.05, -0.025, 0.025, epsabs=0, epsrel=1e-12
    )
    ref = 3.0 * 5.0 * (100 / 0.1) * (80 / 0.05) * val
    f = coil_forces(Magnet([a, b])).force_N
    assert float(f.sel(coil="b", component="z")) == pytest.approx(ref, rel=1e-9)
