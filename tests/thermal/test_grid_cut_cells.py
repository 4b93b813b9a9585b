"""Cut cells: a cylinder on the grid carries its nominal section πr² and volume πr²L.

References are independent of the solver: the disc–rectangle area by scipy ``quad`` of
the chord length; Fourier conduction along a straight rod, Q = πr²·(Θ(T_h) - Θ(T_c))/L
with the closed-form Kirchhoff integral Θ = ∫k dT of ``LinearK``; uniform heating of an
insulated rod, ∫cp dT = P·t/(ρ·πr²L). For these the cut-cell scheme is exact (each
column of cells is a 1-D chain of area a·h² and the fractions add up to πr²), so the
tolerances are the solver's convergence (rtol 1e-10, stated per test), at every
resolution and offset; the old voxel staircase was off by its area error (+0.6 % at
8 cells per radius, printed by ``python -m tests.thermal.test_grid_cut_cells``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from solver.thermal.grid import (
    Box,
    ConductionBody,
    Cylinder,
    FixedTemperature,
    HeatFlux,
    NodeLink,
    Patch,
    VolumeSource,
    solve_transient,
)
from solver.thermal.grid.geometry import disc_fraction
from tests.thermal.grid_cases import LinearK

H = 1e-3
MATERIAL = LinearK(a=50.0, b=1.0, id="cu-like")  # k = 50 + T W/(m K)
T_HOT, T_COLD = 80.0, 4.0


def quad_area(u0, u1, v0, v1, r):
    """Area of the disc of radius r inside [u0, u1] x [v0, v1] by quadrature of the chord."""

    def chord(u):
        s = math.sqrt(max(r * r - u * u, 0.0))
        return max(0.0, min(v1, s) - max(v0, -s))

    # the chord has kinks at u = ±r and where the arc crosses v0 or v1
    kinks = [r] + [math.sqrt(r * r - v * v) for v in (v0, v1) if abs(v) < r]
    cuts = sorted({s * k for k in kinks for s in (-1, 1) if u0 < s * k < u1})
    return quad(chord, u0, u1, points=cuts or None, epsabs=1e-14, epsrel=1e-12)[0]


def test_disc_fraction_is_the_area_inside_the_circle():
    r = 1.0
    u = np.array([-1.3, -0.71, -0.2, 0.35, 0.9, 1.02])
    v = np.array([-1.1, -0.45, 0.05, 0.6, 0.97, 1.4])
    got = disc_fraction(u, v, r) * np.diff(u)[:, None] * np.diff(v)[None, :]
    want = [[quad_area(u[i], u[i + 1], v[j], v[j + 1], r) for j in range(5)] for i in range(5)]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)  # quad converges to ~1e-14


def rod(r_cells: float, offset_cells=(0.0, 0.0), cells_long: int = 20, patches=None):
    """A z-rod of radius r_cells·H from z = 0 to cells_long·H, with its axis offset_cells
    cells from the grid's cell corners (a hole box at the lower corner sets the origin)."""
    r, L = r_cells * H, cells_long * H
    shapes = [Cylinder((0.0, 0.0, 0.5 * L), r, L, "z", MATERIAL)]
    if any(offset_cells):
        corner = (-r - offset_cells[0] * H, -r - offset_cells[1] * H, 0.0)
        shapes.insert(0, Box(corner, np.add(corner, 0.5 * H), None))
    patches = patches or [
        Patch("hot", "z-", FixedTemperature(T_HOT)),
        Patch("cold", "z+", FixedTemperature(T_COLD)),
    ]
    return ConductionBody(shapes, H, patches), r, L


def fourier(r, L):
    """Heat along a rod with fixed end temperatures, W: πr²·(Θ(T_h) - Θ(T_c))/L."""
    return math.pi * r * r * (MATERIAL.theta(T_HOT) - MATERIAL.theta(T_COLD)) / L


