"""Coil objects: geometry, placement, field at points, filaments and winding samples.

Each coil is a validated, immutable description (pydantic) with three methods:

* ``field(points)``: flux density in tesla at points in metres, shape (n, 3);
* ``filaments()``: the winding as straight current segments (starts, ends, ampere-turns);
* ``winding_points(wire_radius_m)``: points on or in the conductor, for peak-field search.

Axisymmetric coils (loop, solenoid, Helmholtz pair) use the elliptic-integral
kernels of :mod:`solver.kernels.magnet_axisymmetric`; all others are polylines
of current filaments through :mod:`solver.kernels.biot_savart`.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from solver._plain_errors import in_plain_words
from solver.errors import DesignError
from solver.kernels import biot_savart, magnet_axisymmetric
from solver.magnet._constants import MU0_H_PER_M
from solver.magnet._frames import Placement

Vector3 = tuple[float, float, float]


def as_points(points) -> np.ndarray:
    """Observer points as a C-contiguous float array of shape (n, 3) (metres)."""
    p = np.ascontiguousarray(np.asarray(points, dtype=float))
    if p.ndim == 1 and p.shape[0] == 3:
        p = p.reshape(1, 3)
    if p.ndim != 2 or p.shape[1] != 3:
        raise DesignError(f"points must have shape (n, 3) in metres, got shape {p.shape}")
    if not np.all(np.isfinite(p)):
        bad = int(np.flatnonzero(~np.isfinite(p).all(axis=1))[0])
        raise DesignError(f"point {bad} is not finite: {p[bad].tolist()}")
    return p


def describe_validation_error(exc: ValidationError, coil_id: str, coil_type: str) -> str:
    """One line per problem, naming the coil id and the field."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(coil)"
        msg = in_plain_words(err)
        if err["type"] == "extra_forbidden":
            msg = f"unknown field for a {coil_type!r} coil"
        parts.append(f"coil {coil_id!r}: field {loc!r}: {msg}")
    return "; ".join(parts)


MAX_FILAMENT_SEGMENTS = 2_000_000
"""Most straight segments of one filament coil (≈ 150 MB of arrays); beyond, refused."""
MAX_SEGMENTS_PER_ARC = 2_000
"""Most straight segments per arc or turn: 2000 per turn puts the polygon within 1.3e-6
(relative) of its circle, far below any winding tolerance."""
MAX_ORDER = 12
"""Highest multipole order of a saddle or CCT winding (a 24-pole)."""


class Coil(BaseModel):
    """Base of every coil: id, current and placement (centre, axis, roll)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    type: ClassVar[str] = ""
    id: str = "coil"
    current_A: float = Field(description="transport current in A (sign follows the axis rule)")
    center_m: Vector3 = (0.0, 0.0, 0.0)
    axis: Vector3 = (0.0, 0.0, 1.0)
    roll_deg: float = 0.0

    _placement: Placement = PrivateAttr()

    def __init__(self, **data):
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise DesignError(
                describe_validation_error(exc, str(data.get("id", "coil")), self.type)
            ) from None

    def model_post_init(self, context) -> None:
        try:
            self._placement = Placement(self.center_m, self.axis, self.roll_deg)
        except DesignError as exc:
            raise DesignError(f"coil {self.id!r}: {exc}") from None

    def __eq__(self, other) -> bool:
        # compare the description only (private caches hold numpy arrays)
        return type(self) is type(other) and self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self.model_dump())))

    @property
    def placement(self) -> Placement:
        """The coil's :class:`Placement` (centre, axis, rotation matrix)."""
        return self._placement

    def field(self, points) -> np.ndarray:
        """Flux density of this coil.

        Parameters
        ----------
        points : array_like, shape (n, 3) or (3,)
            Observer positions in metres.

        Returns
        -------
        ndarray, shape (n, 3)
            B in tesla. Raises DesignError for a point on a current filament.
        """
        p = as_points(points)
        out = np.zeros_like(p)
        self.add_field(p, out)
        return out

    def add_field(self, points: np.ndarray, out: np.ndarray) -> None:
        """Add this coil's field (tesla) at ``points`` (n, 3, metres) to ``out`` (n, 3)."""
        raise NotImplementedError(f"{type(self).__name__} does not define add_field")

    def filaments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Straight current segments: (starts, ends, ampere_turns), shapes (m, 3), (m, 3), (m,)."""
        raise NotImplementedError(f"{type(self).__name__} does not define filaments")

    def winding_points(self, wire_radius_m: float) -> np.ndarray:
        """Points sampling the conductor of the winding, shape (n, 3), metres."""
        raise NotImplementedError(f"{type(self).__name__} does not define winding_points")

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned box holding the winding (conductor centre lines, outer radius).

        Returns
        -------
        lo, hi : ndarray, shape (3,)
            Smallest and largest global x, y, z of the winding in metres.
        """
        raise NotImplementedError(f"{type(self).__name__} does not define bounds")

    def _check_on_filament(
        self, points: np.ndarray, out: np.ndarray, what: str, n_bad: int
    ) -> None:
        if n_bad:
            i = int(np.flatnonzero(np.isnan(out).any(axis=1))[0])
            why = (
                "the field jumps across a current sheet and is undefined on it"
                if "sheet" in what
                else "the field of a current filament is infinite there"
            )
            raise DesignError(
                f"point {i} {points[i].tolist()} lies on {what} of coil {self.id!r}; "
                f"{why}: move the point off the winding"
            )


