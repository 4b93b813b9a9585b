"""pythreejs 3-D view: the cryostat's stages, the magnets' coils, |B| on a cut plane, field arrows.

Physics coordinates (metres) map to three.js by :func:`to_three`, so physics z
(a coil axis) points up on screen. Lights are children of the scene (a light attached to
the camera breaks pythreejs in Voilà), and only ambient and hemisphere lights. Coils are
drawn from the solver's coil objects: solenoids as cylinders, loops and Helmholtz pairs
as rings, every other winding (racetrack, saddle, CCT, path) as its current filaments.
A magnet with iron draws its iron translucent and labelled, in the coils' coordinates
(:mod:`cryogen_widgets.views.iron3d`).
"""

from __future__ import annotations

import math
from html import escape

import ipywidgets as w
import numpy as np
import pythreejs as p3

from cryogen_widgets.views import colors, iron3d, units
from cryogen_widgets.views.freshness import StaleBanner
from cryogen_widgets.views.iron3d import to_three
from solver.errors import CryoGenError

WIDTH, HEIGHT = 640, 460
ARROWS_PER_SIDE = 11
MAX_PLATES = 30  # a stack of more plates says nothing more and slows the view
COIL_COLOUR = "#b87333"


class Scene3D(w.VBox):
    """Orbitable 3-D view; call :meth:`show_design` with a design and optional results."""

    def __init__(self) -> None:
        self.camera = p3.PerspectiveCamera(
            position=[0.6, 0.5, 0.9], fov=45, aspect=WIDTH / HEIGHT, near=0.001, far=100.0
        )
        self.content = p3.Group()
        self.scene = p3.Scene(
            children=[
                self.camera,
                self.content,
                # Directional and point lights (models with a shadow) log "Error setting state:
                # t.on is not a function" in Voila; ambient plus hemisphere light render cleanly.
                p3.AmbientLight(color="#ffffff", intensity=0.45),
                p3.HemisphereLight(skyColor="#ffffff", groundColor="#5a6472", intensity=0.75),
            ],
            background="#f4f6f8",
        )
        self.controls = p3.OrbitControls(controlling=self.camera)
        self.renderer = p3.Renderer(
            camera=self.camera,
            scene=self.scene,
            controls=[self.controls],
            width=WIDTH,
            height=HEIGHT,
            antialias=True,
            layout=w.Layout(width=f"{WIDTH}px", height=f"{HEIGHT}px"),
        )
        self.renderer.add_class("cryogen-3d")
        self.legend = w.HTML()
        self.banner = StaleBanner("result")
        self.show_arrows = w.Checkbox(value=True, description="field arrows", indent=False)
        self.show_plane = w.Checkbox(value=True, description="|B| cut plane", indent=False)
        for box in (self.show_arrows, self.show_plane):
            box.observe(lambda _: self._rebuild(), "value")
        self.field_controls = w.HBox(
            [self.show_plane, self.show_arrows], layout=w.Layout(display="none")
        )
        self._last: tuple = ({}, None, None)
        super().__init__([self.banner, self.field_controls, w.HBox([self.renderer, self.legend])])

    def show_design(self, design: dict, steady=None, field=None) -> None:
        """Draw ``design``; colour stages by the steady-state Dataset; add the field-map Dataset."""
        self._last = (design, steady, field)
        self._rebuild()

    def _rebuild(self) -> None:
        design, steady, field = self._last
        objects: list = []
        legend: list[str] = []
        magnets: dict = {}
        if _has_magnet(design):  # the magnet code loads with the first magnet drawn
            from solver.magnet import design_magnets

            try:
                magnets = design_magnets(design)
            except CryoGenError as exc:
                legend.append(f"<span style='color:#d62728'>coils not drawn: {exc}</span>")
        if magnets:
            from solver.magnet import winding_bounds
            from solver.magnet.fem import FemMagnet, FemMagnet3D

            lo, hi = winding_bounds(list(magnets.values()))
        else:
            lo, hi = np.zeros(3), np.zeros(3)
        size = float(max(np.abs(lo).max(), np.abs(hi).max(), 0.05)) if magnets else 0.0
        iron: list[iron3d.IronDrawing] = []
        for magnet in magnets.values():
            if isinstance(magnet, FemMagnet | FemMagnet3D):
                drawn = iron3d.iron_magnet_objects(magnet)
                objects += drawn.objects
                iron.append(drawn)
                size = max(size, drawn.size_m)
                lo[2] = min(lo[2], drawn.z_min_m)
            if not isinstance(magnet, FemMagnet):
                for coil in magnet.coils:
                    objects += _coil_objects(coil)
        stage_top = stage_of_magnet(design)
        stage_objects, stage_size, stage_floor, stage_legend = _stages(
            design,
            steady,
            top=stage_top,
            below=float(lo[2]) - 0.15 * max(size, 0.1) if magnets else 0.0,
            radius0=1.05 * float(np.abs(np.concatenate([lo[:2], hi[:2]])).max())
            if magnets
            else 0.3,
        )
        objects += stage_objects
        legend.append(stage_legend)
        size = max(size, stage_size)
        has_field = field is not None and ("B" in field or "T" in field)
        self.field_controls.layout.display = "flex" if has_field and "B" in field else "none"
        if has_field:
            var, cmap = ("B", "viridis") if "B" in field else ("T", "inferno")
            if self.show_plane.value:
                objects.append(_cut_plane(field, var, cmap))
            if var == "B" and self.show_arrows.value:
                objects.append(_arrows(field))
            if var == "T":
                objects.append(_bounding_box(field))
            finite = field[var].where(np.isfinite(field[var]))
            unit = field[var].attrs.get("units", "")
            legend.append(
                f"{var} {units.si(float(finite.min()), unit)} … {units.si(float(finite.max()), unit)}"
                f" on the middle y cut plane ({cmap})"
            )
            size = max(size, float(max(abs(field["x"]).max(), abs(field["z"]).max())))
        scale = max(size, 0.1)
        grid_step = _nice_step(scale)
        floor = float(lo[2]) if not stage_objects else stage_floor
        objects += _axes(scale, grid_step, floor)
        for drawn in iron:
            objects += drawn.label_sprites(LABEL_HEIGHT * 1.2 * scale)
        legend.append(
            f"axes: <span style='color:#d62728'>x</span>, <span style='color:#2ca02c'>y</span>, "
            f"<span style='color:#1f4fd6'>z (up)</span>, each {units.si(1.2 * scale, 'm')} long; "
            f"floor grid squares {units.si(grid_step, 'm')}"
        )
        if magnets:
            legend.append(
                f"coils ({COIL_COLOUR_NAME}): "
                + ", ".join(
                    f"{escape(mid)}: "
                    + ", ".join(escape(f"{c.id} ({iron3d.coil_kind(c)})") for c in m.coils)
                    for mid, m in magnets.items()
                )
            )
            legend += [drawn.legend for drawn in iron]
        self.content.children = objects
        d = 1.25 * scale
        self.camera.position = [0.9 * d, 0.75 * d, 1.1 * d]
        self.controls.target = [0, 0, 0]
        self.camera.lookAt([0, 0, 0])
        self.legend.value = (
            "<div style='max-width:360px;font-size:12px'>"
            + "".join(f"<p style='margin:4px 0'>{item}</p>" for item in legend if item)
            + "</div>"
        )


