"""The 5-gauss line on the field map of coils in air (the Fields view's key and contour)."""

import math

import numpy as np
import pytest

from cryogen_widgets.views.field_slice import FieldSlice
from solver.magnet import Magnet
from solver.magnet.coils import Loop
from solver.magnet.field_grid import magnets_field_map

MU0 = 4e-7 * math.pi  # vacuum permeability, H/m (to 1e-10 after the 2019 SI redefinition)
LEVEL_T = 5e-4  # 5 gauss


def _loop(current_A: float) -> Loop:
    return Loop(id="loop", radius_m=0.1, turns=100, current_A=current_A)


def test_air_map_crosses_the_5_gauss_level_where_the_loop_field_does():
    loop = _loop(1.0)  # 100 A-turns: 0.5 mT at z* = 41 mm, inside the ±60 mm map
    ds = magnets_field_map({"m": Magnet([loop])})
    assert ds.attrs["fringe_level_T"] == LEVEL_T
    # on the axis: B = μ0 N I a² / 2(a² + z²)^(3/2) (Jackson 5.40) equals the level at z*
    a, ni = loop.radius_m, loop.turns * loop.current_A
    z_star = math.sqrt((MU0 * ni * a**2 / (2 * LEVEL_T)) ** (2 / 3) - a**2)
    line = ds["B"].interp(x=0.0, y=0.0)
    z = line.z.values[line.z.values > 0]
    b = line.sel(z=z).values
    crossing = float(np.interp(LEVEL_T, b[::-1], z[::-1]))  # |B| falls with z
    # the map is sampled on its grid and interpolated linearly: one grid step
    assert crossing == pytest.approx(z_star, abs=ds.attrs["grid_step_m"])
    view = FieldSlice()
    view.show(ds, "B", plane="xz")
    assert "5 gauss) line" in view.legend.value
    assert "beyond this map" not in view.legend.value


def test_air_map_key_says_when_the_5_gauss_line_lies_beyond_it():
    ds = magnets_field_map({"m": Magnet([_loop(4000.0)])})  # 0.5 mT far outside the map
    view = FieldSlice()
    view.show(ds, "B", plane="xz")
    assert "5 gauss) line (beyond this map)" in view.legend.value
