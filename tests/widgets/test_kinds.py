"""The element registry seen from the designer: every type has one entry, validates, lowers, is drawn.

Adding an element type touches one module in ``solver/elements/`` and one entry in
``cryogen_widgets/designer/kinds.py``; this test walks the registry to prove that
nothing else is needed (README, "Adding a link type").
"""

from __future__ import annotations

import copy

import pytest

from cryogen_widgets.designer import scene, schema
from cryogen_widgets.designer.kinds import KINDS
from solver import design, elements
from solver.thermal.network import build_network

BAR_BODY = {  # a 0.2 m SS304 bar whose end faces are the link's two nodes
    "spacing_m": 0.01,
    "geometry": [
        {"type": "box", "material": "SS304", "min_m": [0, 0, 0], "max_m": [0.2, 0.02, 0.02]}
    ],
    "patches": [
        {"id": "hot", "side": "x-", "node": "warm"},
        {"id": "cold", "side": "x+", "node": "cold"},
    ],
}


def _base() -> dict:
    return {
        "schema": design.SCHEMA,
        "components": [
            schema.new_item("boundary", "warm"),
            schema.new_item("stage", "cold"),
        ],
        "links": [],
    }


def _with_component(kind: str) -> dict:
    d = _base()
    item = schema.new_item(kind, "x")
    if "stage" in item:
        item["stage"] = "cold"
    if kind == "cryocooler":
        names = schema.cooler_stage_names(item["model"])
        d["components"] += [schema.new_item("stage", f"s{k}") for k in range(1, len(names))]
        item["stages"] = dict(
            zip(names, ["cold", *(f"s{k}" for k in range(1, len(names)))], strict=True)
        )
        d["links"] += [
            {**schema.new_item("conductor", f"l{k}"), "from": "warm", "to": f"s{k}"}
            for k in range(1, len(names))
        ]
    if kind == "dilution_refrigerator":  # names three stages of its own
        d["components"] += [schema.new_item("stage", s) for s in ("still", "plate4")]
        d["links"] += [
            {**schema.new_item("conductor", f"l-{s}"), "from": "warm", "to": s}
            for s in ("still", "plate4")
        ]
        item.update(mixing_chamber="cold", still="still", plate4="plate4")
    if kind not in elements.NODES:
        d["components"].append(item)
    d["links"].append({**schema.new_item("conductor", "rod"), "from": "warm", "to": "cold"})
    return d


def _with_link(kind: str) -> dict:
    d = _base()
    item = {**schema.new_item(kind, "x"), "from": "warm", "to": "cold"}
    if not elements.LINKS[kind].drawn:  # placed by the grid solver, not from starter values
        item["body"] = copy.deepcopy(BAR_BODY)
    d["links"].append(item)
    return d


def test_one_designer_entry_per_registered_type():
    registered = set(elements.COMPONENTS) | set(elements.LINKS)
    assert set(KINDS) == registered
    assert set(schema.COMPONENT_TYPES) == set(elements.COMPONENTS)
    assert set(schema.LINK_TYPES) == set(elements.LINKS)


def test_every_spec_names_its_own_model():
    for name, spec in [*elements.COMPONENTS.items(), *elements.LINKS.items()]:
        assert spec.type == name
        assert spec.model.model_fields["type"].annotation.__args__ == (name,)


@pytest.mark.parametrize("kind", sorted(elements.COMPONENTS))
def test_component_validates_from_its_starter_values_and_lowers(kind):
    d = _with_component(kind)
    assert design.validate(d) == []
    net = build_network(d)
    assert "cold" in net.node_ids
    assert KINDS[kind].colour == scene.KIND_FILL[kind]


@pytest.mark.parametrize("kind", sorted(elements.LINKS))
def test_link_validates_from_its_starter_values_lowers_and_is_drawn(kind):
    d = _with_link(kind)
    assert design.validate(d) == []
    net = build_network(d)
    lowered = list(net.term_link) + [t.link for t in net.terminals]
    assert lowered.count(0) >= 1, f"{kind} produced no network term"
    assert scene.LINK_STROKE[kind].startswith("#")
    assert (kind in schema.DRAWN_LINK_TYPES) == elements.LINKS[kind].drawn