COIL_COLOUR_NAME = "copper"


def _has_magnet(design: dict) -> bool:
    return any(c.get("type") == "magnet" for c in design.get("components", []))


def stage_of_magnet(design: dict) -> str | None:
    """The stage the first magnet stands on (drawn right under the coils)."""
    return next(
        (c.get("stage") for c in design.get("components", []) if c.get("type") == "magnet"),
        None,
    )


def _nice_step(scale: float) -> float:
    """A 1-2-5 grid step giving about five squares across ``scale`` metres."""
    raw = scale / 5
    d = 10 ** math.floor(math.log10(raw))
    return min((m * d for m in (1, 2, 5, 10) if m * d >= raw), default=raw)


LABEL_HEIGHT = 0.06
"""Text height of axis and part labels, as a fraction of the axes' length."""
AXIS_COLOURS = {"x": "#d62728", "y": "#2ca02c", "z": "#1f4fd6"}


def _axes(scale: float, step: float, floor: float) -> list:
    """Physics x, y, z axes (red, green, blue; z up), each 1.2·``scale`` long and labelled
    at its tip, and a floor grid of ``step`` squares at height ``floor`` (m).

    Drawn as lines in physics coordinates: three.js's AxesHelper colours its own axes, whose
    y and z are physics z and −y (see :func:`to_three`)."""
    n = max(2, round(2 * 1.2 * scale / step))
    grid = p3.GridHelper(size=n * step, divisions=n, colorCenterLine="#8899aa", colorGrid="#d5dbe1")
    grid.position = to_three([0.0, 0.0, floor])
    length = 1.2 * scale
    out: list = [grid]
    for k, (name, colour) in enumerate(AXIS_COLOURS.items()):
        tip = np.zeros(3)
        tip[k] = length
        positions = np.array([to_three(np.zeros(3)), to_three(tip)], dtype="float32")
        geo = p3.BufferGeometry(
            attributes={"position": p3.BufferAttribute(positions, normalized=False)}
        )
        out.append(p3.LineSegments(geometry=geo, material=p3.LineBasicMaterial(color=colour)))
        text = f"{name} (up)" if name == "z" else name
        if name == "x":
            text += f", {units.si(length, 'm')}"
        # part way along and above the axis: the camera frames the model, and the tips of
        # x and z leave the view
        at = 0.45 * tip + [0.0, 0.0, 0.6 * LABEL_HEIGHT * length]
        out.append(iron3d.label(text, at, LABEL_HEIGHT * length, colour))
    return out