# --------------------------------------------------------------------------- axisymmetric


class Loop(Coil):
    """A circular current loop of ``turns`` turns of radius ``radius_m`` about ``axis``."""

    type: ClassVar[str] = "loop"
    radius_m: float = Field(gt=0)
    turns: float = Field(1.0, gt=0)

    def add_field(self, points, out):
        pl = self.placement
        bad = magnet_axisymmetric.add_loop_field(
            points,
            pl.center,
            pl.rotation,
            self.radius_m,
            MU0_H_PER_M * self.turns * self.current_A,
            out,
        )
        self._check_on_filament(points, out, "the wire", bad)

    def bounds(self):
        return _ring_bounds(self.placement, self.radius_m, 0.0)

    def filaments(self, segments_per_turn: int = 256):
        """Inscribed polygon: (starts, ends, ampere_turns) with shapes (m, 3), (m, 3), (m,)."""
        return _polyline_segments(
            self.placement.to_global(_circle(self.radius_m, 0.0, segments_per_turn)),
            self.turns * self.current_A,
            closed=True,
        )

    def winding_points(
        self, wire_radius_m: float, n_around: int = 8, n_along: int = 16
    ) -> np.ndarray:
        """Points on the surface of the round bundle of ``turns`` strands of radius
        ``wire_radius_m`` (bundle radius r_w·√N), shape (n_along·n_around, 3)."""
        bundle = wire_radius_m * np.sqrt(self.turns)
        return _torus_points(self.placement, self.radius_m, 0.0, bundle, n_around, n_along)


