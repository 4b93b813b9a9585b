"""The magnet panel shows the 5-gauss distances of a magnet in air (Biot–Savart)."""

import numpy as np
import xarray as xr

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.views.magnet import MagnetPanel, summary_rows
from cryogen_widgets.views.units import si
from solver.magnet import FringeSummary, load_coil_file, summarise


def test_magnet_panel_shows_the_5_gauss_distances_of_coils_in_air():
    s = summarise(load_coil_file(DESIGNS_DIR / "coils" / "nbti_solenoid.coil.json"))
    rows = dict(summary_rows(s))
    for d, way in (("+z", "along +z"), ("-z", "along −z"), ("r", "radially")):
        name = f"5-gauss (500 µT) line from the origin, {way}"
        assert rows[name] == si(float(s.fringe.extent_m.sel(direction=d)), "m")
    panel = MagnetPanel()
    panel.show({"solenoid": s})
    assert "5-gauss (500 µT) line from the origin, radially" in panel.table.value


def test_magnet_panel_shows_the_5_gauss_line_of_coils_without_a_conductor():
    fringe = xr.Dataset(
        {"extent_m": ("direction", np.array([0.25, 0.25, 0.2]))},
        coords={"direction": ["+z", "-z", "r"]},
        attrs={"level_T": 5e-4, "origin_m": [0.0, 0.0, 0.1]},
    )
    panel = MagnetPanel()
    panel.show({"pair": FringeSummary(fringe, "no margins or quench: no conductor")})
    text = panel.table.value
    assert "5-gauss (500 µT) line from (0 m, 0 m, 100 mm), radially</td><td><b>200 mm" in text
    assert "no margins or quench: no conductor" in text
    assert panel.figure.layout.display == "none"
