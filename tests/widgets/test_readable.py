"""Numbers and axes people can read: SI prefixes, decade ticks, nice colour-bar ticks."""

import numpy as np
import pytest
import xarray as xr

from cryogen_widgets.views import colors, plots, units
from cryogen_widgets.views.results import load_groups, runs_of, time_to_target_html


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (8.54e-11, "W", "85.4 pW"),
        (8.54e-5 * 1e-6, "W", "85.4 pW"),
        (0.99996, "W", "1 W"),
        (0.012, "W", "12 mW"),
        (1500.0, "W", "1.5 kW"),
        (0.0, "W", "0 W"),
        (None, "W", "—"),
        (float("nan"), "W", "—"),
    ],
)
def test_si_prefix_is_chosen_from_the_value(value, unit, text):
    assert units.si(value, unit) == text


def test_temperatures_use_mK_below_1_K_and_never_kK():
    assert units.temperature(0.0123) == "12.3 mK"
    assert units.temperature(4.2) == "4.2 K"
    assert units.temperature(1500.0) == "1500 K"


def test_decade_ticks_are_1_10_100_and_1_2_5_within_a_decade():
    assert plots.decade_ticks(0.003, 400.0) == pytest.approx([0.01, 0.1, 1, 10, 100])
    assert plots.decade_ticks(2.0, 9.0) == pytest.approx([2, 5])


def test_colour_bar_ticks_are_round_numbers():
    assert colors.nice_ticks(0.0, 0.67) == pytest.approx([0.0, 0.2, 0.4, 0.6])
    assert colors.nice_ticks(3.0, 300.0, log=True) == pytest.approx([10, 100])


@pytest.mark.parametrize("hi", [0.4, 0.4000001, np.float32(0.4)])
def test_symmetric_span_gets_its_ticks_not_one(hi):
    # the smallest 1-2-5 step >= span/(n-1) can be 0.5 here, leaving only 0 inside
    ticks = colors.nice_ticks(-hi, hi, n=5)
    assert ticks == [-0.4, -0.2, 0.0, 0.2, 0.4]  # exact: no 0.20000000000000007 labels
    assert all(isinstance(t, float) for t in ticks)


def test_log_scale_domain_snaps_outwards_and_a_new_result_resets_it():
    import bqplot as bq

    scale = bq.LogScale()
    plots.set_domain(scale, [2.7, 300.0])
    assert (scale.min, scale.max) == (2.0, 500.0)
    plots.set_domain(scale, [40.0, 60.0])
    assert (scale.min, scale.max) == (20.0, 100.0)


def test_extrapolated_segments_are_separate_runs():
    mask = np.array([True, True, False, False, False, True])
    assert runs_of(mask) == [(0, 2, True), (2, 5, False), (5, 6, True)]


def test_published_loads_that_differ_by_round_off_are_one_line():
    assert load_groups([0.0, 10.0, 10.1, 20.0, 40.0, 40.02]) == [
        [0.0],
        [10.0, 10.1],
        [20.0],
        [40.0, 40.02],
    ]


def test_time_to_target_names_the_target_and_the_node():
    ds = xr.Dataset(
        attrs={"time_to_target_s": 3600.0 * 4.74, "target_K": 4.2, "target_node": "plate"}
    )
    assert time_to_target_html(ds) == "time to reach 4.2 K at <b>plate</b>: <b>4.74 h</b>"
