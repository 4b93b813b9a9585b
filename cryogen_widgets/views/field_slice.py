"""2-D slice view of a field Dataset on x, y, z: plane, position, colour map, contours, probe.

Works for any variable on dims (x, y, z): a body's temperature ``T`` from the
grid solver or a magnet's ``B``. The slice is painted as an image on an ipycanvas
(one binary message per redraw, so 100×100×50 grids stay interactive).

A magnet's map carries a fringe level (attr ``fringe_level_T``, the 5-gauss line), whose
contour of ``B`` the view draws in every plane. A magnet with iron
(``solver.magnet.fem.iron_field_map``) also carries a flux function (variable attr
``flux_lines``) and the iron outlines (``iron_outline_m``), drawn in the plane
``attrs["flux_plane"]``.
"""

from __future__ import annotations

from html import escape

import contourpy
import ipywidgets as w
import numpy as np
from ipycanvas import Canvas, hold_canvas

from cryogen_widgets.views import colors, units
from cryogen_widgets.views.freshness import StaleBanner

PLANES = {"xy": ("x", "y", "z"), "xz": ("x", "z", "y"), "yz": ("y", "z", "x")}
IMAGE = 400
MARGIN = 52
BAR_W = 16
N_CONTOURS = 8
N_FLUX_LINES = 24
FLUX_PERCENTILES = (1.0, 99.0)
"""Flux lines are evenly spaced between these percentiles of the flux function on the
slice: a line current's logarithmic singularity would otherwise take all the levels."""
AXIS_TICKS = 7
"""Ticks asked of each map axis (at least three land on any span)."""
IRON_COLOUR, FLUX_COLOUR, FRINGE_COLOUR = "#111111", "#d9d9d9", "#e8112d"


SATURATE_PERCENTILE = 99.0
"""Colours span the slice up to this percentile: a thin winding's field, hundreds of times
the field around it, would otherwise leave the rest of the map one colour."""


def colour_range(finite: np.ndarray) -> tuple[float, float]:
    """(lo, hi) of the colour scale of a slice's finite values."""
    if not finite.size:
        return 0.0, 1.0
    lo = float(finite.min())
    hi = float(np.percentile(finite, SATURATE_PERCENTILE))
    return (lo, hi) if hi > lo else (lo, float(finite.max()))


