"""The schematic sheet (SVG and PDF, A3/A4) and the design drawing exports (SVG, PNG):
what the engineer must find on them, read back from the files."""

from __future__ import annotations

import io
import itertools
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.designer import DesignerModel, Results
from cryogen_widgets.designer.paint import MatplotlibPainter, design_png, design_svg, page_figure
from cryogen_widgets.designer.scene import (
    DASHED,
    draw_design_with_key,
    keyed_extent,
    link_kind_name,
)
from cryogen_widgets.views import schematic, units

SVG = "{http://www.w3.org/2000/svg}"
MM_PER_PT = 25.4 / 72.0


@pytest.fixture(scope="module")
def design() -> dict:
    return json.loads((DESIGNS_DIR / "two-stage-pt420.cryo.json").read_text())


@pytest.fixture(scope="module")
def steady(design):
    import solver

    return solver.steady_state(design)


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_sheet_svg_holds_every_item_the_title_block_and_the_link_key(design):
    svg = schematic.schematic_svg(design, paper="A3", version="v7", date="2026-12-05")
    root = ET.fromstring(svg)  # parses as XML
    assert (root.get("width"), root.get("height")) == ("420mm", "297mm")
    assert root.get("viewBox") == "0.00 0.00 420.00 297.00"
    drawn = {g.get("data-id") for g in root.iter(f"{SVG}g")}
    assert {c["id"] for c in design["components"]} <= drawn
    assert {lk["id"] for lk in design["links"]} <= drawn
    texts = _texts(root)
    joined = " ".join(texts)
    assert design["name"] in joined.replace("  ", " ") or all(
        word in joined for word in design["name"].split()
    )
    for fact in ("v7", "2026-12-05", schematic.software_version(), "not solved"):
        assert fact in texts
    for kind in {lk["type"] for lk in design["links"]} | {"attach"}:
        assert link_kind_name(kind) in texts  # the key names every link style on the sheet
    assert "Stage budget (not solved)" in texts
    assert {"shield", "plate"} <= set(texts)  # one budget row per stage, values "—"


def test_the_whole_design_name_is_in_the_title_block(design):
    long = dict(design, name="4.2 K NbTi solenoid: persistent mode test " * 3)
    svg = schematic.schematic_svg(long, paper="A4")
    words = " ".join(_texts(ET.fromstring(svg))).split()
    # wrapped over lines, never cut: every word of the name is there
    assert (
        long["name"].split()
        == [w for w in words if w in long["name"].split()][: len(long["name"].split())]
    )


def test_a_solved_sheet_shows_the_solvers_stage_budget_and_colour_key(design, steady):
    svg = schematic.schematic_svg(design, steady, paper="A4", version="v2")
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("297mm", "210mm")
    texts = _texts(root)
    assert "steady state of this version" in texts and "not solved" not in " ".join(texts)
    for node in ("shield", "plate"):
        i = list(steady.node.values).index(node)
        for var in ("stage_load", "capacity", "margin"):
            assert units.power(float(steady[var].values[i])) in texts, (node, var)
        assert units.temperature(float(steady.temperature.values[i])) in texts
    # heat flows on the links, with SI prefixes (the radiation link carries ~2 mW)
    q_rad = float(steady.heat_flow.sel(link="rad"))
    assert units.power(q_rad) in texts and "e-" not in units.power(q_rad)
    assert "T" in texts  # the colour bar's heading, with kelvin ticks
    assert any(t.endswith(" K") and t[0].isdigit() for t in texts)


def test_the_budget_lists_what_the_solver_gives_a_load_for(design, steady):
    rows = schematic.budget_rows(design, steady)
    loads = dict(zip(steady.node.values, steady.stage_load.values, strict=True))
    assert [r[0] for r in rows] == [n for n, q in loads.items() if np.isfinite(q)]
    assert [r[0] for r in schematic.budget_rows(design)] == ["shield", "plate"]


@pytest.mark.parametrize(("paper", "size_mm"), [("A3", (420, 297)), ("A4", (297, 210))])
def test_sheet_pdf_is_one_page_of_the_paper_size(design, steady, paper, size_mm, tmp_path):
    from pypdf import PdfReader

    path = schematic.write_schematic(
        tmp_path / f"sheet_{paper}.pdf", design, steady, paper=paper, version="v3"
    )
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # ISO 216 sizes in mm; a PDF point is 1/72 inch. 0.1 mm: the PDF's rounding
    assert float(box.width) * MM_PER_PT == pytest.approx(size_mm[0], abs=0.1)
    assert float(box.height) * MM_PER_PT == pytest.approx(size_mm[1], abs=0.1)
    text = reader.pages[0].extract_text()
    assert "steady state of this version" in text and "Stage budget" in text
    assert reader.metadata.title == design["name"]


def test_a_sheet_is_svg_or_pdf_on_a3_or_a4(design, tmp_path):
    with pytest.raises(ValueError, match=r"\.svg or \.pdf"):
        schematic.write_schematic(tmp_path / "x.png", design)
    with pytest.raises(ValueError, match="A3 or A4"):
        schematic.schematic_svg(design, paper="A0")


