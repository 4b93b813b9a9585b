"""Forces on coils, flux linkage and inductance of 3-D FEM magnets (``solver.magnet.fem.coils3d``),
each against a method that does not share its integral:

* the mirror sign rule of a, against the exact vector potential of a loop (Maxwell's kernel);
* μr = 1 iron: Biot–Savart forces on a 2048-gon and Neumann's inductance;
* Newton's third law: Lorentz force on the coil's filaments against Coulomb's virtual work
  (Maxwell stress in the air around the iron, ``iron_force_3d_N``), on two meshes;
* virtual work: the Lorentz force against ½ I² dL/dz from the inductance at displaced coils;
* reciprocity of the iron's mutual inductance, M_ab = M_ba;
* a quarter model with two mirror planes against the full model.

The iron is two linear (μr = 100) plates above and below a loop, their box enclosing the
coils so that moving a coil does not change the air box (the mesh stays the same). Meshes
are coarse (15k-36k unknowns in the quarter model, about a second a solve).
"""

from __future__ import annotations

import numpy as np
import pytest

from solver.errors import DesignError
from solver.magnet import coil_from_dict
from solver.magnet.coils import Loop, Path
from solver.magnet.fem import (
    coil_forces_3d,
    flux_linkage_through_Wb,
    inductance_3d,
    iron_force_3d_N,
)
from solver.magnet.fem.problem3d import Problem3D
from solver.magnet.inductance import (
    loop_vector_potential_per_A,
    neumann_mutual_inductance,
    self_inductance_loop,
)

I_A = 1000.0
WIRE_M = 5e-4
DZ_M = 0.002
QUARTER = {"x": "B_tangential", "y": "B_tangential"}


def _plate(name, z0, z1, material):
    box = [[[-0.08, -0.08, z0], [0.08, 0.08, z1]]]
    return {"id": name, "material": material, "shape": {"type": "boxes", "boxes_m": box}}


def between_plates(coils, h=0.015, order=2, planes=QUARTER, material=None):
    """Loops between a plate 20 mm below z = 0 and one 35 mm above it (160 mm square)."""
    material = material or {"mu_r": 100.0}
    mesh = {"max_size_m": h, "air_margin_m": 0.1, "order": order}
    if planes:
        mesh["mirror_planes"] = planes
    return {
        "schema": "cryogen/coil@1",
        "symmetry": "none",
        "coils": coils,
        "iron": [_plate("low", -0.04, -0.02, material), _plate("high", 0.035, 0.055, material)],
        "mesh": mesh,
    }


def loop(z=0.0, radius=0.05, current=I_A, name="loop") -> dict:
    return {
        "id": name,
        "type": "loop",
        "radius_m": radius,
        "current_A": current,
        "center_m": [0.0, 0.0, z],
    }


def solved(d):
    return coil_from_dict(d).solution


def test_the_potential_takes_the_opposite_sign_rule_of_b_across_a_mirror_plane():
    # a loop about z in z = 0: B_tangential on x = 0 and y = 0, B_normal on z = 0; its
    # exact vector potential (Maxwell's kernel, not the FEM) must follow mirror_potential,
    # and its field mirror; a wrong rule flips A_x or A_y, which are of the size of A
    coil = Loop(id="l", radius_m=0.05, current_A=1.0)
    planes = ((0, "B_tangential"), (1, "B_tangential"), (2, "B_normal"))
    problem = Problem3D(coils=(coil,), iron=(), mirror_planes=planes)
    p = np.random.default_rng(3).uniform(-0.1, 0.1, (300, 3))
    q, s = problem.mirror_potential(p)
    assert np.all(q >= 0) and np.any(s < 0)
    a_p, a_q = loop_vector_potential_per_A(coil, p), loop_vector_potential_per_A(coil, q)
    np.testing.assert_allclose(a_p, s * a_q, rtol=0, atol=1e-12 * np.abs(a_p).max())
    q, s_b = problem.mirror(p)
    b_p = coil.field(p)
    np.testing.assert_allclose(b_p, s_b * coil.field(q), rtol=0, atol=1e-12 * np.abs(b_p).max())


