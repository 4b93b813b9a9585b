"""Orthogonal auto-routing of links between two component boxes, around the other boxes.

Cheap candidate paths (Z and L shapes with a few offsets) are tried first against
the spatial index; only when all of them cross a box does a coarse-grid A* search
with a turn penalty run. Routes are lists of corner points in world units.
"""

from __future__ import annotations

import heapq
import itertools

from cryogen_widgets.designer.geometry import Rect, SpatialIndex, segment_hits_rect

CLEARANCE = 6.0
STEP = 10.0
TURN_COST = 25.0
MAX_EXPANSIONS = 6000

Point = tuple[float, float]


def route(a: Rect, b: Rect, index: SpatialIndex, ends: tuple[str, str]) -> list[Point]:
    """Corner points of an orthogonal path from box ``a`` to box ``b``.

    Parameters
    ----------
    a, b : Rect
        The boxes of the link's two ends (world units).
    index : SpatialIndex
        Every component box; the boxes of ``ends`` are not obstacles.
    ends : tuple of str
        Ids of the two end components.
    """
    candidates = _candidates(a, b)
    for path in candidates:
        if _clear(path, index, ends):
            return path
    found = _astar(a, b, index, ends)
    return found if found is not None else candidates[0]


def quick_route(a: Rect, b: Rect) -> list[Point]:
    """The first candidate path, without obstacle checks (drawn while a box is being dragged)."""
    return _candidates(a, b)[0]


def _clear(path: list[Point], index: SpatialIndex, ends: tuple[str, str]) -> bool:
    for p, q in itertools.pairwise(path):
        seg = Rect(min(p[0], q[0]), min(p[1], q[1]), abs(p[0] - q[0]), abs(p[1] - q[1]))
        for other in index.query(seg.inflate(CLEARANCE)):
            if other in ends:
                continue
            if segment_hits_rect(p, q, index.rect(other).inflate(CLEARANCE)):
                return False
    return True


def _candidates(a: Rect, b: Rect) -> list[list[Point]]:
    (ax, ay), (bx, by) = a.center, b.center
    paths: list[list[Point]] = []
    horizontal = abs(bx - ax) >= abs(by - ay)
    if horizontal:
        sx, ex = (a.x2, b.x) if bx >= ax else (a.x, b.x2)
        gap = ex - sx
        for frac in (0.5, 0.25, 0.75, 0.1, 0.9):
            mx = sx + frac * gap
            paths.append([(sx, ay), (mx, ay), (mx, by), (ex, by)])
        # L shapes: leave sideways, enter from the top or bottom
        ey = b.y if by > ay else b.y2
        paths.append([(sx, ay), (bx, ay), (bx, ey)])
        sy = a.y2 if by > ay else a.y
        paths.append([(ax, sy), (ax, by), (ex, by)])
    else:
        sy, ey = (a.y2, b.y) if by >= ay else (a.y, b.y2)
        gap = ey - sy
        for frac in (0.5, 0.25, 0.75, 0.1, 0.9):
            my = sy + frac * gap
            paths.append([(ax, sy), (ax, my), (bx, my), (bx, ey)])
        ex = b.x if bx > ax else b.x2
        paths.append([(ax, sy), (ax, by), (ex, by)])
        sx = a.x2 if bx > ax else a.x
        paths.append([(sx, ay), (bx, ay), (bx, ey)])
    return [_simplify(p) for p in paths]


def _simplify(path: list[Point]) -> list[Point]:
    out: list[Point] = [path[0]]
    for i in range(1, len(path) - 1):
        p, q, r = out[-1], path[i], path[i + 1]
        collinear = (p[0] == q[0] == r[0]) or (p[1] == q[1] == r[1])
        if not collinear and q != p:
            out.append(q)
    if path[-1] != out[-1]:
        out.append(path[-1])
    return out


def _astar(a: Rect, b: Rect, index: SpatialIndex, ends: tuple[str, str]) -> list[Point] | None:
    region = a.union(b).inflate(240)
    blocked = [index.rect(i).inflate(CLEARANCE) for i in index.query(region) if i not in ends]

    def cell(p: Point) -> tuple[int, int]:
        return round((p[0] - region.x) / STEP), round((p[1] - region.y) / STEP)

    def point(c: tuple[int, int]) -> Point:
        return region.x + c[0] * STEP, region.y + c[1] * STEP

    nx, ny = int(region.w // STEP) + 1, int(region.h // STEP) + 1
    start, goal = cell(a.center), cell(b.center)
    inside_a, inside_b = a.inflate(CLEARANCE), b.inflate(CLEARANCE)

    def free(c: tuple[int, int]) -> bool:
        if not (0 <= c[0] < nx and 0 <= c[1] < ny):
            return False
        px, py = point(c)
        if inside_a.contains(px, py) or inside_b.contains(px, py):
            return True
        return not any(r.contains(px, py) for r in blocked)

    frontier: list[tuple[float, int, tuple[int, int], int]] = [(0.0, 0, start, -1)]
    came: dict[tuple[tuple[int, int], int], tuple[tuple[int, int], int] | None] = {
        (start, -1): None
    }
    cost = {(start, -1): 0.0}
    moves = ((1, 0), (-1, 0), (0, 1), (0, -1))
    counter = 0
    while frontier and counter < MAX_EXPANSIONS:
        _, _, current, heading = heapq.heappop(frontier)
        if current == goal:
            return _clip_to_boxes(_walk_back(came, (current, heading), point), a, b)
        counter += 1
        for d, (dx, dy) in enumerate(moves):
            nxt = (current[0] + dx, current[1] + dy)
            if not free(nxt):
                continue
            new_cost = (
                cost[(current, heading)] + STEP + (TURN_COST if heading not in (-1, d) else 0.0)
            )
            key = (nxt, d)
            if new_cost < cost.get(key, float("inf")):
                cost[key] = new_cost
                came[key] = (current, heading)
                h = (abs(goal[0] - nxt[0]) + abs(goal[1] - nxt[1])) * STEP
                heapq.heappush(frontier, (new_cost + h, counter, nxt, d))
    return None


def _walk_back(came, key, point) -> list[Point]:
    cells = []
    while key is not None:
        cells.append(key[0])
        key = came[key]
    return _simplify([point(c) for c in reversed(cells)])


def _clip_to_boxes(path: list[Point], a: Rect, b: Rect) -> list[Point]:
    """Trim the parts of the path inside the end boxes so it starts and ends on their edges."""
    while len(path) > 2 and a.contains(*path[1]):
        path = path[1:]
    while len(path) > 2 and b.contains(*path[-2]):
        path = path[:-1]
    path = [_edge_point(a, path[0], path[1]), *path[1:-1], _edge_point(b, path[-1], path[-2])]
    return _simplify(path)


def _edge_point(box: Rect, inside: Point, toward: Point) -> Point:
    """Where the axis-aligned segment from ``inside`` toward ``toward`` leaves ``box``."""
    x, y = inside
    if toward[0] > x:
        return (min(box.x2, toward[0]), y)
    if toward[0] < x:
        return (max(box.x, toward[0]), y)
    if toward[1] > y:
        return (x, min(box.y2, toward[1]))
    return (x, max(box.y, toward[1]))