@pytest.mark.parametrize("r_cells", [2, 4, 8, 8.37, 16])
@pytest.mark.parametrize("offset", [(0.0, 0.0), (0.3, 0.1), (0.5, 0.5)])
def test_rod_carries_the_nominal_section_at_any_resolution_and_offset(r_cells, offset):
    body, r, L = rod(r_cells, offset)
    ds = body.solve_steady()
    Q = float(ds.patch_heat_W.sel(patch="hot"))
    # exact scheme; 1e-9 leaves room for the steady rtol 1e-10 on the gross flows
    assert Q == pytest.approx(fourier(r, L), rel=1e-9)
    assert float(ds.patch_heat_W.sel(patch="cold")) == pytest.approx(-Q, rel=1e-9)
    assert body.faces.area_m2[0] == pytest.approx(math.pi * r * r, rel=1e-12)


@pytest.mark.parametrize("axis", ["x", "y"])
def test_rods_along_x_and_y_carry_the_nominal_section(axis):
    r, L = 5.61 * H, 12 * H
    centre = np.full(3, 0.3 * H)
    centre["xyz".index(axis)] = 0.5 * L
    ends = [Patch("hot", f"{axis}-", FixedTemperature(T_HOT)),
            Patch("cold", f"{axis}+", FixedTemperature(T_COLD))]  # fmt: skip
    body = ConductionBody([Cylinder(tuple(centre), r, L, axis, MATERIAL)], H, ends)
    Q = float(body.solve_steady().patch_heat_W.sel(patch="hot"))
    assert Q == pytest.approx(fourier(r, L), rel=1e-9)  # as for the z-rods


def test_rod_between_network_nodes_gives_the_closed_form_flows_and_derivatives():
    """Linked to nodes: Q into the warm node -πr²(Θ_h - Θ_c)/L, dQ_h/dT_h = -πr²k(T_h)/L,
    dQ_h/dT_c = πr²k(T_c)/L (and the reverse for the cold node)."""
    links = [Patch("warm", "z-", NodeLink("a")), Patch("cold", "z+", NodeLink("b"))]
    body, r, L = rod(6.8, (0.2, 0.7), patches=links)
    Q, J = body.terminal_response(np.array([T_HOT, T_COLD]))
    G = math.pi * r * r / L
    np.testing.assert_allclose(Q, [-fourier(r, L), fourier(r, L)], rtol=1e-9)
    k_h, k_c = float(MATERIAL.k(T_HOT)), float(MATERIAL.k(T_COLD))
    want = [[-G * k_h, G * k_c], [G * k_h, -G * k_c]]
    np.testing.assert_allclose(J, want, rtol=1e-8)  # sensitivity solve at the linear floor


def test_heat_capacity_and_cooldown_use_the_nominal_volume():
    """An insulated rod heated by P W everywhere: ρ·∫cp dT = P·t/(πr²L) in every cell."""
    r_cells, P, t_end, T0 = 8.37, 2.0, 30.0, 20.0
    r, L = r_cells * H, 20 * H
    source = VolumeSource("heater", (-1, -1, -1), (1, 1, 1), P)
    body = ConductionBody(
        [Cylinder((0.0, 0.0, 0.5 * L), r, L, "z", MATERIAL)],
        H,
        [Patch("end", "z-", HeatFlux(power_W=0.0))],
        [source],
    )
    volume = math.pi * r * r * L
    assert float(np.sum(body.cell_volume())) == pytest.approx(volume, rel=1e-12)
    ds = solve_transient(body, t_end, T0, output_times_s=[t_end], tolerance_K=10.0)
    # c0·(T - T0) + c1/2·(T² - T0²) = E / (ρV), solved for T
    c0, c1, E = MATERIAL.c0, MATERIAL.c1, P * t_end / (MATERIAL.density_kg_m3 * volume)
    T_end = (-c0 + math.sqrt(c0**2 + c1 * (2 * E + 2 * c0 * T0 + c1 * T0**2))) / c1
    T = ds["T"].isel(time=-1).values
    # backward Euler in enthalpy form is exact for a uniform source; Newton rtol 1e-10
    np.testing.assert_allclose(T[np.isfinite(T)], T_end, rtol=1e-9)
    assert ds.attrs["stored_energy_J"] == pytest.approx(P * t_end, rel=1e-9)


