"""``cryogen field COIL.json --points "X,Y,Z;X,Y,Z" | --points-file F.csv | --fringe [--json]``.

Metres in, tesla out; JSON ``{"B_T": [[Bx, By, Bz], ...]}`` in point order. ``--fringe``
prints the distance of the 5-gauss (0.5 mT) line along each axis direction instead. A bad
coil file or a point on a current filament exits 2 with the reason on stderr.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np

from solver.cli.output import print_json
from solver.errors import DesignError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "field",
        help="magnetic flux density of a coil file at points (metres in, tesla out)",
        description="Flux density B (tesla) of the coils in a cryogen/coil@1 file at points in metres.",
    )
    p.add_argument("coil_file", metavar="COIL.json", help="a cryogen/coil@1 file")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--points", help='points in metres: "X,Y,Z;X,Y,Z;..."')
    src.add_argument(
        "--points-file",
        metavar="F.csv",
        help="CSV of points in metres, three columns x,y,z (an optional header row is skipped)",
    )
    src.add_argument(
        "--fringe",
        action="store_true",
        help="distance (m) of the 5-gauss (0.5 mT) line of |B| along each axis direction",
    )
    p.add_argument("--json", action="store_true", help='print {"B_T": [[Bx, By, Bz], ...]}')
    # argparse takes "-0.1,0,0" for an option unless it looks like a negative number;
    # widen its test so a point list that starts with a minus sign is a value
    p._negative_number_matcher = _NEGATIVE_POINTS
    p.set_defaults(run=run)


_NEGATIVE_POINTS = re.compile(r"^-\d*\.?\d*([eE][-+]?\d+)?([,;\s][-+0-9.eE,;\s]*)?$")


def parse_points(text: str) -> np.ndarray:
    """Points from ``"X,Y,Z;X,Y,Z"`` (metres), shape (n, 3)."""
    rows = [r for r in text.replace("\n", ";").split(";") if r.strip()]
    if not rows:
        raise DesignError('--points: no points given; write them as "X,Y,Z;X,Y,Z" in metres')
    return np.array(
        [_row(r.split(","), f"--points item {i + 1} ({r.strip()!r})") for i, r in enumerate(rows)]
    )


def read_points_file(path: str) -> np.ndarray:
    """Points from a CSV file with columns x, y, z in metres (header row optional), shape (n, 3)."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)]
    except OSError as exc:
        raise DesignError(f"--points-file: cannot read {path!r}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DesignError(
            f"--points-file {Path(path).name}: not a UTF-8 CSV file of x,y,z rows ({exc})"
        ) from None
    if rows and not _is_number(rows[0][0]):
        rows = rows[1:]
    if not rows:
        raise DesignError(f"--points-file {path!r}: no points (expected rows x,y,z in metres)")
    return np.array(
        [_row(r, f"--points-file {Path(path).name} row {i + 1}") for i, r in enumerate(rows)]
    )


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _row(cells, where: str) -> list[float]:
    cells = [c.strip() for c in cells]
    if len(cells) != 3:
        raise DesignError(f"{where}: expected three coordinates X,Y,Z in metres, got {len(cells)}")
    try:
        values = [float(c) for c in cells]
    except ValueError:
        raise DesignError(
            f"{where}: coordinates must be numbers in metres, got {','.join(cells)!r}"
        ) from None
    if not all(math.isfinite(v) for v in values):
        raise DesignError(f"{where}: coordinates must be finite numbers")
    return values


def run(args) -> int:
    from solver.magnet import load_coil_file

    magnet = load_coil_file(args.coil_file)
    if args.fringe:
        return _print_fringe(magnet, args.json)
    points = (
        parse_points(args.points) if args.points is not None else read_points_file(args.points_file)
    )
    b = magnet.field(points)
    if args.json:
        print_json({"B_T": b.tolist()})
    else:
        print(
            f"{'x_m':>12} {'y_m':>12} {'z_m':>12} {'Bx_T':>14} {'By_T':>14} {'Bz_T':>14} {'|B|_T':>14}"
        )
        for p, v in zip(points, b, strict=True):
            print(
                f"{p[0]:12.6g} {p[1]:12.6g} {p[2]:12.6g} "
                f"{v[0]:14.8g} {v[1]:14.8g} {v[2]:14.8g} {np.linalg.norm(v):14.8g}"
            )
    return 0


def _print_fringe(magnet, as_json: bool) -> int:
    from solver.magnet import Magnet, fringe_extent_m
    from solver.magnet.fem import FemMagnet
    from solver.magnet.fem import fringe_extent_m as fem_fringe_extent_m

    if isinstance(magnet, Magnet):
        ds = fringe_extent_m(magnet)
    elif isinstance(magnet, FemMagnet):
        ds = fem_fringe_extent_m(magnet.solution)
    else:
        raise DesignError(
            "--fringe: a 3-D coil file (symmetry 'none') has no 5-gauss search; "
            "sample |B| with --points instead"
        )
    extent = {
        str(d): float(e) for d, e in zip(ds.direction.values, ds.extent_m.values, strict=True)
    }
    if as_json:
        print_json(
            {
                "level_T": float(ds.attrs["level_T"]),
                "origin_m": [float(x) for x in ds.attrs["origin_m"]],
                "extent_m": {d: (e if math.isfinite(e) else None) for d, e in extent.items()},
            }
        )
        return 0
    origin = ", ".join(f"{x:g}" for x in ds.attrs["origin_m"])
    print(
        f"{float(ds.attrs['level_T']) * 1e4:g}-gauss line of |B| from ({origin}) m"
    )  # 1 T = 1e4 G
    for d, e in extent.items():
        print(
            f"{d:>6} {e:12.6g} m"
            if math.isfinite(e)
            else f"{d:>6}  beyond the rays (above the level)"
        )
    return 0
