"""Search through SQLAlchemy (SQLite and PostgreSQL): spelling variants, filters, user components."""

from __future__ import annotations

import json

import pytest

from cryogen_widgets import catalog
from cryogen_widgets.catalog import Filters
from cryogen_widgets.cli import main as cli_main
from cryogen_widgets.store.accounts import Accounts
from materials_data import DATA_DIR
from solver.catalog import UserComponentError


@pytest.fixture
def cat(db_url):
    return catalog.open(db_url, "alice")


def first_ids(cat, text, **kw):
    return [h.id for h in cat.search(text, **kw)]


def data_file(name):
    """A built-in catalog family file, read here (the expectations come from the data)."""
    return json.loads((DATA_DIR / "components" / f"{name}.json").read_text())


def coolers():
    return data_file("cryocoolers")["entries"] + data_file("cryocoolers_ratings")["entries"]


def published_temperatures_K(cooler):
    """Stage temperatures of a cooler's published map (T columns) or curve (first column)."""
    if "capacity_map" in cooler:
        cols = cooler["capacity_map"]["columns"]
        return [
            r[i] for r in cooler["capacity_map"]["data"] for i, c in enumerate(cols) if c[0] == "T"
        ]
    return [r[0] for r in cooler.get("capacity_curve", {}).get("data", [])]


@pytest.mark.parametrize(
    "text",
    [
        "pt 420",
        "PT-420",
        "PT420",
        "pt420",
        "cryomech 420",
        "Cryomech PT 420",
        "cryomeck 420",
        "  PT - 420 ",
    ],
)
def test_spelling_variants_find_the_pt420(cat, text):
    assert first_ids(cat, text)[0] == "cryomech-pt420"


@pytest.mark.parametrize(
    "text", ["rdk 408", "RDK-408D2", "rdk408d2", "sumitomo 408 d2", "sumitmo rdk 408"]
)
def test_spelling_variants_find_the_rdk408d2(cat, text):
    assert first_ids(cat, text)[0] == "shi-rdk-408d2"


def test_numbers_are_not_fuzzy(cat):
    # a different model number must not match by trigram similarity
    assert "cryomech-pt420" not in first_ids(cat, "pt 415")
    assert first_ids(cat, "pt 415")[0] == "cryomech-pt415"


def test_category_maker_and_text_filters(cat):
    hits = cat.search("g10 tube", category="support", limit=500)
    assert hits and all(h.category == "support" and "g10" in h.id for h in hits)
    makers = {
        e.get("maker", "")
        for f in DATA_DIR.glob("components/*.json")
        for e in json.loads(f.read_text()).get("entries", [])
    }
    sumitomo = {m for m in makers if "sumitomo" in m.lower()}
    assert sumitomo and {h.maker for h in cat.search("", maker="sumitomo", limit=100)} == sumitomo
    assert first_ids(cat, "sc 086 ss")[0] == "coaxco-sc-086-50-ss-ss"
    assert cat.search("no such thing xyzzy") == []


def test_parametric_filters(cat):
    # each expectation is the filter's rule applied to the data files, read here
    rated = first_ids(
        cat, "", category="cryocooler", filters=Filters(capacity_at=(4.2, 1.0)), limit=100
    )
    at_4k2 = [p["Q_W"] for e in coolers() for p in e.get("rating_points", []) if p["T_K"] == 4.2]
    assert set(rated) == {
        e["id"]
        for e in coolers()
        if any(p["T_K"] == 4.2 and p["Q_W"] >= 1.0 for p in e.get("rating_points", []))
    }
    assert min(at_4k2) < 1.0 <= max(at_4k2)  # the filter both keeps and drops coolers
    wires = data_file("superconductors")
    strong = first_ids(cat, "", filters=Filters(ic_at=(77.0, 0.0, 200.0)), limit=100)
    assert set(strong) == {
        e["id"]
        for e in wires["entries"]
        if (ic := e["parameters"]["Ic_A"])["T_K"] == 77.0
        and ic["B_T"] == 0.0
        and ic["value_A"] >= 200
    }
    assert all(g["ic_reference"]["T_K"] != 77.0 for g in wires["derived"])  # strands: 4.2 K
    at_4k = first_ids(cat, "", category="cryocooler", filters=Filters(temperature_K=4.0), limit=100)
    spans = {e["id"]: published_temperatures_K(e) for e in coolers()}
    assert set(at_4k) == {i for i, t in spans.items() if t and min(t) <= 4.0 <= max(t)}
    nbti_at_10k = first_ids(cat, "nbti", filters=Filters(temperature_K=10.0), limit=100)
    tc0 = json.loads((DATA_DIR / "superconductors.json").read_text())["superconductors"]["NbTi"]
    assert tc0["constants"]["Tc0_K"] < 10.0 and nbti_at_10k == []  # NbTi is normal at 10 K


def test_user_components_are_validated_owned_and_never_override(cat, db_url):
    Accounts(db_url).set_plan("alice", "enterprise")
    mine = {
        "id": "alice-stirling",
        "name": "Lab Stirling cooler",
        "category": "cryocooler",
        "stages": ["cold_tip"],
        "capacity_curve": {"data": [[40, 2.0], [77, 9.0], [150, 20.0]]},
        "source": "measured in our lab, 2026",
    }
    comp = cat.add(mine)
    assert comp.owner == "alice" and comp.kind == "user"
    assert first_ids(cat, "lab stirling")[0] == "alice-stirling"
    bob = catalog.open(db_url, "bob")
    assert "alice-stirling" not in first_ids(bob, "lab stirling")
    with pytest.raises(UserComponentError, match="built-in"):
        cat.add({**mine, "id": "cryomech-pt420"})
    with pytest.raises(UserComponentError, match=r"capacity_curve\.data"):
        cat.add({**mine, "id": "alice-bad", "capacity_curve": {"data": [[40, 9.0], [77, 2.0]]}})
    with pytest.raises(UserComponentError, match=r"material"):
        cat.add(
            {
                "id": "alice-rod",
                "name": "rod",
                "category": "strap",
                "material": "Unobtainium",
                "length_m": 0.1,
                "area_m2": 1e-5,
            }
        )


def test_user_component_needs_a_plan_with_custom_components(db_url):
    from cryogen_widgets.store import PlanLimitError

    carol = catalog.open(db_url, "carol")
    with pytest.raises(PlanLimitError, match="enterprise"):
        carol.add(
            {
                "id": "carol-rod",
                "name": "rod",
                "category": "strap",
                "material": "SS304",
                "length_m": 0.1,
                "area_m2": 1e-5,
            }
        )


def test_cli_search_lists_source(db_url, capsys):
    assert cli_main(["components", "search", "pt 420", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cryomech-pt420") and "source:" in out and "Siodlaczek" in out
    assert (
        cli_main(
            [
                "components",
                "search",
                "scs",
                "--category",
                "superconductor",
                "--json",
                "--db",
                db_url,
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    # equal text scores for every SCS tape, ties broken by id
    scs = sorted(
        e["id"] for e in data_file("superconductors")["entries"] if e["model"].startswith("SCS")
    )
    assert [r["id"] for r in payload["results"]] == scs
