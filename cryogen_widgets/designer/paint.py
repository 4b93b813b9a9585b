"""Painters: the same four drawing calls onto an ipycanvas layer, into SVG text, or into a PNG.

All take world coordinates; ``scale`` and ``offset`` map them to pixels
(``pixel = world * scale + offset``).
"""

from __future__ import annotations

import io
from collections import defaultdict
from xml.sax.saxutils import escape

import numpy as np

from cryogen_widgets.designer.scene import design_extent, draw_design

FONT = "sans-serif"


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

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1.0, dash=None) -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{fill or "none"}" stroke="{stroke or "none"}" stroke-width="{width}"{_dash(dash)}/>'
        )

    def polyline(self, points, *, stroke="#000", width=1.0, dash=None, alpha=1.0) -> None:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width}" '
            f'stroke-opacity="{alpha}"{_dash(dash)}/>'
        )

    def polygon(self, points, *, fill="#000") -> None:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(f'<polygon points="{pts}" fill="{fill}"/>')

    def text(self, x, y, s, color, *, size=11, bold=False, halo=False, align="center") -> None:
        anchor = {"center": "middle", "left": "start", "right": "end"}[align]
        weight = ' font-weight="bold"' if bold else ""
        halo_attr = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{color}" '
            f'text-anchor="{anchor}" dominant-baseline="middle"{weight}{halo_attr}>{escape(s)}</text>'
        )

    def later(self, draw) -> None:
        draw()  # SVG elements are painted in document order already

    def svg(self, extent, width: float | None = None, height: float | None = None) -> str:
        """SVG document showing the world rectangle ``extent`` (scaled to ``width`` x ``height`` px)."""
        w = width or extent.w
        h = height or extent.h
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
            f'viewBox="{extent.x:.1f} {extent.y:.1f} {extent.w:.1f} {extent.h:.1f}" '
            f'preserveAspectRatio="xMidYMid meet">'
            f'<rect x="{extent.x:.1f}" y="{extent.y:.1f}" width="{extent.w:.1f}" '
            f'height="{extent.h:.1f}" fill="#ffffff"/>' + "".join(self.parts) + "</svg>"
        )


class PngPainter:
    """Paints into a Pillow image of ``width`` x ``height`` pixels."""

    def __init__(self, width: int, height: int, scale: float, offset: tuple[float, float]) -> None:
        from PIL import Image, ImageDraw

        self.image = Image.new("RGB", (width, height), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.scale = scale
        self.offset = offset

    def _xy(self, x, y):
        return x * self.scale + self.offset[0], y * self.scale + self.offset[1]

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1.0, dash=None) -> None:
        (x1, y1), (x2, y2) = self._xy(x, y), self._xy(x + w, y + h)
        self.draw.rectangle(
            [x1, y1, x2, y2], fill=fill, outline=stroke, width=max(1, round(width * self.scale))
        )

    def polyline(self, points, *, stroke="#000", width=1.0, dash=None, alpha=1.0) -> None:
        if alpha < 1.0:
            return  # selection halos are an on-screen cue only
        self.draw.line(
            [self._xy(*pt) for pt in points], fill=stroke, width=max(1, round(width * self.scale))
        )

    def polygon(self, points, *, fill="#000") -> None:
        self.draw.polygon([self._xy(*pt) for pt in points], fill=fill)

    def text(self, x, y, s, color, *, size=11, bold=False, halo=False, align="center") -> None:
        px, py = self._xy(x, y)
        s = s.replace("µ", "u")  # Pillow's built-in font has no micro sign
        anchor = {"center": "mm", "left": "lm", "right": "rm"}[align]
        self.draw.text(
            (px, py),
            s,
            fill=color,
            anchor=anchor,
            font_size=max(6, size * self.scale),
            stroke_width=2 if halo else 0,
            stroke_fill="#ffffff",
        )

    def later(self, draw) -> None:
        draw()  # Pillow paints in call order already

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.image.save(buf, format="PNG")
        return buf.getvalue()


def _dash(dash) -> str:
    return f' stroke-dasharray="{",".join(str(d) for d in dash)}"' if dash else ""


def design_svg(model, results=None, width: float | None = None, height: float | None = None) -> str:
    """The design drawing as an SVG document (export and gallery thumbnails)."""
    p = SvgPainter()
    draw_design(p, model, results)
    return p.svg(design_extent(model), width, height)


def design_png(model, results=None, width: int = 1200) -> bytes:
    """The design drawing as PNG bytes, ``width`` pixels wide."""
    extent = design_extent(model)
    scale = width / extent.w
    height = max(1, round(extent.h * scale))
    p = PngPainter(width, height, scale, (-extent.x * scale, -extent.y * scale))
    draw_design(p, model, results)
    return p.png()