def test_mu_r_1_iron_gives_the_biot_savart_forces_and_inductances():
    # μr = 1: the iron's field is exactly zero (its source (ν − ν0) B_s vanishes), so the
    # forces and flux linkages are those of the loops in air, computed here independently
    a = loop()
    b = {**loop(z=0.03, radius=0.03, current=-400.0, name="b"), "center_m": [0.02, 0.0, 0.03]}
    d = between_plates(
        [a, b], h=0.03, order=1, planes={"y": "B_tangential"}, material={"mu_r": 1.0}
    )
    sol = solved(d)
    forces = coil_forces_3d(sol)
    assert np.abs(forces.force_from_iron_N.values).max() == 0.0
    ca, cb = (Loop(**{k: v for k, v in c.items() if k != "type"}) for c in (a, b))
    # Biot–Savart on a 2048-gon of the true circle, each loop's exact field at the midpoints
    # (a 2048-gon's length and area are (2π/2048)²/6 = 1.6e-6 short of the circle's)
    for k, (coil, other) in enumerate(((ca, cb), (cb, ca))):
        starts, ends, amps = coil.filaments(segments_per_turn=2048)
        f = (amps[:, None] * np.cross(ends - starts, other.field(0.5 * (starts + ends)))).sum(0)
        np.testing.assert_allclose(forces.force_N.values[k], f, rtol=0, atol=1e-5 * np.abs(f).max())
    ds = inductance_3d(sol, WIRE_M)
    assert np.abs(ds.flux_linkage_from_iron_Wb.values).max() == 0.0
    # Neumann's double line integral on the 256-gons (Gauss points, 1e-4 from the circle)
    m = neumann_mutual_inductance(ca, cb)
    own = [self_inductance_loop(c.radius_m, WIRE_M) for c in (ca, cb)]
    expected = [own[0] * a["current_A"] + m * b["current_A"], own[1] * b["current_A"] + m * I_A]
    np.testing.assert_allclose(ds.flux_linkage_Wb.values, expected, rtol=2e-4)
    # linear (μr = 1) iron: W = ½ Σ Ψ I, equal to ½ Iᵀ M I
    w = 0.5 * (own[0] * I_A**2 + own[1] * 400.0**2) - m * I_A * 400.0
    np.testing.assert_allclose(float(ds.energy_J), w, rtol=2e-4)
    assert "series_apparent_inductance_H" not in ds  # |I| differ: not in series


def _third_law(h):
    sol = solved(between_plates([loop()], h=h))
    coil = coil_forces_3d(sol).force_N.values[0]
    iron = iron_force_3d_N(sol, "low") + iron_force_3d_N(sol, "high")
    return coil[2], -iron[2]


def test_force_on_the_coil_balances_the_force_on_the_iron():
    # Lorentz on the filaments (curl a at the coil) against Maxwell stress in the air
    # layer around each plate: independent except for the solution itself. Measured
    # (coil, −iron) F_z: h = 12.5 mm −0.681 / −0.679 N (0.34 %), h = 10 mm −0.672 / −0.676 N
    # (0.63 %), h = 8 mm −0.675 / −0.676 N (0.20 %); the Lorentz force moves 1.3 % between
    # the meshes, the stress force 0.4 %: asserted 1.5 % on each mesh
    for h in (0.0125, 0.01):
        coil, iron = _third_law(h)
        assert coil == pytest.approx(iron, rel=0.015)
        assert coil < 0  # drawn to the nearer plate, below
    # at h = 15 mm the loop lies in the element layer around the lower plate, where the
    # stress is not that of current-free air: refused, not a wrong force
    sol = solved(between_plates([loop()], h=0.015))
    with pytest.raises(DesignError, match="coil 'loop' passes through the layer"):
        iron_force_3d_N(sol, "low")


def test_force_on_the_coil_is_the_derivative_of_its_energy():
    # linear iron at fixed current: F_z = ½ I² dL/dz. The mesh is the same at every
    # position (the plates' box holds the coil), so L(z) is smooth; the central difference
    # over ±2 mm equals the mean force over the interval, taken by Simpson's rule from the
    # Lorentz forces at z = −2, 0, 2 mm (both exact to O(δ⁴); F_z changes by a factor 2
    # over the interval). Measured: 0.2 % (h = 15 mm) and 0.7 % (h = 10 mm), the size of
    # the Lorentz force's own mesh change (0.9 %): asserted 2 %.
    f, ell = [], []
    for z in (-DZ_M, 0.0, DZ_M):
        sol = solved(between_plates([loop(z)], h=0.01))
        f.append(float(coil_forces_3d(sol).force_N.values[0, 2]))
        ell.append(float(inductance_3d(sol, WIRE_M).apparent_inductance_H[0]))
    energy_slope = 0.5 * I_A**2 * (ell[2] - ell[0]) / (2 * DZ_M)
    mean_force = (f[0] + 4 * f[1] + f[2]) / 6
    assert energy_slope == pytest.approx(mean_force, rel=0.02)