def test_design_svg_export_keeps_dashes_prefixes_and_the_colour_bar(design, steady):
    model = DesignerModel(design)
    svg = design_svg(model, Results.from_dataset(steady))
    root = ET.fromstring(svg)
    dashed = {
        g.get("data-id"): [
            pl.get("stroke-dasharray")
            for pl in g.iter(f"{SVG}polyline")
            if pl.get("stroke-dasharray")
        ]
        for g in root.iter(f"{SVG}g")
    }
    assert dashed["rad"] == [",".join(str(d) for d in DASHED["radiation"])]
    assert dashed["mli"] == [",".join(str(d) for d in DASHED["mli"])]
    assert dashed["legs"] == []  # conductors are solid
    texts = _texts(root)
    # the cold phosphor-bronze loom carries ~0.9 mW: a micro prefix
    assert units.power(float(steady.heat_flow.sel(link="loom_cold"))).endswith("µW")
    assert units.power(float(steady.heat_flow.sel(link="loom_cold"))) in texts
    # the colour bar: a column of filled bands right of the drawing, and its ticks
    drawing_right = max(
        float(r.get("x")) + float(r.get("width"))
        for g in root.iter(f"{SVG}g")
        for r in g.iter(f"{SVG}rect")
    )
    bands = [
        r
        for r in root.findall(f"{SVG}rect")
        if float(r.get("x")) > drawing_right and r.get("fill") != "none"
    ]
    assert len({r.get("fill") for r in bands}) > 40
    assert "T" in texts and "10 K" in texts


def test_design_png_export_draws_dashes_micro_signs_and_the_colour_bar(design, steady):
    from PIL import Image

    model = DesignerModel(design)
    results = Results.from_dataset(steady)
    extent = keyed_extent(model, results)
    _fig, ax = page_figure(extent.x, extent.y, extent.w, extent.h, 12.0)
    draw_design_with_key(MatplotlibPainter(ax, 0.72), model, results)
    micro = units.power(float(steady.heat_flow.sel(link="loom_cold")))  # ~0.9 mW, in µW
    assert micro.endswith("µW") and micro in [t.get_text() for t in ax.texts]
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(dashed) >= 2  # radiation and MLI (and the cooler's attachments)

    png = Image.open(io.BytesIO(design_png(model, results, width=1200))).convert("RGB")
    assert png.width == 1200
    scale = png.width / extent.w
    # walk along the radiation link's straight middle: link red and white gaps alternate
    route = model.route_of("rad", ("shield", "plate"))
    (x0, y0), (x1, y1) = max(
        itertools.pairwise(route),
        key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]),
    )
    samples = [
        png.getpixel(
            (
                round((x0 + t * (x1 - x0) - extent.x) * scale),
                round((y0 + t * (y1 - y0) - extent.y) * scale),
            )
        )
        for t in np.linspace(0.2, 0.4, 60)
    ]
    red = [r > 150 and g < 120 and b < 120 for r, g, b in samples]
    assert any(red) and not all(red), "the radiation link is not dashed in the PNG"
    # the colour bar: many distinct colours in the strip right of the drawing
    bar = png.crop((round(png.width - 62 * scale), 0, round(png.width - 46 * scale), png.height))
    assert len(bar.getcolors(1 << 16) or []) > 40


def test_the_app_exports_the_sheet_and_says_not_solved_after_an_edit(design, tmp_path):
    from cryogen_widgets import store as store_module
    from cryogen_widgets.app import CryoGen

    store = store_module.open(f"sqlite:///{tmp_path / 'store.sqlite'}", user="tester")
    app = CryoGen(store=store)
    app.open_template(design["name"], design)
    app.exporter.folder = tmp_path
    app.runs.run("Steady state")
    app.runs.wait(60)
    app.exporter.paper.value = "A4"
    app.exporter.buttons["Schematic SVG"].click()
    stem = "Two-stage_pulse-tube_cryostat_50_K_shield_and_4_K_plate_Cryomech_PT420"
    sheet = tmp_path / f"{stem}_schematic_A4.svg"  # the whole design name
    texts = _texts(ET.fromstring(sheet.read_text()))
    saved = app.projects.version
    assert "steady state of this version" in texts and f"v{saved}" in texts
    assert f"{stem}_schematic_A4.svg" in app.exporter.links.value

    app.model.set_field("plate", "mass_kg", 3.0)  # the result no longer belongs to the design
    app.exporter.buttons["Schematic PDF"].click()
    app.exporter.buttons["Schematic SVG"].click()
    texts = _texts(ET.fromstring(sheet.read_text()))
    assert any(t.startswith("not solved (the design changed") for t in texts)
    assert f"v{saved + 1}" in texts  # the pending autosave was written first
    assert (tmp_path / f"{stem}_schematic_A4.pdf").read_bytes().startswith(b"%PDF")


def test_cli_writes_a_solved_sheet_and_refuses_a_bad_file(tmp_path, capsys):
    from cryogen_widgets.cli import main

    out = tmp_path / "rod.svg"
    rod = DESIGNS_DIR / "copper-rod.cryo.json"
    assert main(["schematic", str(rod), "-o", str(out), "--paper", "A4", "--solve"]) == 0
    texts = _texts(ET.fromstring(out.read_text()))
    assert "steady state of this version" in texts and "file copper-rod.cryo.json" in texts
    assert main(["schematic", str(rod), "-o", str(tmp_path / "rod.png")]) == 2
    assert ".svg or .pdf" in capsys.readouterr().err
