"""The schematic drawing of a design on an A3 or A4 landscape sheet, as SVG or PDF.

The sheet holds the network as the canvas draws it (boxes, links with their colours
and dash styles, labels, node colours and heat flows when solved), a title block
(design name, design version, date, CryoGen version, whether it is solved), the key
to the link styles and the stage budget table (temperature, load, cooling at the
stage's ``max_K``, margin) of a steady-state result. The sheet is painter calls in
millimetres: :class:`SvgPainter` writes the SVG, :class:`MatplotlibPainter` the PDF.
Nothing here computes a result: the numbers are the solver Dataset's.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from cryogen_widgets.designer.geometry import Rect
from cryogen_widgets.designer.model import DesignerModel
from cryogen_widgets.designer.paint import (
    MatplotlibPainter,
    PlacedPainter,
    SvgPainter,
    figure_bytes,
    page_figure,
)
from cryogen_widgets.designer.scene import Results, draw_colour_bar, draw_design, drawing_extent
from cryogen_widgets.designer.scene import legend_entries as link_legend_entries
from cryogen_widgets.views import units

PAPER_MM = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}
"""Landscape sheet sizes, width x height in mm (ISO 216)."""
FRAME_MM = (20.0, 10.0, 10.0, 10.0)
"""Frame margins left (the filing margin), top, right, bottom in mm, as ISO 5457 lays them out."""
TITLE_W = 180.0  # title block width in mm (ISO 7200: at most 180 mm, bottom right)
TEXT = 3.2  # body text size in mm
SMALL = 2.2  # cell captions
NAME = 5.0  # the design name
ROW = 5.5  # table row height
MAX_SCALE = (
    0.45  # mm per canvas pixel at most: a small design is drawn 1.7x screen size, not poster-size
)
CHAR_W = 0.62  # average character width of bold sans-serif text (DejaVu: about 0.58), per unit of text size (estimate)
NAME_H = 15.0  # height of the title block's name field
NOT_SOLVED = "not solved"
INK, FAINT, OVER = "#111111", "#666666", "#fbd5d5"


@dataclass(frozen=True)
class SheetInfo:
    """The title block's facts: what is drawn, which version, when and by which software."""

    name: str
    version: str
    date: str
    software: str
    solved: str  # "steady state of this version" or NOT_SOLVED (with the reason)


def software_version() -> str:
    """ "CryoGen 0.1.0": the installed package's version."""
    try:
        return f"CryoGen {metadata.version('cryogen')}"
    except metadata.PackageNotFoundError:
        return "CryoGen (version unknown: not installed as a package)"


def budget_rows(design: dict, steady=None) -> list[tuple[str, float, float, float, float]]:
    """(node, temperature K, load W, cooling W at max_K, margin W) per stage of the budget.

    With a steady-state Dataset: every node it gives a load for (stages, baths, boundaries
    other than the warmest), read from it. Without one: the design's stages and baths
    with NaN (printed "—")."""
    nan = float("nan")
    if steady is None:
        return [
            (c["id"], nan, nan, nan, nan)
            for c in design.get("components", [])
            if c.get("type") in ("stage", "bath")
        ]

    def value(name: str, i: int) -> float:
        return float(steady[name].values[i]) if name in steady else nan

    rows = []
    for i, node in enumerate(steady["node"].values):
        load = value("stage_load", i)
        if math.isfinite(load):
            rows.append(
                (str(node), value("temperature", i), load, value("capacity", i), value("margin", i))
            )
    return rows


def schematic_svg(design: dict, steady=None, *, paper: str = "A3", **info) -> str:
    """The sheet as an SVG document sized in mm (see :func:`draw_sheet` for the arguments)."""
    width, height = _paper(paper)
    p = SvgPainter()
    facts = draw_sheet(p, design, steady, paper=paper, **info)
    return p.document(Rect(0, 0, width, height), f"{width:g}mm", f"{height:g}mm", title=facts.name)


def schematic_pdf(design: dict, steady=None, *, paper: str = "A3", **info) -> bytes:
    """The sheet as a one-page PDF of the paper size (see :func:`draw_sheet`)."""
    width, height = _paper(paper)
    fig, ax = page_figure(0.0, 0.0, width, height, width / 25.4)
    facts = draw_sheet(MatplotlibPainter(ax, 72.0 / 25.4), design, steady, paper=paper, **info)
    return figure_bytes(
        fig,
        "pdf",
        Title=facts.name,
        Subject=f"schematic, design version {facts.version}",
        Creator=facts.software,
        CreationDate=None,  # the title block dates the sheet
    )