def test_the_iron_part_of_the_mutual_inductance_is_reciprocal():
    # M_ba = Ψ_b(I_a)/I_a and M_ab = Ψ_a(I_b)/I_b from two solves with one loop each (the
    # other is only a path). Galerkin does not make the line integral of a reciprocal
    # exactly: measured 2.9e-4 (h = 15 mm) and 4.1e-4 (h = 10 mm), while M_Fe itself moves
    # 1.6e-3 between the meshes: asserted 2e-3.
    a, b = loop(), loop(z=0.015, radius=0.03, current=500.0, name="b")
    ca, cb = (Loop(**{k: v for k, v in c.items() if k != "type"}) for c in (a, b))
    m_ba = flux_linkage_through_Wb(solved(between_plates([a])), cb) / a["current_A"]
    m_ab = flux_linkage_through_Wb(solved(between_plates([b])), ca) / b["current_A"]
    assert m_ba > 0
    assert m_ab == pytest.approx(m_ba, rel=2e-3)


def test_a_quarter_model_gives_the_forces_and_inductance_of_the_full_model():
    # the quarter model's filaments cover all four quadrants with a unfolded by the mirror
    # rule; a wrong rule cancels the iron's flux linkage and force (a 100 % change). Both
    # at h = 15 mm on different meshes; measured F_z 1.6 %, Ψ_Fe 0.17 %; asserted 3 % and
    # 1 %, about three times the quarter model's own change from h = 15 to 10 mm (0.9 %,
    # 0.12 %)
    results = []
    for planes in (QUARTER, None):
        sol = solved(between_plates([loop()], planes=planes))
        ds = inductance_3d(sol, WIRE_M)
        f = coil_forces_3d(sol).force_N.values[0]
        results.append((f, float(ds.flux_linkage_from_iron_Wb[0]), float(ds.energy_J)))
    (f_q, psi_q, w_q), (f_full, psi_full, w_full) = results
    assert f_q[2] == pytest.approx(f_full[2], rel=0.03)
    assert np.abs(f_q[:2]).max() < 1e-12 * abs(f_q[2])  # the mirror images cancel exactly
    assert np.abs(f_full[:2]).max() < 0.01 * abs(f_full[2])  # the full mesh nearly
    assert psi_q == pytest.approx(psi_full, rel=0.01)
    assert w_q == pytest.approx(w_full, rel=0.01)
    # linear iron: the volume energy equals ½ Σ Ψ I from the line integrals (measured
    # 6e-4 here, 7.5e-4 at h = 10 mm): asserted 3e-3
    ds = inductance_3d(solved(between_plates([loop()])), WIRE_M)
    half_psi_i = 0.5 * float(ds.flux_linkage_Wb[0]) * I_A
    assert float(ds.energy_J) == pytest.approx(half_psi_i, rel=3e-3)


def test_saturated_iron_energy_is_the_integral_of_current_over_flux_linkage():
    # W = ∫₀^Ψ I dΨ' = IΨ − ∫₀^I Ψ dI' (co-energy), with Ψ(λI) from solves at scaled
    # currents by 5-point Gauss–Legendre in λ (3 points move it by 8e-4, so 5 are good to
    # well under that). 400 kA saturates the plates: ½ΨI is then 2.7 % above W (measured),
    # while the volume energy of one solve agrees with the co-energy path to 1.5e-3
    # (measured; the linear case agrees with ½ΣΨI to 7e-4 on finer meshes): asserted 5e-3
    current = 4e5

    def solution_at(i):
        return solved(between_plates([loop(current=i)], h=0.02, order=1, material="TEAM-13-steel"))

    def linkage(i):
        return inductance_3d(solution_at(i), WIRE_M)

    full_solution = solution_at(current)
    full = inductance_3d(full_solution, WIRE_M)
    psi = float(full.flux_linkage_Wb[0])
    x, w = np.polynomial.legendre.leggauss(5)
    co_energy = current * sum(
        0.5 * wi * float(linkage(0.5 * (xi + 1) * current).flux_linkage_Wb[0])
        for xi, wi in zip(x, w, strict=True)
    )
    energy = float(full.energy_J)
    assert energy == pytest.approx(current * psi - co_energy, rel=5e-3)
    assert 0.5 * psi * current > 1.02 * energy  # the secant ½ΨI is not the energy here
    assert float(full.apparent_inductance_H[0]) == pytest.approx(psi / current, rel=1e-12)
    with pytest.raises(DesignError, match=r"needs conductor\.wire_radius_m"):
        inductance_3d(coil_from_dict(between_plates([loop()], h=0.02, order=1)).solution)
    lead = Path(id="lead", points_m=[[0.0, 0.0, 0.0], [0.01, 0.0, 0.0]], current_A=1.0)
    with pytest.raises(DesignError, match="coil 'lead': an open path links no definite flux"):
        flux_linkage_through_Wb(full_solution, lead)