def test_bore_in_a_block_removes_its_nominal_section():
    """A block with a round bore along its length: Q = (W² - πr²)·(Θ_h - Θ_c)/L."""
    W, L, r = 24 * H, 10 * H, 7.3 * H
    body = ConductionBody(
        [
            Box((0, 0, 0), (W, W, L), MATERIAL),
            Cylinder((0.5 * W + 0.2 * H, 0.5 * W, 0.5 * L), r, L, "z"),
        ],
        H,
        [
            Patch("hot", "z-", FixedTemperature(T_HOT)),
            Patch("cold", "z+", FixedTemperature(T_COLD)),
        ],
    )
    Q = float(body.solve_steady().patch_heat_W.sel(patch="hot"))
    want = (W * W - math.pi * r * r) * (MATERIAL.theta(T_HOT) - MATERIAL.theta(T_COLD)) / L
    assert Q == pytest.approx(want, rel=1e-9)


def test_rod_on_a_block_exposes_the_block_around_its_foot():
    """The block's top face keeps its area outside the rod: W² - πr² in a z+ patch."""
    W, r = 24 * H, 6.6 * H
    body = ConductionBody(
        [
            Box((0, 0, 0), (W, W, 4 * H), MATERIAL),
            Cylinder((0.5 * W, 0.5 * W + 0.3 * H, 9 * H), r, 10 * H, "z", MATERIAL),
        ],
        H,
        [
            Patch("top", "z+", HeatFlux(power_W=0.0), max_m=(1, 1, 4 * H)),
            Patch("end", "z+", HeatFlux(power_W=0.0), min_m=(-1, -1, 5 * H)),
        ],
    )
    assert body.faces.area_m2[0] == pytest.approx(W * W - math.pi * r * r, rel=1e-12)
    assert body.faces.area_m2[1] == pytest.approx(math.pi * r * r, rel=1e-12)


@pytest.mark.parametrize("r_cells, allowed", [(4, 1e-2), (8, 3e-3), (16, 1e-3)])
def test_side_patch_area_is_the_projected_area(r_cells, allowed):
    """An x+ patch on a z-rod covers its curved surface seen from +x, 2rL (projected,
    second-order accurate in h where the surface turns inside a cell)."""
    patches = [Patch("side", "x+", HeatFlux(power_W=0.0))]
    body, r, L = rod(r_cells, (0.5, 0.5), patches=patches)
    assert body.faces.area_m2[0] == pytest.approx(2 * r * L, rel=allowed)


def test_nominal_and_cut_cell_sizes_are_reported():
    body, r, L = rod(8, (0.3, 0.1))
    ds = body.solve_steady()
    assert int(ds.cylinder.values[0]) == 1  # the hole box is shape 0
    assert float(ds.cylinder_nominal_section_m2[0]) == pytest.approx(math.pi * r * r, rel=1e-15)
    assert float(ds.cylinder_section_m2[0]) == pytest.approx(math.pi * r * r, rel=1e-12)
    assert float(ds.cylinder_volume_m3[0]) == pytest.approx(math.pi * r * r * L, rel=1e-12)
    assert ds.attrs["solid_volume_m3"] == pytest.approx(math.pi * r * r * L, rel=1e-12)
    assert (
        "cut-cell cross-section 0.0002011 m² vs nominal πr² 0.0002011 m² (+0.00 %)"
        in (ds.attrs["geometry_notes"])
    )


def staircase_section(r_cells: float, offset_cells) -> float:
    """Cells whose centre lies inside the circle, × h², on the grid of ``rod``: the old
    voxel section, m²."""
    k = np.arange(-2, 2 * math.ceil(r_cells) + 3) + 0.5
    x, y = ((k - r_cells - o) * H for o in offset_cells)
    return float(np.sum(x[:, None] ** 2 + y[None, :] ** 2 <= (r_cells * H) ** 2)) * H * H


if __name__ == "__main__":  # convergence table: cut cells beside the old staircase
    print("r/h    offset (cells)  cut-cell Q error   staircase section error")
    for r_cells in (2, 4, 8, 8.37, 16, 32):
        for offset in ((0.0, 0.0), (0.3, 0.1), (0.5, 0.5)):
            body, r, L = rod(r_cells, offset)
            Q = float(body.solve_steady().patch_heat_W.sel(patch="hot"))
            stair = staircase_section(r_cells, offset) / (math.pi * r * r) - 1
            print(f"{r_cells:<6} {offset!s:15} {Q / fourier(r, L) - 1:+.1e}           {stair:+.3%}")