def _stages(design: dict, steady, top: str | None, below: float, radius0: float):
    all_nodes = [c for c in design.get("components", []) if c.get("type") in ("boundary", "stage")]
    all_nodes.sort(key=lambda c: c["id"] != top)  # the magnet's stage first, right under it
    nodes = all_nodes[:MAX_PLATES]
    if not nodes:
        return [], 0.0, 0.0, "<i>empty design: no stages to draw</i>"
    temps = {}
    if steady is not None:
        temps = {
            str(n): float(t)
            for n, t in zip(steady["node"].values, steady["temperature"].values, strict=True)
        }
    finite = [t for t in temps.values() if np.isfinite(t) and t > 0]
    lo, hi = (min(finite), max(finite)) if finite else (1.0, 300.0)
    gap = radius0 / 2
    objects = []
    rows = []
    for i, node in enumerate(nodes):
        t = temps.get(node["id"])
        colour = colors.css(colors.to_rgb([t], lo, hi, "inferno", log=True)[0]) if t else "#9fb3c8"
        what = units.temperature(t) if t else node["type"]
        mark = " (magnet's stage)" if node["id"] == top else ""
        rows.append(
            f"<span style='display:inline-block;width:10px;height:10px;background:{colour};"
            f"border:1px solid #555'></span> {i + 1}. <b>{escape(node['id'])}</b> {what}{mark}"
        )
        r = radius0 * max(0.2, 1.0 - 0.12 * i)
        z = below - gap * i
        if node["type"] == "boundary":
            geo = p3.CylinderGeometry(radiusTop=r, radiusBottom=r, height=0.01, radialSegments=48)
            mat = p3.MeshLambertMaterial(color=colour, wireframe=True)
        else:
            geo = p3.CylinderGeometry(radiusTop=r, radiusBottom=r, height=0.012, radialSegments=48)
            mat = p3.MeshLambertMaterial(color=colour)
        # three.js cylinders stand along its y, which is physics z: plates lie flat
        objects.append(p3.Mesh(geometry=geo, material=mat, position=to_three([0.0, 0.0, z])))
    legend = (
        f"plates from the top, coloured by steady-state temperature (inferno, log scale "
        f"{units.temperature(lo)} … {units.temperature(hi)}):"
        if finite
        else "plates from the top (run a steady state to colour them):"
    )
    legend += "<br>" + "<br>".join(rows)
    if len(all_nodes) > MAX_PLATES:
        legend += f"<br>the first {MAX_PLATES} of {len(all_nodes)} nodes are drawn"
    floor = below - gap * len(nodes)
    return objects, radius0 + abs(below) + gap * len(nodes), floor, legend


