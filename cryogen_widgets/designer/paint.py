"""Painters: the same four drawing calls onto an ipycanvas layer, into SVG text, or onto a
matplotlib Axes (PNG and PDF).

All take world coordinates; ``scale`` and ``offset`` map them to pixels
(``pixel = world * scale + offset``).
"""

from __future__ import annotations

import io
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from xml.sax.saxutils import escape

import numpy as np

from cryogen_widgets.designer.scene import draw_design_with_key, keyed_extent

FONT = "sans-serif"
HALO = 0.27  # width of the white outline behind labels, per unit of text size (3 at 11)
_QUOTE = {'"': "&quot;"}


class CanvasPainter:
    """Paints on one ipycanvas ``Canvas`` (call inside ``hold_canvas()``).

    Style attributes are only sent when they change. With ``batch=True`` the
    polylines and polygons are collected by style and sent as one
    ``stroke_line_segments`` / ``fill_polygons`` command per style at :meth:`flush`,
    followed by the texts, so labels stay on top of lines.
    """

    def __init__(
        self,
        canvas,
        scale: float = 1.0,
        offset: tuple[float, float] = (0.0, 0.0),
        *,
        batch: bool = False,
    ) -> None:
        self.c = canvas
        self.scale = scale
        self.offset = offset
        self.batch = batch
        self._style: dict[str, object] = {}
        self._lines: dict[tuple, list[np.ndarray]] = defaultdict(list)
        self._polygons: dict[str, list[np.ndarray]] = defaultdict(list)
        self._texts: list[tuple] = []
        self._late: list = []
        self.c.set_transform(scale, 0, 0, scale, offset[0], offset[1])

    def _set(self, name: str, value) -> None:
        if self._style.get(name, _UNSET) != value:
            self._style[name] = value
            if name == "dash":
                self.c.set_line_dash(list(value))
            else:
                setattr(self.c, name, value)

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1.0, dash=None) -> None:
        if fill:
            self._set("fill_style", fill)
            self.c.fill_rect(x, y, w, h)
        if stroke:
            self._set("stroke_style", stroke)
            self._set("line_width", width)
            self._set("dash", tuple(dash or ()))
            self.c.stroke_rect(x, y, w, h)

    def polyline(self, points, *, stroke="#000", width=1.0, dash=None, alpha=1.0) -> None:
        pts = np.asarray(points, dtype=float)
        if self.batch:
            self._lines[(stroke, width, tuple(dash or ()), alpha)].append(pts)
            return
        self._stroke_style(stroke, width, dash, alpha)
        self.c.stroke_lines(pts)

    def _stroke_style(self, stroke, width, dash, alpha) -> None:
        self._set("stroke_style", stroke)
        self._set("line_width", width)
        self._set("global_alpha", alpha)
        self._set("dash", tuple(dash or ()))

    def polygon(self, points, *, fill="#000") -> None:
        pts = np.asarray(points, dtype=float)
        if self.batch:
            self._polygons[fill].append(pts)
            return
        self._set("fill_style", fill)
        self.c.fill_polygon(pts)

    def text(self, x, y, s, color, *, size=11, bold=False, halo=False, align="center") -> None:
        if self.batch and halo:
            self._texts.append((x, y, s, color, size, bold, halo, align))
            return
        self._text(x, y, s, color, size, bold, halo, align)

    def _text(self, x, y, s, color, size, bold, halo, align) -> None:
        self._set("font", f"{'bold ' if bold else ''}{size}px {FONT}")
        self._set("text_align", align)
        self._set("text_baseline", "middle")
        self._set("global_alpha", 1.0)
        if halo:
            self._set("stroke_style", "#ffffff")
            self._set("line_width", 3)
            self._set("dash", ())
            self.c.stroke_text(s, x, y)
        self._set("fill_style", color)
        self.c.fill_text(s, x, y)

    def later(self, draw) -> None:
        """Call ``draw()`` over the batched lines and polygons (a symbol on its line), in order."""
        if self.batch:
            self._late.append(draw)
        else:
            draw()

    def flush(self) -> None:
        """Send the collected lines, polygons, symbols and labels (batch mode)."""
        for (stroke, width, dash, alpha), lines in self._lines.items():
            self._stroke_style(stroke, width, dash, alpha)
            self.c.stroke_line_segments(np.concatenate(lines), np.array([len(p) for p in lines]))
        for fill, polys in self._polygons.items():
            self._set("fill_style", fill)
            self.c.fill_polygons(np.concatenate(polys), np.array([len(p) for p in polys]))
        self._set("global_alpha", 1.0)
        late, self._late, batch, self.batch = self._late, [], self.batch, False
        for draw in late:
            draw()
        self.batch = batch
        for args in self._texts:
            self._text(*args)
        self._lines.clear()
        self._polygons.clear()
        self._texts.clear()