class FieldSlice(w.VBox):
    """Slice view; call :meth:`show` with a Dataset and a variable name."""

    EMPTY = "<i>Run a magnet field map (or load a body temperature) to see a slice.</i>"

    def __init__(
        self, width: int = IMAGE + 2 * MARGIN + 90, height: int = IMAGE + 2 * MARGIN
    ) -> None:
        self.ds = None
        self.var: str | None = None
        self.width, self.height = width, height
        self.canvas = Canvas(
            width=width,
            height=height,
            layout=w.Layout(width=f"{width}px", height=f"{height}px", min_width=f"{width}px"),
        )
        self.canvas.add_class("cryogen-field-slice")
        self.variable = w.Dropdown(description="field", options=[])
        self.plane = w.ToggleButtons(
            options=list(PLANES), value="xy", style={"button_width": "40px"}
        )
        self.position = w.IntSlider(
            description="slice", min=0, max=0, value=0, continuous_update=True
        )
        self.position_label = w.Label()
        self.cmap = w.Dropdown(
            description="colours", options=list(colors.COLORMAPS), value="viridis"
        )
        self.contours = w.Checkbox(value=True, description="contours", indent=False)
        self.probe = w.HTML("<i>move over the map to probe</i>")
        self.legend = w.HTML()
        self.note = w.HTML(self.EMPTY)
        self.banner = StaleBanner("field map")
        for widget in (self.variable, self.plane, self.cmap, self.contours):
            widget.observe(self._on_control, "value")
        self.position.observe(lambda _: self.redraw(), "value")
        self.canvas.on_mouse_move(self._on_mouse_move)
        self.canvas.on_client_ready(self.redraw)
        self._geometry = None
        self._saturated = False
        super().__init__(
            [
                self.banner,
                self.note,
                w.HBox([self.variable, self.plane, self.cmap, self.contours]),
                w.HBox([self.position, self.position_label]),
                self.canvas,
                self.legend,
                self.probe,
            ]
        )

    def show(self, ds, var: str | None = None, plane: str | None = None) -> None:
        fields = [
            v
            for v in ds.data_vars
            if set(ds[v].dims) == {"x", "y", "z"} and not ds[v].attrs.get("flux_lines")
        ]
        if not fields:
            raise ValueError(
                f"no variable on dims (x, y, z) in this Dataset; it has {list(ds.data_vars)}"
            )
        if var is not None and var not in fields:
            raise ValueError(
                f"{var!r} is not a field on (x, y, z); choose one of {', '.join(fields)}"
            )
        self.ds = ds
        self.variable.options = fields
        self.variable.value = var or fields[0]
        self.var = self.variable.value
        # planes across a single point (a planar magnet's z, a revolved one's y) show nothing
        self.plane.options = [
            p for p, (a, b, _) in PLANES.items() if ds.sizes[a] > 1 and ds.sizes[b] > 1
        ] or list(PLANES)
        if plane is not None and plane in self.plane.options:
            self.plane.value = plane
        self.legend.value = _legend(ds)
        # flux lines replace the |B| contours on a map with iron (the box turns them back on)
        self.contours.value = not any(ds[k].attrs.get("flux_lines") for k in ds.data_vars)
        parts = [str(ds.attrs.get("title", ""))]
        if ds.attrs.get("magnets"):
            parts.append(f"magnets {ds.attrs['magnets']}")
        if ds.attrs.get("grid_step_m"):
            parts.append(f"grid step {units.si(float(ds.attrs['grid_step_m']), 'm')}")
        self.note.value = escape(" · ".join(p for p in parts if p))
        self._reset_position()
        self.redraw()

    def clear(self) -> None:
        """Forget the shown field (another design was opened)."""
        self.ds, self.var, self._geometry = None, None, None
        self.variable.options = []
        self.plane.options = list(PLANES)
        self.legend.value = ""
        self.note.value = self.EMPTY
        self.probe.value = ""
        self.canvas.clear()

    def _on_control(self, change) -> None:
        if self.ds is None:
            return
        self.var = self.variable.value
        if change["owner"] is self.plane:
            self._reset_position()
        self.redraw()

    def _reset_position(self) -> None:
        normal = PLANES[self.plane.value][2]
        n = self.ds.sizes[normal]
        self.position.max = n - 1
        self.position.value = n // 2

    def slice_data(self):
        """(horizontal coords, vertical coords, values with shape (n_vertical, n_horizontal), normal coord)."""
        h, v, normal = PLANES[self.plane.value]
        da = self.ds[self.var].isel({normal: self.position.value}).transpose(v, h)
        return (
            np.asarray(self.ds[h].values, float),
            np.asarray(self.ds[v].values, float),
            np.asarray(da.values, float),
            float(self.ds[normal].values[self.position.value]),
        )

    def redraw(self) -> None:
        c = self.canvas
        if self.ds is None or self.var is None:
            return
        hx, vy, values, at = self.slice_data()
        h, v, normal = PLANES[self.plane.value]
        self.position_label.value = f"{normal} = {at:.4g} m"
        finite = values[np.isfinite(values)]
        lo, hi = colour_range(finite)
        self._saturated = bool(finite.size and finite.max() > hi)
        # fit the data rectangle into IMAGE x IMAGE keeping its aspect ratio
        span_h, span_v = hx[-1] - hx[0] or 1.0, vy[-1] - vy[0] or 1.0
        s = IMAGE / max(span_h, span_v)
        pw, ph = max(1, round(span_h * s)), max(1, round(span_v * s))
        x0, y0 = MARGIN, MARGIN + (IMAGE - ph) // 2
        self._geometry = (x0, y0, pw, ph, hx, vy, values, at)
        from scipy import ndimage  # with the first field shown, not with the app

        # bilinear resampling of the slice onto the image pixels (fractional grid indices)
        fh = np.interp(hx[0] + (np.arange(pw) + 0.5) / s, hx, np.arange(len(hx)))
        fv = np.interp(vy[-1] - (np.arange(ph) + 0.5) / s, vy, np.arange(len(vy)))
        FV, FH = np.meshgrid(fv, fh, indexing="ij")
        resampled = ndimage.map_coordinates(values, [FV, FH], order=1, mode="nearest")
        image = colors.to_rgb(resampled, lo, hi, self.cmap.value)
        with hold_canvas():
            c.clear()
            c.fill_style = "#ffffff"
            c.fill_rect(0, 0, self.width, self.height)
            c.put_image_data(image, x0, y0)
            c.stroke_style = "#333333"
            c.line_width = 1
            c.set_line_dash([])
            c.stroke_rect(x0, y0, pw, ph)
            if self.contours.value and hi > lo and values.shape[0] > 1 and values.shape[1] > 1:
                self._draw_contours(hx, vy, values, lo, hi, x0, y0, s)
            self._draw_iron_overlays(hx, vy, x0, y0, pw, ph, s)
            self._draw_axes(hx, vy, h, v, x0, y0, pw, ph)
            self._draw_colorbar(lo, hi, x0 + pw + 20, y0, ph)

    def _draw_contours(self, hx, vy, values, lo, hi, x0, y0, s) -> None:
        c = self.canvas
        gen = contourpy.contour_generator(
            x=hx, y=vy, z=np.nan_to_num(values, nan=lo), line_type="Separate"
        )
        c.stroke_style = "#ffffff"
        c.line_width = 1
        c.global_alpha = 0.8
        for level in np.linspace(lo, hi, N_CONTOURS + 2)[1:-1]:
            for line in gen.lines(level):
                px = x0 + (line[:, 0] - hx[0]) * s
                py = y0 + (vy[-1] - line[:, 1]) * s
                if len(px) > 1:
                    c.stroke_lines(np.column_stack([px, py]))
        c.global_alpha = 1.0

    def _draw_iron_overlays(self, hx, vy, x0, y0, pw, ph, s) -> None:
        """Flux lines and iron outlines in the flux plane; the fringe-level line of B."""
        ds, c = self.ds, self.canvas
        h, v, normal = PLANES[self.plane.value]
        flux = [k for k in ds.data_vars if ds[k].attrs.get("flux_lines")]
        in_plane = ds.attrs.get("flux_plane") == self.plane.value
        c.save()
        c.begin_path()
        c.rect(x0, y0, pw, ph)
        c.clip()
        if flux and in_plane:
            psi = ds[flux[0]].isel({normal: self.position.value}).transpose(v, h).values
            finite = psi[np.isfinite(psi)]
            if finite.size:
                levels = np.linspace(*np.percentile(finite, FLUX_PERCENTILES), N_FLUX_LINES + 2)
                self._stroke_levels(hx, vy, psi, levels[1:-1], x0, y0, s, FLUX_COLOUR, 1.0, [])
        level = ds.attrs.get("fringe_level_T")
        if level is not None and "B" in ds:
            b = ds["B"].isel({normal: self.position.value}).transpose(v, h).values
            self._stroke_levels(hx, vy, b, [float(level)], x0, y0, s, FRINGE_COLOUR, 2.0, [6, 4])
        if "iron_outline_m" in ds and in_plane:
            outline = np.asarray(ds["iron_outline_m"].values, float)
            for part in np.split(outline, np.flatnonzero(np.isnan(outline[:, 0]))):
                part = part[np.isfinite(part[:, 0])]
                if len(part) > 1:
                    self._stroke(part, hx, vy, x0, y0, s, IRON_COLOUR, 2.0, [])
        c.restore()

    def _stroke_levels(self, hx, vy, values, levels, x0, y0, s, colour, width, dash) -> None:
        if values.shape[0] < 2 or values.shape[1] < 2:
            return
        gen = contourpy.contour_generator(x=hx, y=vy, z=values, line_type="Separate")
        for level in levels:
            for line in gen.lines(level):
                self._stroke(line, hx, vy, x0, y0, s, colour, width, dash)

    def _stroke(self, line, hx, vy, x0, y0, s, colour, width, dash) -> None:
        """Stroke a polyline given in the slice's (h, v) metres."""
        c = self.canvas
        c.stroke_style = colour
        c.line_width = width
        c.set_line_dash(dash)
        px = x0 + (line[:, 0] - hx[0]) * s
        py = y0 + (vy[-1] - line[:, 1]) * s
        c.stroke_lines(np.column_stack([px, py]))
        c.set_line_dash([])

    def _draw_axes(self, hx, vy, h, v, x0, y0, pw, ph) -> None:
        c = self.canvas
        c.fill_style = "#111111"
        c.stroke_style = "#333333"
        c.line_width = 1
        c.font = "11px sans-serif"
        c.text_align = "center"
        c.text_baseline = "top"
        span_h, span_v = hx[-1] - hx[0] or 1.0, vy[-1] - vy[0] or 1.0
        for t in colors.nice_ticks(hx[0], hx[-1], n=AXIS_TICKS):
            px = x0 + (t - hx[0]) / span_h * pw
            c.stroke_line(px, y0 + ph, px, y0 + ph + 4)
            c.fill_text(_tick(t), px, y0 + ph + 6)
        c.fill_text(f"{h} [m]", x0 + pw / 2, y0 + ph + 20)
        c.text_align = "right"
        c.text_baseline = "middle"
        for t in colors.nice_ticks(vy[0], vy[-1], n=AXIS_TICKS):
            py = y0 + (vy[-1] - t) / span_v * ph
            c.stroke_line(x0 - 4, py, x0, py)
            c.fill_text(_tick(t), x0 - 6, py)
        c.text_align = "center"
        c.save()
        c.translate(x0 - 30, y0 + ph / 2)
        c.rotate(-np.pi / 2)
        c.text_baseline = "bottom"
        c.fill_text(f"{v} [m]", 0, 0)
        c.restore()

    def _draw_colorbar(self, lo, hi, x, y, h) -> None:
        c = self.canvas
        values = np.linspace(hi, lo, max(2, h))
        bar = np.repeat(colors.to_rgb(values, lo, hi, self.cmap.value)[:, None, :], BAR_W, axis=1)
        c.put_image_data(bar, x, y)
        c.stroke_rect(x, y, BAR_W, h)
        unit = self.ds[self.var].attrs.get("units", "")
        c.text_align = "left"
        c.text_baseline = "middle"
        c.fill_style = "#111111"
        c.fill_text(self.var, x, y - 12)
        for t in colors.nice_ticks(lo, hi):
            frac = 0.5 if hi <= lo else (hi - t) / (hi - lo)
            if self._saturated and frac * h < 14:
                continue  # the "≥ top" label stands there
            c.fill_text(units.si(t, unit), x + BAR_W + 4, y + frac * h)
        if self._saturated:
            c.fill_text(f"≥ {units.si(hi, unit)}", x + BAR_W + 4, y + 2)

    def value_at(self, x: float, y: float):
        """(value, (h, v) coordinates in m) under canvas pixel ``x, y``, or None outside the map."""
        if self._geometry is None:
            return None
        x0, y0, pw, ph, hx, vy, values, _ = self._geometry
        if not (x0 <= x < x0 + pw and y0 <= y < y0 + ph):
            return None
        fh = hx[0] + (x - x0) / pw * (hx[-1] - hx[0])
        fv = vy[-1] - (y - y0) / ph * (vy[-1] - vy[0])
        i, j = int(np.abs(vy - fv).argmin()), int(np.abs(hx - fh).argmin())
        return float(values[i, j]), (float(hx[j]), float(vy[i]))

    def _on_mouse_move(self, x: float, y: float) -> None:
        found = self.value_at(x, y)
        if found is None:
            return
        value, (ph_, pv_) = found
        h, v, normal = PLANES[self.plane.value]
        unit = self.ds[self.var].attrs.get("units", "")
        at = self._geometry[7]
        self.probe.value = (
            f"<b>{escape(self.var)} = {value:.5g} {escape(unit)}</b> at "
            f"{h} = {ph_:.4g} m, {v} = {pv_:.4g} m, {normal} = {at:.4g} m"
        )