def _coil_objects(coil) -> list:
    """three.js objects of one solver coil (its own geometry, placement and filaments)."""
    from solver.magnet import Helmholtz, Loop, Solenoid
    from solver.magnet.coils import FilamentCoil

    if isinstance(coil, Helmholtz):
        return [o for loop in coil.loops() for o in _coil_objects(loop)]
    if isinstance(coil, Solenoid):
        r_out = coil.radius_m if coil.is_thin else coil.outer_radius_m
        return [_cylinder(coil, float(r_out), coil.length_m)]
    if isinstance(coil, Loop):  # a band wide enough to see from any side
        return [_cylinder(coil, coil.radius_m, 0.08 * coil.radius_m, opacity=0.95)]
    if isinstance(coil, FilamentCoil):
        starts, ends, _ = coil.filaments()
        pts = np.empty((2 * len(starts), 3), dtype="float32")
        pts[0::2] = [to_three(p) for p in starts]
        pts[1::2] = [to_three(p) for p in ends]
        geo = p3.BufferGeometry(attributes={"position": p3.BufferAttribute(pts, normalized=False)})
        return [p3.LineSegments(geometry=geo, material=p3.LineBasicMaterial(color=COIL_COLOUR))]
    raise TypeError(f"no 3-D drawing for a {type(coil).__name__} coil")


def _cylinder(coil, radius: float, length: float, opacity: float = 0.75):
    geo = p3.CylinderGeometry(
        radiusTop=radius,
        radiusBottom=radius,
        height=max(length, 0.004),
        radialSegments=64,
        openEnded=True,
    )
    mesh = p3.Mesh(
        geometry=geo,
        material=p3.MeshLambertMaterial(
            color=COIL_COLOUR, side="DoubleSide", transparent=True, opacity=opacity
        ),
    )
    # three.js cylinders run along local y: turn local y onto the coil axis
    mesh.rotation = _euler_y_to(to_three(coil.placement.axis))
    mesh.position = to_three(coil.placement.center)
    return mesh


def _euler_y_to(axis) -> tuple[float, float, float, str]:
    """Euler angles (XYZ order, as three.js reads them) of the rotation taking +y onto ``axis``."""
    y = np.array([0.0, 1.0, 0.0])
    a = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    v, c = np.cross(y, a), float(np.dot(y, a))
    if np.linalg.norm(v) < 1e-12:
        R = np.eye(3) if c > 0 else np.diag([1.0, -1.0, -1.0])
    else:
        vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
        R = np.eye(3) + vx + vx @ vx / (1.0 + c)  # Rodrigues' formula for two unit vectors
    ry = math.asin(max(-1.0, min(1.0, R[0, 2])))
    if abs(R[0, 2]) < 0.9999999:
        rx, rz = math.atan2(-R[1, 2], R[2, 2]), math.atan2(-R[0, 1], R[0, 0])
    else:
        rx, rz = math.atan2(R[2, 1], R[1, 1]), 0.0
    return (rx, ry, rz, "XYZ")


