"""A dilution refrigerator's mixture charge in the app's cooldown plot: markers where condensing
and circulation start (at the Dataset's times), the condensed fraction below, stale after an
edit, cleared on another design."""

from __future__ import annotations

import bqplot as bq
import numpy as np
import pytest

from cryogen_widgets.app import CryoGen
from cryogen_widgets.views.results import CooldownPlot
from tests.thermal.test_mixture_charge import N3, N4, plate_held_by_constant_cooler


@pytest.fixture
def store(tmp_path):
    from cryogen_widgets import store as store_module

    return store_module.open(f"sqlite:///{tmp_path / 'store.sqlite'}", user="tester")


def _marker_hours(plot: CooldownPlot, fig: bq.Figure) -> dict[str, float]:
    """Each event marker of ``fig`` (a vertical line named "<fridge> <event>"): its time (h)."""
    out = {}
    for m in fig.marks:
        if isinstance(m, bq.Lines) and m.labels and m.labels[0].endswith(" starts"):
            x = np.asarray(m.x, dtype=float)
            assert x[0] == x[1]  # vertical
            out[m.labels[0]] = float(x[0])
    return out


def test_charge_markers_at_the_datasets_times_then_stale_then_cleared(store):
    design = plate_held_by_constant_cooler(charge_He3_mol=N3, charge_He4_mol=N4)
    app = CryoGen(design, store=store)
    app.cooldown_target.value = "3.0"
    app.cooldown_node.value = "plate4"
    app.runs.run("Cooldown")
    app.runs.wait(120)
    assert app.runs.last_error is None, app.runs.last_error
    ds, plot = app.last["Cooldown"], app.cooldown_plot
    expected = {
        "dr condensing starts": float(ds.condensing_starts_s.sel(fridge="dr")) / 3600.0,
        "dr circulation starts": float(ds.circulation_starts_s.sel(fridge="dr")) / 3600.0,
    }
    assert expected["dr condensing starts"] < expected["dr circulation starts"]
    # the same times on the temperature curves and on the condensed-fraction figure (the plot
    # only divides the Dataset's seconds by 3600)
    assert _marker_hours(plot, plot.figure) == pytest.approx(expected, rel=1e-12)
    assert _marker_hours(plot, plot.charge_figure) == pytest.approx(expected, rel=1e-12)
    labels = {m.text[0] for m in plot.figure.marks if isinstance(m, bq.Label)}
    assert labels == set(expected)
    assert plot.charge_figure in plot.children
    frac = next(m for m in plot.charge_figure.marks if m.labels == ["dr"])
    np.testing.assert_array_equal(frac.y, ds.condensed_fraction.sel(fridge="dr").values)
    assert "mixture charge: condensing from" in plot.note.value

    app.model.set_field("cooler", "power_W", 0.4)
    assert plot.banner.stale
    app.open_design(plate_held_by_constant_cooler())
    assert plot.figure.marks == [] and plot.charge_figure.marks == []
    assert plot.charge_figure not in plot.children and plot.markers == []


def test_without_a_charge_no_markers_and_no_fraction_figure():
    from solver.thermal.cooldown import cooldown

    plot = CooldownPlot()
    plot.show(cooldown(plate_held_by_constant_cooler(), target_K=3.0, node="plate4"))
    assert plot.markers == [] and plot.charge_figure.marks == []
    assert plot.charge_figure not in plot.children
    assert "mixture charge" not in plot.note.value
