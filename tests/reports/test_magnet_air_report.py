"""The magnet report of coils in air lists their 5-gauss distances (Biot–Savart)."""

from __future__ import annotations

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.views.units import si
from solver import design as design_io
from solver.magnet import coil_from_dict, fringe_extent_m
from tests.reports.test_magnet_fem_report import _render_with_coil


def test_report_of_coils_in_air_has_the_5_gauss_distances(tmp_path):
    design = design_io.load(DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").to_dict()
    coil = next(c for c in design["components"] if c["type"] == "magnet")["coil"]
    _, text = _render_with_coil(tmp_path, "nbti-magnet-cryostat.cryo.json", coil)
    assert "Fringe field" in text
    extent = fringe_extent_m(coil_from_dict(coil)).extent_m
    for d, way in (("+z", "along +z"), ("-z", "along −z"), ("r", "radially")):
        row = f"5-gauss (500 µT) line from the origin, {way} {si(float(extent.sel(direction=d)), 'm')}"
        assert row in text
