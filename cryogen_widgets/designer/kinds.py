"""The designer's entry for each element type: starter values and drawing style, in palette order.

Keyed by the type names of the solver's element registry (``solver.elements``);
``tests/widgets/test_kinds.py`` checks that every registered type has an entry
here, validates from its starter values, lowers to network terms and has a
drawing style. Adding a type to the solver means adding its entry here, nothing
else in the widgets.

Starter values are what a freshly placed item starts with, so that it is valid
as soon as it is linked: editing defaults (the engineer changes them in the
property panel), not data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Kind:
    """How the designer shows one element type.

    ``colour``: box fill for components, line stroke for links; ``dash``: (on, off)
    pixel pattern of a link's line, None for solid; ``symbol``: the outline of a fluid
    point (``junction``, ``inlet``, ``outlet``, ``vessel``, ``exchanger``) or the mark
    drawn in the middle of a fluid element's line (``valve``, ``jt``, ``pump``).
    """

    colour: str
    starter: dict[str, Any] = field(default_factory=dict)
    dash: tuple[int, int] | None = None
    symbol: str | None = None


_SOLENOID_COIL: dict[str, Any] = {
    "schema": "cryogen/coil@1",
    "coils": [
        {
            "id": "main",
            "type": "solenoid",
            "radius_m": 0.05,
            "length_m": 0.2,
            "turns": 1000,
            "current_A": 10.0,
        }
    ],
    "conductor": {
        "superconductor": "NbTi",
        "cu_to_sc": 1.5,
        "area_m2": 1e-6,
        "wire_radius_m": 4e-4,
    },
    "operating_temperature_K": 4.2,
}

KINDS: dict[str, Kind] = {
    # nodes
    "boundary": Kind("#c9d6e3", {"temperature_K": 300.0}),
    "stage": Kind(
        "#e8eef5",
        # max_K: a palette starter (the design file's default stays none) so capacity and
        # margin show at once; 4.5 K is a common 4 K-plate limit, edited per stage
        {
            "material": "OFHC-Cu-RRR100",
            "mass_kg": 1.0,
            "initial_K": 300.0,
            "heat_load_W": 0.0,
            "max_K": 4.5,
        },
    ),
    "bath": Kind("#d4ecf7", {"fluid": "He", "pressure_Pa": 101325.0, "volume_L": 100.0}),
    # sources
    "heat_load": Kind("#f6d8c8", {"stage": "", "power_W": 0.1}),
    # 0.1 W: below the 0.3 W a starter conductor (SS304, 0.1 m, 10 mm²) carries from 300 K,
    # so a starter stage with a starter cooler solves
    "constant_cooler": Kind("#cde8d4", {"stage": "", "power_W": 0.1}),
    "cryocooler": Kind("#b8e0c8", {"model": "Cryomech PT420", "stages": {}}),
    "dilution_unit": Kind("#cfe3f7", {"stage": "", "flow_mol_s": 1e-4}),
    "dilution_refrigerator": Kind(
        "#a9cdf0",
        {"mixing_chamber": "", "still": "", "plate4": "", "flow_mol_s": 5e-4, "still_K": 0.8},
    ),
    "magnet": Kind("#e3d3f0", {"stage": "", "coil": _SOLENOID_COIL}),
    # links
    "conductor": Kind("#444444", {"material": "SS304", "length_m": 0.1, "area_m2": 1e-5}),
    "strap": Kind("#b5651d", {"material": "OFHC-Cu-RRR100", "length_m": 0.1, "area_m2": 2e-5}),
    "support": Kind(
        "#7f7f7f", {"material": "G10-normal", "length_m": 0.1, "area_m2": 2e-5, "count": 4}
    ),
    "radiation": Kind("#d62728", {"area_m2": 0.3, "emissivity_eff": 0.05}, dash=(6, 4)),
    "mli": Kind(
        "#ff7f0e",
        {"area_m2": 1.0, "layers": 30, "layer_density_per_cm": 20.0, "pressure_Pa": 1e-4},
        dash=(2, 3),
    ),
    "gas": Kind("#17becf", {"species": "He", "area_m2": 0.1, "pressure_Pa": 1e-4}, dash=(1, 3)),
    "contact": Kind("#2ca02c", {"conductance_W_K": 0.1}),
    "wiring": Kind(
        "#9467bd",
        {"length_m": 0.3, "layers": [{"material": "Manganin", "area_m2": 1e-8}], "count": 12},
    ),
    "body": Kind("#8c564b"),
    "current_lead": Kind(
        "#bcbd22",
        {"material": "OFHC-Cu-RRR100", "current_A": 100.0, "shape": "optimal", "count": 2},
    ),
}

FLOW_KINDS: dict[str, Kind] = {
    # points of the fluid network (boxes); "junction" has no type field in the design file
    "junction": Kind("#d9f0f7", symbol="junction"),
    # 3 bar, 4.5 K: supercritical helium as in a forced-flow magnet loop
    "inlet": Kind("#9fd3e8", {"pressure_Pa": 3.0e5, "temperature_K": 4.5}, symbol="inlet"),
    "mass_flow_inlet": Kind(
        "#9fd3e8", {"mass_flow_kg_s": 0.005, "temperature_K": 4.5}, symbol="inlet"
    ),
    "outlet": Kind("#c3e3f0", {"pressure_Pa": 1.2e5}, symbol="outlet"),
    "bath": Kind("#e6f4fa", {"pressure_Pa": 1.2e5}, symbol="vessel"),
    "counterflow_hx": Kind(
        "#f3e6f7",
        {"hot_from": "", "hot_to": "", "cold_from": "", "cold_to": "", "UA_W_K": 5.0},
        symbol="exchanger",
    ),
    # elements drawn as lines between two points
    "pipe": Kind("#1f5fa8", {"length_m": 5.0, "diameter_m": 0.01, "segments": 10}),
    "valve": Kind("#1f5fa8", {"Cv": 0.2}, symbol="valve"),
    "jt_valve": Kind("#1f5fa8", {"area_m2": 2e-7}, symbol="jt"),
    "circulator": Kind(
        "#1f5fa8",
        {"curve_kg_s_Pa": [[0.0, 2.0e4], [0.02, 0.0]], "efficiency": 0.5},
        symbol="pump",
    ),
}
"""The fluid network's entries (a design's ``flow`` section), keyed by type, in palette order."""

FLOW_LINES = {
    "hx_hot": Kind("#d62728"),  # an exchanger's hot stream, in and out
    "hx_cold": Kind("#1f77b4"),  # its cold stream
    "wall": Kind("#8c6d31", dash=(2, 4)),  # a pipe wall to the thermal node it exchanges with
}
"""Lines of the fluid drawing that are not design items."""

ATTACH = Kind("#6a8caf", dash=(4, 4))
"""The dashed line from a source to the node it acts on (not an element type)."""
