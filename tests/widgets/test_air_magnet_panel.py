"""The magnet panel shows the 5-gauss distances of a magnet in air (Biot–Savart)."""

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.views.magnet import MagnetPanel, summary_rows
from cryogen_widgets.views.units import si
from solver.magnet import load_coil_file, summarise


def test_magnet_panel_shows_the_5_gauss_distances_of_coils_in_air():
    s = summarise(load_coil_file(DESIGNS_DIR / "coils" / "nbti_solenoid.coil.json"))
    rows = dict(summary_rows(s))
    for d, way in (("+z", "along +z"), ("-z", "along −z"), ("r", "radially")):
        name = f"5-gauss (500 µT) line from the origin, {way}"
        assert rows[name] == si(float(s.fringe.extent_m.sel(direction=d)), "m")
    panel = MagnetPanel()
    panel.show({"solenoid": s})
    assert "5-gauss (500 µT) line from the origin, radially" in panel.table.value