class Solenoid(Coil):
    """A solenoid: thin current sheet (``radius_m``) or thick winding (inner/outer radius).

    ``center_m`` is the winding's midpoint; positive current circulates right-handed
    about ``axis``. A thick winding carries a uniform current density
    J = turns·I / (length·(outer − inner)); its field is a Gauss–Legendre integral
    over thin sheets with ``radial_nodes`` nodes per interval.
    """

    type: ClassVar[str] = "solenoid"
    radius_m: float | None = Field(None, gt=0)
    inner_radius_m: float | None = Field(None, gt=0)
    outer_radius_m: float | None = Field(None, gt=0)
    length_m: float = Field(gt=0)
    turns: float = Field(gt=0)
    radial_nodes: int = Field(24, ge=2, le=128)

    @model_validator(mode="after")
    def _one_geometry(self):
        thick = self.inner_radius_m is not None or self.outer_radius_m is not None
        if self.radius_m is not None and thick:
            raise ValueError(
                "give either radius_m (thin sheet) or inner_radius_m and outer_radius_m "
                "(thick winding), not both"
            )
        if self.radius_m is None:
            if self.inner_radius_m is None or self.outer_radius_m is None:
                raise ValueError(
                    "a solenoid needs radius_m (thin sheet) or both inner_radius_m and outer_radius_m"
                )
            if not self.outer_radius_m > self.inner_radius_m:
                raise ValueError("outer_radius_m must be greater than inner_radius_m")
        return self

    @property
    def is_thin(self) -> bool:
        """True for a current sheet (``radius_m``), False for a thick winding."""
        return self.radius_m is not None

    @property
    def winding_radii_m(self) -> tuple[float, float]:
        """(inner, outer) radius of the winding in metres; both the sheet radius when thin."""
        if self.radius_m is not None:
            return self.radius_m, self.radius_m
        assert self.inner_radius_m is not None and self.outer_radius_m is not None  # validated
        return self.inner_radius_m, self.outer_radius_m

    @property
    def mean_radius_m(self) -> float:
        """Sheet radius, or the mean of inner and outer radii, in metres."""
        return 0.5 * sum(self.winding_radii_m)

    def add_field(self, points, out):
        pl = self.placement
        b = 0.5 * self.length_m
        if self.is_thin:
            k = MU0_H_PER_M * self.turns / self.length_m * self.current_A
            bad = magnet_axisymmetric.add_sheet_field(
                points, pl.center, pl.rotation, self.radius_m, b, k, out
            )
            self._check_on_filament(points, out, "the current sheet", bad)
        else:
            r1, r2 = self.winding_radii_m
            mu0_j = MU0_H_PER_M * self.turns * self.current_A / (self.length_m * (r2 - r1))
            x, w = np.polynomial.legendre.leggauss(self.radial_nodes)
            # a uniform current density has a finite field everywhere: no filament check
            magnet_axisymmetric.add_thick_field(
                points, pl.center, pl.rotation, r1, r2, b, mu0_j, x, w, out
            )

    def bounds(self):
        r_out = self.radius_m if self.is_thin else self.outer_radius_m
        return _ring_bounds(self.placement, float(r_out), 0.5 * self.length_m)

    def _loop_grid(self, n_z: int, n_r: int):
        """Midpoint-rule grid of loops (radii, z offsets, weight) representing the winding."""
        zs = (np.arange(n_z) + 0.5) / n_z * self.length_m - 0.5 * self.length_m
        r1, r2 = self.winding_radii_m
        n = 1 if self.is_thin else n_r  # one loop radius for a sheet
        rs = r1 + (np.arange(n) + 0.5) / n * (r2 - r1)
        return rs, zs, 1.0 / (rs.size * zs.size)

    def filaments(self, segments_per_turn: int = 128, n_z: int = 40, n_r: int = 4):
        """The winding as a grid of polygon loops (midpoint rule in z and r).

        Returns (starts, ends, ampere_turns), shapes (m, 3), (m, 3), (m,).
        """
        rs, zs, weight = self._loop_grid(n_z, n_r)
        parts = [
            _polyline_segments(
                self.placement.to_global(_circle(r, z, segments_per_turn)),
                weight * self.turns * self.current_A,
                closed=True,
            )
            for r in rs
            for z in zs
        ]
        return _concat_segments(parts)

    def winding_points(
        self, wire_radius_m: float = 0.0, n_z: int = 41, n_r: int = 9, n_phi: int = 8
    ):
        """Points sampling the winding volume (thick) or both faces of the sheet (thin).

        The grid includes the winding's edges, where the peak field of a thick solenoid
        usually is (inner radius, mid-plane) and its corners. Shape (m, 3), metres.
        """
        zs = np.linspace(-0.5, 0.5, n_z) * self.length_m
        if self.is_thin:
            # The sheet's two faces; the field jumps across the sheet, the inner face is higher.
            radius = self.winding_radii_m[0]
            gap = max(wire_radius_m, 1e-9 * radius)
            rs = np.array([radius - gap, radius + gap])
        else:
            rs = np.linspace(*self.winding_radii_m, n_r)
        phis = np.arange(n_phi) * 2 * np.pi / n_phi
        r, z, phi = np.meshgrid(rs, zs, phis, indexing="ij")
        local = np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=-1).reshape(-1, 3)
        return self.placement.to_global(local)


class Helmholtz(Coil):
    """Two coaxial loops of ``turns`` each, radius ``radius_m``, ``separation_m`` apart
    (default: the radius, the Helmholtz condition), centred on ``center_m``."""

    type: ClassVar[str] = "helmholtz"
    radius_m: float = Field(gt=0)
    turns: float = Field(1.0, gt=0)
    separation_m: float | None = Field(None, gt=0)

    def loops(self) -> list[Loop]:
        """The two loops, ids ``<id>.1`` and ``<id>.2``."""
        d = self.radius_m if self.separation_m is None else self.separation_m
        c = self.placement.center
        ax = np.asarray(self.placement.axis)
        return [
            Loop(
                id=f"{self.id}.{k + 1}",
                radius_m=self.radius_m,
                turns=self.turns,
                current_A=self.current_A,
                center_m=tuple(c + s * 0.5 * d * ax),
                axis=self.axis,
                roll_deg=self.roll_deg,
            )
            for k, s in enumerate((-1.0, 1.0))
        ]

    def add_field(self, points, out):
        for loop in self.loops():
            loop.add_field(points, out)

    def bounds(self):
        d = self.radius_m if self.separation_m is None else self.separation_m
        return _ring_bounds(self.placement, self.radius_m, 0.5 * d)

    def filaments(self, segments_per_turn: int = 256):
        """Both loops as polygons: (starts, ends, ampere_turns)."""
        return _concat_segments([lp.filaments(segments_per_turn) for lp in self.loops()])

    def winding_points(self, wire_radius_m: float, n_around: int = 8, n_along: int = 16):
        """Points on both wire surfaces, shape (m, 3)."""
        return np.concatenate(
            [lp.winding_points(wire_radius_m, n_around, n_along) for lp in self.loops()]
        )


