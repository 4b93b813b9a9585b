"""pythreejs 3-D view: the cryostat's stages, the magnets' coils, |B| on a cut plane, field arrows.

Physics coordinates (metres) map to three.js by :func:`to_three`, so physics z
(a coil axis) points up on screen. Lights are children of the scene (a light attached to
the camera breaks pythreejs in Voilà), and only ambient and hemisphere lights.
"""

from __future__ import annotations

import math

import ipywidgets as w
import numpy as np
import pythreejs as p3

from cryogen_widgets.views import colors
from cryogen_widgets.views.magnet import coil_extent, coil_shapes, magnets

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
        self.show_arrows = w.Checkbox(value=True, description="field arrows", indent=False)
        self.show_plane = w.Checkbox(value=True, description="|B| cut plane", indent=False)
        for box in (self.show_arrows, self.show_plane):
            box.observe(lambda _: self._rebuild(), "value")
        self._last: tuple = ({}, None, None)
        super().__init__([w.HBox([self.show_plane, self.show_arrows]), self.renderer, self.legend])

    def show_design(self, design: dict, steady=None, field=None) -> None:
        """Draw ``design``; colour stages by the steady-state Dataset; add the field-map Dataset."""
        self._last = (design, steady, field)
        self._rebuild()

    def _rebuild(self) -> None:
        design, steady, field = self._last
        objects: list = []
        coils = [
            s
            for m in magnets(design)
            if isinstance(m.get("coil"), dict)
            for s in coil_shapes(m["coil"])
        ]
        size = max(coil_extent(coils), 0.05) if coils else 0.0
        objects += [_coil_mesh(s) for s in coils]
        stage_objects, stage_size, legend = _stages(
            design, steady, below=-size * 1.2, radius0=2.0 * size if coils else 0.3
        )
        objects += stage_objects
        size = max(size, stage_size)
        if field is not None and ("B" in field or "T" in field):
            var, cmap = ("B", "viridis") if "B" in field else ("T", "inferno")
            if self.show_plane.value:
                objects.append(_cut_plane(field, var, cmap))
            if var == "B" and self.show_arrows.value:
                objects.append(_arrows(field))
            if var == "T":
                objects.append(_bounding_box(field))
            finite = field[var].where(np.isfinite(field[var]))
            unit = field[var].attrs.get("units", "")
            legend += (
                f" · {var} {float(finite.min()):.3g} … {float(finite.max()):.3g} {unit} "
                f"on the middle y cut plane ({cmap})"
            )
            size = max(size, float(max(abs(field["x"]).max(), abs(field["z"]).max())))
        self.content.children = objects
        d = 1.5 * max(size, 0.1)
        self.camera.position = [0.8 * d, 0.6 * d, 1.0 * d]
        self.controls.target = [0, 0, 0]
        self.camera.lookAt([0, 0, 0])
        self.legend.value = legend


def to_three(v) -> tuple[float, float, float]:
    """Physics (x, y, z) in metres to three.js (x, z, -y): physics z, the coil axis, points up."""
    return (float(v[0]), float(v[2]), -float(v[1]))


def _stages(design: dict, steady, below: float, radius0: float):
    all_nodes = [c for c in design.get("components", []) if c.get("type") in ("boundary", "stage")]
    nodes = all_nodes[:MAX_PLATES]
    if not nodes:
        return [], 0.0, "<i>empty design</i>"
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
    for i, node in enumerate(nodes):
        t = temps.get(node["id"])
        colour = colors.css(colors.to_rgb([t], lo, hi, "inferno", log=True)[0]) if t else "#9fb3c8"
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
        f"stages coloured by steady-state temperature (inferno, log scale: {lo:.3g} K … {hi:.3g} K)"
        if finite
        else "stages (run a steady state to colour them)"
    )
    if len(all_nodes) > MAX_PLATES:
        legend += f"; the first {MAX_PLATES} of {len(all_nodes)} nodes are drawn"
    return objects, radius0 + abs(below) + gap * len(nodes), legend


def _coil_mesh(shape: dict):
    if "points" in shape:
        pts = np.array([to_three(p) for p in shape["points"]], dtype="float32")
        geo = p3.BufferGeometry(attributes={"position": p3.BufferAttribute(pts, normalized=False)})
        return p3.Line(geometry=geo, material=p3.LineBasicMaterial(color=COIL_COLOUR, linewidth=2))
    length = max(shape["length"], 0.004)
    geo = p3.CylinderGeometry(
        radiusTop=shape["r_out"],
        radiusBottom=shape["r_out"],
        height=length,
        radialSegments=48,
        openEnded=True,
    )
    mesh = p3.Mesh(
        geometry=geo,
        material=p3.MeshLambertMaterial(
            color=COIL_COLOUR, side="DoubleSide", transparent=True, opacity=0.75
        ),
    )
    # three.js cylinders run along local y: turn local y onto the coil axis
    mesh.rotation = _euler_y_to(to_three(shape["axis"]))
    mesh.position = to_three(shape["center"])
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
    mat = p3.MeshBasicMaterial(map=tex, side="DoubleSide", transparent=True, opacity=0.9)
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