def _tick(t: float) -> str:
    """A tick label in metres (0, not −0 or 5e-17, at the origin)."""
    return f"{t + 0.0:.3g}" if abs(t) > 1e-12 else "0"


def _legend(ds) -> str:
    """Key to the overlays of a magnet's map: iron, flux lines, the 5-gauss line (empty for
    other maps)."""
    items = []
    if "iron_outline_m" in ds:
        items.append(
            f"<span style='color:{IRON_COLOUR}'>━</span> iron "
            f"({escape(str(ds.attrs.get('iron_ids', '')))})"
        )
    if any(ds[k].attrs.get("flux_lines") for k in ds.data_vars):
        items.append(
            f"<span style='color:#999999'>━</span> flux lines (field lines: contours of "
            f"{escape(next(ds[k].attrs.get('long_name', k) for k in ds.data_vars if ds[k].attrs.get('flux_lines')))})"
        )
    if ds.attrs.get("fringe_level_T") is not None and "B" in ds:
        level = float(ds.attrs["fringe_level_T"])
        b = ds["B"].values
        off = "" if np.nanmin(b) < level < np.nanmax(b) else " (beyond this map)"
        items.append(
            f"<span style='color:{FRINGE_COLOUR}'>╍</span> |B| = {escape(units.si(level, 'T'))} "
            f"({level * 1e4:.3g} gauss) line{off}"
        )
    if not items:
        return ""
    plane = ds.attrs.get("flux_plane", "")
    where = f" in the {plane} plane" if plane else ""
    return (
        "<div class='cryogen-field-legend' style='font-size:12px'>"
        + " · ".join(items)
        + where
        + (f" ({escape(str(ds.attrs['symmetry']))})" if ds.attrs.get("symmetry") else "")
        + "</div>"
    )