# --------------------------------------------------------------------------- filament coils


class FilamentCoil(Coil):
    """A coil made of polylines of straight current filaments (numeric Biot–Savart)."""

    _segments: tuple[np.ndarray, np.ndarray, np.ndarray] = PrivateAttr()

    def model_post_init(self, context) -> None:
        super().model_post_init(context)
        parts = [
            _polyline_segments(self.placement.to_global(pts), amp_turns, closed)
            for pts, amp_turns, closed in self.local_polylines()
        ]
        self._segments = _concat_segments(parts)

    def local_polylines(self) -> list[tuple[np.ndarray, float, bool]]:
        """Polylines in the coil frame: (points (k, 3) m, ampere-turns, closed)."""
        raise NotImplementedError(f"{type(self).__name__} does not define local_polylines")

    def filaments(self):
        """(starts, ends, ampere_turns) in global coordinates, shapes (m, 3), (m, 3), (m,)."""
        return self._segments

    def bounds(self):
        """Box of the filament vertices (the polylines through which the current flows)."""
        starts, ends, _ = self._segments
        both = np.concatenate([starts, ends])
        return both.min(axis=0), both.max(axis=0)

    def add_field(self, points, out):
        starts, ends, amp = self._segments
        bad = biot_savart.add_segments_field(
            points, starts, ends, MU0_H_PER_M / (4 * np.pi) * amp, out
        )
        self._check_on_filament(points, out, "a current filament", bad)

    bundle_turns_field: ClassVar[str | None] = "turns"

    def winding_points(self, wire_radius_m: float, n_around: int = 8) -> np.ndarray:
        """Points on the surface of the round conductor bundle around each segment's midpoint.

        A filament standing for N turns is a round bundle of N strands of radius
        r_w, radius r_w·√N (same copper area), whose surface carries its peak self
        field μ0NI/(2π·r_w√N). Shape (m·n_around, 3), metres.
        """
        if not wire_radius_m > 0:
            raise DesignError(
                f"coil {self.id!r}: the peak field on a filament coil needs conductor.wire_radius_m > 0"
            )
        n_turns = getattr(self, self.bundle_turns_field) if self.bundle_turns_field else 1.0
        wire_radius_m = wire_radius_m * np.sqrt(n_turns)
        starts, ends, _ = self._segments
        mid = 0.5 * (starts + ends)
        t = ends - starts
        t /= np.linalg.norm(t, axis=1, keepdims=True)
        helper = np.where(np.abs(t[:, [2]]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
        u = np.cross(t, helper)
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        v = np.cross(t, u)
        ang = np.arange(n_around) * 2 * np.pi / n_around
        pts = (
            mid[:, None, :]
            + wire_radius_m * np.cos(ang)[None, :, None] * u[:, None, :]
            + wire_radius_m * np.sin(ang)[None, :, None] * v[:, None, :]
        )
        return pts.reshape(-1, 3)


class Path(FilamentCoil):
    """Any polyline of current filaments (``points_m`` in the coil frame, metres);
    open unless ``closed`` is true. Current flows from the first point to the last."""

    type: ClassVar[str] = "path"
    points_m: list[Vector3] = Field(min_length=2)
    closed: bool = False
    turns: float = Field(1.0, gt=0)

    @model_validator(mode="after")
    def _no_zero_segments(self):
        p = np.asarray(self.points_m, dtype=float)
        if self.closed:
            p = np.vstack([p, p[:1]])
        lengths = np.linalg.norm(np.diff(p, axis=0), axis=1)
        if np.any(lengths == 0):
            i = int(np.flatnonzero(lengths == 0)[0])
            raise ValueError(f"points_m[{i}] and the next point coincide (zero-length segment)")
        return self

    def local_polylines(self):
        return [(np.asarray(self.points_m, dtype=float), self.turns * self.current_A, self.closed)]


class Racetrack(FilamentCoil):
    """A flat racetrack in the coil's local x-y plane: two straights of
    ``straight_length_m`` along local x, joined by half circles of ``radius_m``
    (to the conductor centre line); current circulates right-handed about ``axis``."""

    type: ClassVar[str] = "racetrack"
    straight_length_m: float = Field(gt=0)
    radius_m: float = Field(gt=0)
    turns: float = Field(1.0, gt=0)
    segments_per_arc: int = Field(64, ge=4, le=MAX_SEGMENTS_PER_ARC)

    def local_polylines(self):
        s = 0.5 * self.straight_length_m
        r = self.radius_m
        n = self.segments_per_arc
        right = np.linspace(-np.pi / 2, np.pi / 2, n + 1)
        left = np.linspace(np.pi / 2, 3 * np.pi / 2, n + 1)
        pts = np.concatenate(
            [
                np.stack([s + r * np.cos(right), r * np.sin(right), 0 * right], axis=1),
                np.stack([-s + r * np.cos(left), r * np.sin(left), 0 * left], axis=1),
            ]
        )
        return [(pts, self.turns * self.current_A, True)]


class Saddle(FilamentCoil):
    """A cos(nθ) saddle winding (dipole for ``order`` 1, quadrupole for 2) on a cylinder.

    The ideal surface current K_z(θ) = −K0·cos(nθ) is approximated by ``lines``
    equal-current lines per half pole, at angles δ_k from each pole centre with
    sin(n·δ_k) = (k − ½)/lines, so the line density follows cos(nθ). Lines are
    joined into saddle loops (straights of ``length_m`` along the axis, arcs on
    the cylinder at the ends). Each loop has ``turns`` turns. For order 1 the
    central field points along local +y. Nested loops share the end planes ±length/2
    unless ``end_spacing_m`` > 0 moves each wider loop's end arcs that much further
    out (give about the conductor width, so end arcs do not overlap for margins).
    """

    type: ClassVar[str] = "saddle"
    radius_m: float = Field(gt=0)
    length_m: float = Field(gt=0)
    turns: float = Field(1.0, gt=0)
    lines: int = Field(8, ge=1, le=64)
    order: int = Field(1, ge=1, le=MAX_ORDER)
    end_spacing_m: float = Field(0.0, ge=0)
    segments_per_arc: int = Field(32, ge=2, le=MAX_SEGMENTS_PER_ARC)

    def local_polylines(self):
        n, m, r = self.order, self.lines, self.radius_m
        deltas = np.arcsin((np.arange(m) + 0.5) / m) / n
        polys = []
        for sector in range(2 * n):
            boundary = (sector + 0.5) * np.pi / n
            # sector `sector` carries current along −z for even sectors (K_z = −K0 cos nθ)
            sign = -1.0 if sector % 2 == 0 else 1.0
            for k, d in enumerate(deltas):
                h = 0.5 * self.length_m + (m - 1 - k) * self.end_spacing_m
                half = np.pi / (2 * n) - d
                t1, t2 = boundary - half, boundary + half
                arc = np.linspace(t1, t2, self.segments_per_arc + 1)
                zs_first, zs_back = (h, -h) if sign < 0 else (-h, h)
                first_end = np.stack(
                    [r * np.cos(arc), r * np.sin(arc), np.full_like(arc, zs_back)], 1
                )
                back_end = np.stack(
                    [r * np.cos(arc[::-1]), r * np.sin(arc[::-1]), np.full_like(arc, zs_first)], 1
                )
                pts = np.concatenate(
                    [[[r * np.cos(t1), r * np.sin(t1), zs_first]], first_end, back_end[:-1]]
                )
                polys.append((pts, self.turns * self.current_A, True))
        return polys


class CCT(FilamentCoil):
    """Canted cosine-theta winding (Meyer & Flasck, Nucl. Instrum. Methods 80, 339 (1970)).

    Layer path: x = R cos θ, y = R sin θ, z = R sin(nθ)/(n tan α) + p·θ/(2π), with
    tilt α = ``tilt_deg`` from the axis, pitch p = ``pitch_m`` per turn and
    ``order`` n, over ``turns`` turns centred on z = 0. A second layer at
    ``second_layer_radius_m`` has the opposite tilt and runs back, so the
    solenoidal components cancel and the multipole fields add.
    """

    type: ClassVar[str] = "cct"
    bundle_turns_field: ClassVar[str | None] = None  # each filament is one conductor
    radius_m: float = Field(gt=0)
    tilt_deg: float = Field(gt=0, lt=90)
    pitch_m: float = Field(gt=0)
    turns: float = Field(gt=0)
    order: int = Field(1, ge=1, le=MAX_ORDER)
    second_layer_radius_m: float | None = Field(None, gt=0)
    segments_per_turn: int = Field(72, ge=8, le=MAX_SEGMENTS_PER_ARC)

    def model_post_init(self, context) -> None:
        layers = 2 if self.second_layer_radius_m is not None else 1
        n = layers * self.turns * self.segments_per_turn
        if n > MAX_FILAMENT_SEGMENTS:
            raise DesignError(
                f"coil {self.id!r}: turns × segments_per_turn gives {n:.3g} straight segments, "
                f"more than the {MAX_FILAMENT_SEGMENTS:,} this solver discretises; model a "
                "shorter section of the winding or use fewer segments_per_turn"
            )
        super().model_post_init(context)

    def _layer(self, radius: float, tilt_sign: float) -> np.ndarray:
        n_pts = int(np.ceil(self.turns * self.segments_per_turn)) + 1
        theta = np.linspace(-np.pi * self.turns, np.pi * self.turns, n_pts)
        cant = (
            radius * np.sin(self.order * theta) / (self.order * np.tan(np.deg2rad(self.tilt_deg)))
        )
        z = tilt_sign * cant + self.pitch_m * theta / (2 * np.pi)
        return np.stack([radius * np.cos(theta), radius * np.sin(theta), z], axis=1)

    def local_polylines(self):
        polys = [(self._layer(self.radius_m, 1.0), self.current_A, False)]
        if self.second_layer_radius_m is not None:
            polys.append(
                (self._layer(self.second_layer_radius_m, -1.0)[::-1], self.current_A, False)
            )
        return polys


COIL_TYPES: dict[str, type[Coil]] = {
    cls.type: cls for cls in (Loop, Solenoid, Helmholtz, Racetrack, Saddle, CCT, Path)
}
"""Coil classes by their ``type`` in a ``cryogen/coil@1`` file."""

CoilType = Literal["loop", "solenoid", "helmholtz", "racetrack", "saddle", "cct", "path"]


# --------------------------------------------------------------------------- helpers


def _circle(radius: float, z: float, n: int) -> np.ndarray:
    t = np.arange(n) * 2 * np.pi / n
    return np.stack([radius * np.cos(t), radius * np.sin(t), np.full(n, z)], axis=1)


def _ring_bounds(placement: Placement, radius: float, half_length: float):
    """Box of a cylinder of ``radius`` and ``half_length`` about the placement's axis.

    A circle of radius R about unit axis a reaches R·√(1 − a_i²) along global axis i
    (the length of e_i's projection onto the circle's plane, times R); the two end
    circles sit ±half_length·a from the centre.
    """
    a = np.asarray(placement.axis)
    half = radius * np.sqrt(np.clip(1.0 - a**2, 0.0, 1.0)) + half_length * np.abs(a)
    return placement.center - half, placement.center + half


def _torus_points(
    placement: Placement, radius: float, z: float, minor: float, n_around: int, n_along: int
):
    if not minor > 0:
        raise DesignError("the peak field on a loop needs conductor.wire_radius_m > 0")
    t = np.arange(n_along) * 2 * np.pi / n_along
    a = np.arange(n_around) * 2 * np.pi / n_around
    tt, aa = np.meshgrid(t, a, indexing="ij")
    rr = radius + minor * np.cos(aa)
    local = np.stack([rr * np.cos(tt), rr * np.sin(tt), z + minor * np.sin(aa)], axis=-1).reshape(
        -1, 3
    )
    return placement.to_global(local)


def _polyline_segments(points: np.ndarray, ampere_turns: float, closed: bool):
    p = np.asarray(points, dtype=float)
    if closed:
        p = np.vstack([p, p[:1]])
    starts = np.ascontiguousarray(p[:-1])
    ends = np.ascontiguousarray(p[1:])
    return starts, ends, np.full(starts.shape[0], float(ampere_turns))


def _concat_segments(parts):
    starts = np.ascontiguousarray(np.concatenate([p[0] for p in parts]))
    ends = np.ascontiguousarray(np.concatenate([p[1] for p in parts]))
    amps = np.concatenate([p[2] for p in parts])
    return starts, ends, amps