def _cut_plane(field, var: str = "B", cmap: str = "viridis"):
    """``var`` on the plane y = (middle of the grid) as a textured rectangle (physics xz)."""
    j = field.sizes["y"] // 2
    B = np.asarray(field[var].isel(y=j).transpose("z", "x").values, dtype=float)
    finite = B[np.isfinite(B)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    rgb = colors.to_rgb(B, lo, hi, cmap)
    rgba = np.concatenate([rgb, np.full((*rgb.shape[:2], 1), 255, np.uint8)], axis=2)
    tex = p3.DataTexture(
        data=np.ascontiguousarray(rgba),
        format="RGBAFormat",
        type="UnsignedByteType",
        magFilter="LinearFilter",
        minFilter="LinearFilter",
    )
    x, z = np.asarray(field["x"].values), np.asarray(field["z"].values)
    geo = p3.PlaneGeometry(width=float(x[-1] - x[0]), height=float(z[-1] - z[0]))
    # see-through enough to show the windings behind the plane
    mat = p3.MeshBasicMaterial(map=tex, side="DoubleSide", transparent=True, opacity=0.6)
    y0 = float(field["y"].values[j])
    # a PlaneGeometry lies in three.js x-y, which is physics x-z (see to_three)
    return p3.Mesh(
        geometry=geo, material=mat, position=to_three([float(x.mean()), y0, float(z.mean())])
    )


def _bounding_box(field):
    """Wire box around a grid body's extent."""
    lo = [float(field[a].min()) for a in "xyz"]
    hi = [float(field[a].max()) for a in "xyz"]
    size = [h - low for low, h in zip(lo, hi, strict=True)]
    centre = [(low + h) / 2 for low, h in zip(lo, hi, strict=True)]
    # box sides along three.js x, y, z are physics x, z, y (see to_three)
    geo = p3.BoxGeometry(width=size[0] or 1e-3, height=size[2] or 1e-3, depth=size[1] or 1e-3)
    return p3.Mesh(
        geometry=geo,
        material=p3.MeshBasicMaterial(color="#555555", wireframe=True),
        position=to_three(centre),
    )


def _arrows(field):
    """Field direction in the cut plane: a shaft and two head strokes per arrow, length ∝ |B|."""
    j = field.sizes["y"] // 2
    sub = field.isel(y=j)
    x, z = np.asarray(field["x"].values), np.asarray(field["z"].values)
    ix = np.linspace(0, len(x) - 1, ARROWS_PER_SIDE).round().astype(int)
    iz = np.linspace(0, len(z) - 1, ARROWS_PER_SIDE).round().astype(int)
    Bx = np.asarray(sub["Bx"].values, float)[np.ix_(ix, iz)]
    Bz = np.asarray(sub["Bz"].values, float)[np.ix_(ix, iz)]
    mag = np.hypot(Bx, Bz)
    top = float(np.nanmax(mag)) or 1.0
    cell = min((x[-1] - x[0]), (z[-1] - z[0])) / ARROWS_PER_SIDE
    y0 = float(field["y"].values[j])
    segs = []
    for a, i in enumerate(ix):
        for b, k in enumerate(iz):
            m = mag[a, b]
            if not np.isfinite(m) or m <= 0:
                continue
            length = 0.9 * cell * min(1.0, 0.25 + m / top)
            ux, uz = Bx[a, b] / m, Bz[a, b] / m
            p0 = np.array([x[i] - 0.5 * length * ux, y0, z[k] - 0.5 * length * uz])
            p1 = np.array([x[i] + 0.5 * length * ux, y0, z[k] + 0.5 * length * uz])
            head = 0.3 * length
            for sgn in (1, -1):
                hx = -ux * math.cos(0.5) - sgn * uz * math.sin(0.5)
                hz = -uz * math.cos(0.5) + sgn * ux * math.sin(0.5)
                segs += [p1, p1 + head * np.array([hx, 0, hz])]
            segs += [p0, p1]
    positions = (
        np.array([to_three(p) for p in segs], dtype="float32")
        if segs
        else np.zeros((0, 3), "float32")
    )
    geo = p3.BufferGeometry(
        attributes={"position": p3.BufferAttribute(positions, normalized=False)}
    )
    return p3.LineSegments(geometry=geo, material=p3.LineBasicMaterial(color="#222222"))
