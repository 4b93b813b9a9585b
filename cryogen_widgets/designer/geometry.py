"""Canvas geometry of a design: item rectangles, ports, hit tests and a spatial index.

World coordinates are canvas pixels at zoom 1 (the ``layout`` section of the
design file stores them). Nothing here draws or imports ipywidgets.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

BOX_W = 110.0
BOX_H = 46.0
GRID = 20.0
BUCKET = 160.0


@dataclass(frozen=True)
class Rect:
    """Axis-aligned rectangle, ``x, y`` the top-left corner (world units)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x2(self) -> float:
        return self.x + self.w

    @property
    def y2(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x2 and self.y <= py <= self.y2

    def intersects(self, other: Rect) -> bool:
        return not (
            other.x > self.x2 or other.x2 < self.x or other.y > self.y2 or other.y2 < self.y
        )

    def inflate(self, d: float) -> Rect:
        return Rect(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)

    def union(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.x2, other.x2) - x, max(self.y2, other.y2) - y)


def box_rect(position: dict) -> Rect:
    """Rectangle of a component from its layout entry ``{"x", "y", "rotation"}``.

    ``x, y`` is the box centre; a rotation of 90 or 270 degrees stands the box upright.
    """
    upright = int(position.get("rotation", 0)) % 180 == 90
    w, h = (BOX_H, BOX_W) if upright else (BOX_W, BOX_H)
    return Rect(float(position["x"]) - w / 2, float(position["y"]) - h / 2, w, h)


def points_rect(points: Iterable[tuple[float, float]], pad: float = 0.0) -> Rect:
    xs, ys = zip(*points, strict=True)
    return Rect(
        min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    )


def snap(value: float, step: float = GRID) -> float:
    return round(value / step) * step


def segment_hits_rect(a: tuple[float, float], b: tuple[float, float], r: Rect) -> bool:
    """Whether the axis-aligned segment ``a``-``b`` crosses the inside of ``r``."""
    x1, x2 = sorted((a[0], b[0]))
    y1, y2 = sorted((a[1], b[1]))
    return x1 < r.x2 and x2 > r.x and y1 < r.y2 and y2 > r.y


def distance_to_polyline(px: float, py: float, points: list[tuple[float, float]]) -> float:
    best = float("inf")
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length2))
        cx, cy = x1 + t * dx, y1 + t * dy
        best = min(best, ((px - cx) ** 2 + (py - cy) ** 2) ** 0.5)
    return best


def point_along(points, fraction: float) -> tuple[float, float]:
    """The point ``fraction`` of the way along a polyline (by length)."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    half, run = sum(lengths) * fraction, 0.0
    for (a, b), seg in zip(itertools.pairwise(points), lengths, strict=True):
        if run + seg >= half and seg > 0:
            t = (half - run) / seg
            return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        run += seg
    return points[0]


class SpatialIndex:
    """Buckets of rectangles keyed by id, for hit tests and region queries on large designs."""

    def __init__(self) -> None:
        self._rects: dict[str, Rect] = {}
        self._buckets: dict[tuple[int, int], set[str]] = defaultdict(set)

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._rects

    def rect(self, item_id: str) -> Rect:
        return self._rects[item_id]

    def _cells(self, r: Rect):
        for i in range(int(r.x // BUCKET), int(r.x2 // BUCKET) + 1):
            for j in range(int(r.y // BUCKET), int(r.y2 // BUCKET) + 1):
                yield i, j

    def set(self, item_id: str, r: Rect) -> None:
        self.remove(item_id)
        self._rects[item_id] = r
        for cell in self._cells(r):
            self._buckets[cell].add(item_id)

    def remove(self, item_id: str) -> None:
        old = self._rects.pop(item_id, None)
        if old is not None:
            for cell in self._cells(old):
                self._buckets[cell].discard(item_id)

    def query(self, r: Rect) -> set[str]:
        """Ids whose rectangle intersects ``r``."""
        found: set[str] = set()
        for cell in self._cells(r):
            found |= self._buckets.get(cell, set())
        return {i for i in found if self._rects[i].intersects(r)}

    def at(self, px: float, py: float) -> list[str]:
        return [i for i in self.query(Rect(px, py, 0, 0)) if self._rects[i].contains(px, py)]

    def ids(self) -> list[str]:
        return list(self._rects)