_UNSET = object()


class SvgPainter:
    """Collects SVG elements; :meth:`svg` returns the document."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    @contextmanager
    def item(self, item_id: str):
        """Group what is painted inside as one design item (``<g data-id=...>``)."""
        self.parts.append(f'<g class="cryogen-item" data-id="{escape(item_id, _QUOTE)}">')
        yield
        self.parts.append("</g>")

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1.0, dash=None) -> None:
        self.parts.append(
            f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" '
            f'fill="{fill or "none"}" stroke="{stroke or "none"}" stroke-width="{width:.3g}"'
            f"{_dash(dash)}/>"
        )

    def polyline(self, points, *, stroke="#000", width=1.0, dash=None, alpha=1.0) -> None:
        pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width:.3g}" '
            f'stroke-opacity="{alpha}"{_dash(dash)}/>'
        )

    def polygon(self, points, *, fill="#000") -> None:
        pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
        self.parts.append(f'<polygon points="{pts}" fill="{fill}"/>')

    def text(self, x, y, s, color, *, size=11, bold=False, halo=False, align="center") -> None:
        anchor = {"center": "middle", "left": "start", "right": "end"}[align]
        weight = ' font-weight="bold"' if bold else ""
        halo_attr = (
            f' stroke="#fff" stroke-width="{HALO * size:.3g}" paint-order="stroke"' if halo else ""
        )
        self.parts.append(
            f'<text x="{x:.2f}" y="{y:.2f}" font-family="{FONT}" font-size="{size:.3g}" '
            f'fill="{color}" text-anchor="{anchor}" dominant-baseline="middle"{weight}'
            f"{halo_attr}>{escape(s)}</text>"
        )

    def later(self, draw) -> None:
        draw()  # SVG elements are painted in document order already

    def svg(self, extent, width: float | None = None, height: float | None = None) -> str:
        """SVG document showing the world rectangle ``extent`` (scaled to ``width`` x ``height`` px)."""
        return self.document(extent, f"{width or extent.w:.0f}", f"{height or extent.h:.0f}")

    def document(self, extent, width: str, height: str, title: str = "") -> str:
        """SVG document showing ``extent`` at ``width`` x ``height`` (with units, e.g. "420mm")."""
        head = f"<title>{escape(title)}</title>" if title else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="{extent.x:.2f} {extent.y:.2f} {extent.w:.2f} {extent.h:.2f}" '
            f'preserveAspectRatio="xMidYMid meet">{head}'
            f'<rect x="{extent.x:.2f}" y="{extent.y:.2f}" width="{extent.w:.2f}" '
            f'height="{extent.h:.2f}" fill="#ffffff"/>' + "".join(self.parts) + "</svg>"
        )


class MatplotlibPainter:
    """Paints on a matplotlib ``Axes`` whose data units are the painter's units (y down):
    PNG, PDF and anything else matplotlib writes, with its fonts (µ, →) and dash patterns.

    ``points_per_unit`` turns text sizes and line widths, given in painter units, into points.
    """

    def __init__(self, ax, points_per_unit: float) -> None:
        self.ax = ax
        self.k = points_per_unit
        self._order = 0  # artists stack in call order, as in SVG and on the canvas

    def _z(self) -> int:
        self._order += 1
        return self._order

    def _line(self, width: float, dash) -> dict:
        lw = max(width * self.k, 0.1)
        # matplotlib multiplies a dash pattern by the line width: divide it out
        style = (0, tuple(d * self.k / lw for d in dash)) if dash else "solid"
        return {"linewidth": lw, "linestyle": style, "capstyle": "butt", "joinstyle": "miter"}

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1.0, dash=None) -> None:
        from matplotlib.patches import Rectangle

        self.ax.add_patch(
            Rectangle(
                (x, y),
                w,
                h,
                facecolor=fill or "none",
                edgecolor=stroke or "none",
                **self._line(width if stroke else 0.0, dash if stroke else None),
                zorder=self._z(),
            )
        )

    def polyline(self, points, *, stroke="#000", width=1.0, dash=None, alpha=1.0) -> None:
        from matplotlib.lines import Line2D

        if alpha < 1.0:
            return  # selection halos are an on-screen cue only
        pts = np.asarray(points, dtype=float)
        line = self._line(width, dash)
        self.ax.add_line(
            Line2D(
                pts[:, 0],
                pts[:, 1],
                color=stroke,
                linewidth=line["linewidth"],
                linestyle=line["linestyle"],
                solid_capstyle="butt",
                dash_capstyle="butt",
                solid_joinstyle="miter",
                zorder=self._z(),
            )
        )

    def polygon(self, points, *, fill="#000") -> None:
        from matplotlib.patches import Polygon

        self.ax.add_patch(
            Polygon(
                np.asarray(points, dtype=float), facecolor=fill, edgecolor="none", zorder=self._z()
            )
        )

    def later(self, draw) -> None:
        draw()  # artists stack in call order already (see _z)

    def text(self, x, y, s, color, *, size=11, bold=False, halo=False, align="center") -> None:
        from matplotlib import patheffects

        effects = (
            [patheffects.withStroke(linewidth=HALO * size * self.k, foreground="#ffffff")]
            if halo
            else None
        )
        self.ax.text(
            x,
            y,
            s,
            color=color,
            fontsize=size * self.k,
            fontweight="bold" if bold else "normal",
            ha=align,
            va="center_baseline",
            parse_math=False,  # an id with "$" is text, not mathtext
            path_effects=effects,
            clip_on=False,
            zorder=self._z(),
        )


class PlacedPainter:
    """Paints world coordinates into another painter at ``x * scale + offset``; text sizes,
    line widths and dash patterns scale with them (a drawing placed on a sheet)."""

    def __init__(self, inner, scale: float, offset: tuple[float, float]) -> None:
        self.inner = inner
        self.s = scale
        self.offset = offset

    def _xy(self, x, y):
        return x * self.s + self.offset[0], y * self.s + self.offset[1]

    def _dash(self, dash):
        return tuple(d * self.s for d in dash) if dash else None

    def item(self, item_id: str):
        group = getattr(self.inner, "item", None)
        return group(item_id) if group is not None else nullcontext()

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1.0, dash=None) -> None:
        self.inner.rect(
            *self._xy(x, y),
            w * self.s,
            h * self.s,
            fill=fill,
            stroke=stroke,
            width=width * self.s,
            dash=self._dash(dash),
        )

    def polyline(self, points, *, stroke="#000", width=1.0, dash=None, alpha=1.0) -> None:
        self.inner.polyline(
            [self._xy(*pt) for pt in points],
            stroke=stroke,
            width=width * self.s,
            dash=self._dash(dash),
            alpha=alpha,
        )

    def polygon(self, points, *, fill="#000") -> None:
        self.inner.polygon([self._xy(*pt) for pt in points], fill=fill)

    def later(self, draw) -> None:
        self.inner.later(draw)

    def text(self, x, y, s, color, *, size=11, bold=False, halo=False, align="center") -> None:
        self.inner.text(
            *self._xy(x, y), s, color, size=size * self.s, bold=bold, halo=halo, align=align
        )


def page_figure(x0: float, y0: float, w: float, h: float, width_in: float, dpi: float = 100):
    """(Figure, Axes): one Axes filling a ``width_in``-inch-wide figure, its data units the
    rectangle ``x0, y0, w, h`` with y down (no pyplot: safe off the main thread)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, width_in * h / w), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(x0, x0 + w)
    ax.set_ylim(y0 + h, y0)
    ax.set_axis_off()
    return fig, ax


def figure_bytes(fig, fmt: str, **metadata) -> bytes:
    """``fig`` written as ``fmt`` ("png", "pdf"), with document ``metadata``."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=metadata or None)
    return buf.getvalue()


def _dash(dash) -> str:
    return f' stroke-dasharray="{",".join(str(d) for d in dash)}"' if dash else ""


def design_svg(model, results=None, width: float | None = None, height: float | None = None) -> str:
    """The design drawing as an SVG document, with its colour bar when it shows results
    (export and gallery thumbnails)."""
    p = SvgPainter()
    draw_design_with_key(p, model, results)
    return p.svg(keyed_extent(model, results), width, height)


def design_png(model, results=None, width: int = 1200) -> bytes:
    """The design drawing as PNG bytes, ``width`` pixels wide, with its colour bar when it
    shows results."""
    dpi = 100.0
    extent = keyed_extent(model, results)
    fig, ax = page_figure(extent.x, extent.y, extent.w, extent.h, width / dpi, dpi)
    pixels_per_unit = width / extent.w
    draw_design_with_key(MatplotlibPainter(ax, pixels_per_unit * 72.0 / dpi), model, results)
    return figure_bytes(fig, "png")