def write_schematic(path: str | Path, design: dict, steady=None, **options) -> Path:
    """Write the sheet to ``path``: ``.svg`` or ``.pdf`` (``options`` as :func:`draw_sheet`)."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        path.write_text(schematic_svg(design, steady, **options), encoding="utf-8")
    elif path.suffix.lower() == ".pdf":
        path.write_bytes(schematic_pdf(design, steady, **options))
    else:
        raise ValueError(
            f"a schematic is written as .svg or .pdf, not {path.suffix or path.name!r}"
        )
    return path


def _paper(paper: str) -> tuple[float, float]:
    if paper not in PAPER_MM:
        raise ValueError(f"paper {paper!r}: choose {' or '.join(PAPER_MM)} (landscape)")
    return PAPER_MM[paper]


def draw_sheet(
    p,
    design: dict,
    steady=None,
    *,
    paper: str = "A3",
    version: str = "not saved",
    date: str | None = None,
    not_solved_reason: str = "",
) -> SheetInfo:
    """Paint the sheet in mm onto painter ``p``; returns the title block's facts.

    Parameters
    ----------
    design : dict
        The ``cryogen/design@1`` design drawn.
    steady : xarray.Dataset, optional
        Its steady-state result; only pass one computed from this very design (the app
        passes its last result only while it is not out of date). None: "not solved".
    paper : {"A3", "A4"}
        Landscape sheet size.
    version : str
        The design version shown in the title block (the project's "v3").
    date : str, optional
        The date shown; today (UTC, ISO 8601) by default.
    not_solved_reason : str
        Said after "not solved" (e.g. "results out of date").
    """
    width, height = _paper(paper)
    model = DesignerModel(design)
    results = Results.from_dataset(steady) if steady is not None else None
    solved = (
        "steady state of this version"
        if steady is not None
        else NOT_SOLVED + (f" ({not_solved_reason})" if not_solved_reason else "")
    )
    facts = SheetInfo(
        name=design.get("name") or "untitled design",
        version=version,
        date=date or dt.datetime.now(dt.UTC).date().isoformat(),
        software=software_version(),
        solved=solved,
    )
    left, top, right, bottom = FRAME_MM
    frame = Rect(left, top, width - left - right, height - top - bottom)
    p.rect(frame.x, frame.y, frame.w, frame.h, stroke=INK, width=0.5)

    rows = budget_rows(design, steady)
    title_h = NAME_H + 2 * 8.0
    most_rows = max(1, int((0.45 * frame.h - title_h) / ROW) - 2)  # the drawing keeps the rest
    shown, hidden = rows[:most_rows], len(rows) - most_rows
    table_h = ROW * (len(shown) + 1 + (hidden > 0))
    block = Rect(frame.x2 - TITLE_W, frame.y2 - title_h, TITLE_W, title_h)
    table = Rect(block.x, block.y - table_h - ROW, TITLE_W, table_h + ROW)
    _title_block(p, block, facts, paper)
    _budget_table(p, table, shown, hidden, solved=steady is not None)

    kinds = {kind for kind, _a, _b in model.connections().values()}
    key = Rect(frame.x + 5.0, table.y, block.x - frame.x - 10.0, frame.y2 - table.y - 4.0)
    _link_key(p, key, kinds)

    area = Rect(frame.x + 5.0, frame.y + 5.0, frame.w - 10.0, table.y - frame.y - 10.0)
    if results is not None and results.temperature_K:
        bar_room = 24.0
        draw_colour_bar(
            p, results, area.x2 - bar_room + 4.0, area.y + 8.0, area.h - 16.0, width=4.0, size=TEXT
        )
        area = Rect(area.x, area.y, area.w - bar_room, area.h)
    _place_drawing(p, model, results, area)
    return facts


def _place_drawing(p, model: DesignerModel, results, area: Rect) -> None:
    """The network scaled into ``area`` (centred, at most MAX_SCALE mm per canvas pixel)."""
    if not model.components:
        p.text(*area.center, "empty design", FAINT, size=NAME)
        return
    world = drawing_extent(model)
    scale = min(area.w / world.w, area.h / world.h, MAX_SCALE)
    ox = area.x + (area.w - world.w * scale) / 2 - world.x * scale
    oy = area.y + (area.h - world.h * scale) / 2 - world.y * scale
    draw_design(PlacedPainter(p, scale, (ox, oy)), model, results)


def _fit_size(text: str, width: float, size: float, smallest: float) -> float:
    """The text size (≤ ``size``, ≥ ``smallest``) at which ``text`` fits ``width`` mm."""
    return max(smallest, min(size, width / max(1, len(text)) / CHAR_W))


def _wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` mm at ``size``."""
    n = max(8, int(width / (size * CHAR_W)))
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > n:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def _cell(p, r: Rect, caption: str, value: str, *, colour: str = INK, bold=False) -> None:
    """A title-block field 8 mm high: small caption at the top, the value under it."""
    p.rect(r.x, r.y, r.w, r.h, stroke=INK, width=0.35)
    p.text(r.x + 1.2, r.y + 1.8, caption, FAINT, size=SMALL, align="left")
    size = _fit_size(value, r.w - 2.4, TEXT, SMALL)
    p.text(r.x + 1.2, r.y + 5.4, value, colour, size=size, bold=bold, align="left")


def _title_block(p, block: Rect, facts: SheetInfo, paper: str) -> None:
    """Design name over a row of version, date, software and sheet, then the results line."""
    name_h = block.h - 16.0
    p.rect(block.x, block.y, block.w, block.h, stroke=INK, width=0.5)
    p.rect(block.x, block.y, block.w, name_h, stroke=INK, width=0.35)
    p.text(block.x + 1.2, block.y + 1.8, "design", FAINT, size=SMALL, align="left")
    room = block.w - 2.4
    # the whole name, never cut: one line down to 3.8 mm, else two lines, else three smaller
    size = _fit_size(facts.name, room, NAME, 3.8)
    lines = _wrap(facts.name, room, size)
    if len(lines) > 2:
        size = 2.8
        lines = _wrap(facts.name, room, size)
    line_h = size * 1.2
    y0 = block.y + 3.2 + (name_h - 3.2 - line_h * len(lines)) / 2 + line_h / 2
    for i, line in enumerate(lines):
        p.text(block.x + 1.2, y0 + i * line_h, line, INK, size=size, bold=True, align="left")
    y = block.y + name_h
    widths = (36.0, 30.0, 70.0, 44.0)
    cells = (
        ("design version", facts.version),
        ("date", facts.date),
        ("software", facts.software),
        ("sheet", f"{paper} landscape"),
    )
    x = block.x
    for w_, (caption, value) in zip(widths, cells, strict=True):
        _cell(p, Rect(x, y, w_, 8.0), caption, value)
        x += w_
    colour = "#a00000" if facts.solved.startswith(NOT_SOLVED) else INK
    _cell(
        p, Rect(block.x, y + 8.0, block.w, 8.0), "results", facts.solved, colour=colour, bold=True
    )


BUDGET_COLUMNS = (
    ("stage", 52.0),
    ("temperature", 28.0),
    ("load", 30.0),
    ("cooling at max_K", 38.0),
    ("margin", 32.0),
)


def _budget_table(p, r: Rect, rows, hidden: int, *, solved: bool) -> None:
    """Heading, column heads and one row per stage; a row whose load exceeds its cooling
    (negative margin) is shaded red, as in the Results tab."""
    heading = "Stage budget" + ("" if solved else f" ({NOT_SOLVED})")
    p.text(r.x, r.y + ROW / 2, heading, INK, size=TEXT, bold=True, align="left")
    y = r.y + ROW
    x = r.x
    for head, w_ in BUDGET_COLUMNS:
        p.rect(x, y, w_, ROW, fill="#eef2f6", stroke=INK, width=0.3)
        p.text(x + 1.2, y + ROW / 2, head, INK, size=SMALL + 0.4, bold=True, align="left")
        x += w_
    for node, temp, load, cooling, margin in rows:
        y += ROW
        over = (math.isfinite(margin) and margin < 0) or (
            math.isfinite(cooling) and math.isfinite(load) and load > cooling
        )
        values = (
            node,
            units.temperature(temp),
            units.power(load),
            units.power(cooling),
            units.power(margin),
        )
        x = r.x
        for (_head, w_), value in zip(BUDGET_COLUMNS, values, strict=True):
            p.rect(x, y, w_, ROW, fill=OVER if over else None, stroke=INK, width=0.3)
            size = _fit_size(value, w_ - 2.4, TEXT, SMALL)
            p.text(
                x + w_ - 1.2 if x > r.x else x + 1.2,
                y + ROW / 2,
                value,
                INK,
                size=size,
                align="right" if x > r.x else "left",
            )
            x += w_
    if hidden > 0:
        p.text(
            r.x + 1.2,
            y + ROW * 1.5,
            f"… and {hidden} more (the Results CSV lists every node)",
            FAINT,
            size=SMALL + 0.4,
            align="left",
        )


def _link_key(p, r: Rect, kinds: set[str]) -> None:
    """The key to the link colours and dash styles used on the sheet, in columns."""
    entries = link_legend_entries(kinds)
    if not entries:
        return
    p.text(r.x, r.y + ROW / 2, "Links", INK, size=TEXT, bold=True, align="left")
    col_w = 46.0
    per_col = max(1, int((r.h - ROW) / ROW))
    for i, (name, colour, dash) in enumerate(entries):
        col, row = divmod(i, per_col)
        x = r.x + col * col_w
        if x + col_w > r.x2 + 1e-6:
            break
        y = r.y + ROW * (row + 1.5)
        p.polyline([(x, y), (x + 12.0, y)], stroke=colour, width=0.6, dash=_mm_dash(dash))
        p.text(x + 14.0, y, name, INK, size=TEXT, align="left")


def _mm_dash(dash):
    """A canvas dash pattern (pixels) at the drawing's largest scale, in mm."""
    return tuple(d * MAX_SCALE for d in dash) if dash else None
