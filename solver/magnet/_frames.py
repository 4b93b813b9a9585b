"""Placement of a coil: centre, axis and roll, as a local→global rotation matrix."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from solver.errors import DesignError


def rotation_to_axis(axis: np.ndarray, roll_deg: float = 0.0) -> np.ndarray:
    """Rotation matrix whose third column is ``axis`` (normalised).

    The local z axis is turned onto ``axis`` by the smallest rotation (Rodrigues'
    formula), after a right-handed roll of ``roll_deg`` degrees about local z.

    Parameters
    ----------
    axis : ndarray, shape (3,)
        Direction of the coil axis in global coordinates (any non-zero length).
    roll_deg : float
        Rotation about the coil's own axis in degrees (matters for racetracks,
        saddles, CCTs and paths).

    Returns
    -------
    ndarray, shape (3, 3)
        Columns are the local x, y, z unit vectors in global coordinates.
    """
    z = np.asarray(axis, dtype=float)
    z = z / np.linalg.norm(z)
    ez = np.array([0.0, 0.0, 1.0])
    v = np.cross(ez, z)
    c = float(ez @ z)
    if c < -1.0 + 1e-15:
        turn = np.diag([1.0, -1.0, -1.0])  # half turn about x
    else:
        vx = np.array([[0.0, -v[2], v[1]], [v[2], 0.0, -v[0]], [-v[1], v[0], 0.0]])
        turn = np.eye(3) + vx + vx @ vx / (1.0 + c)
    t = np.deg2rad(roll_deg)
    roll = np.array([[np.cos(t), -np.sin(t), 0.0], [np.sin(t), np.cos(t), 0.0], [0.0, 0.0, 1.0]])
    return turn @ roll


@dataclass(frozen=True)
class Placement:
    """Where a coil sits: ``center_m`` (3,) in metres, ``axis`` (3,), ``roll_deg``."""

    center_m: tuple[float, float, float] = (0.0, 0.0, 0.0)
    axis: tuple[float, float, float] = (0.0, 0.0, 1.0)
    roll_deg: float = 0.0
    rotation: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        c = np.asarray(self.center_m, dtype=float)
        a = np.asarray(self.axis, dtype=float)
        if c.shape != (3,) or not np.all(np.isfinite(c)):
            raise DesignError(
                f"center_m must be three finite numbers in metres, got {self.center_m!r}"
            )
        if a.shape != (3,) or not np.all(np.isfinite(a)) or not np.linalg.norm(a) > 0:
            raise DesignError(f"axis must be three finite numbers, not all zero, got {self.axis!r}")
        object.__setattr__(self, "center_m", tuple(float(x) for x in c))
        object.__setattr__(self, "axis", tuple(float(x) for x in a / np.linalg.norm(a)))
        object.__setattr__(self, "rotation", rotation_to_axis(a, self.roll_deg))

    @property
    def center(self) -> np.ndarray:
        """Centre as an array, shape (3,), metres."""
        return np.asarray(self.center_m)

    def to_global(self, local_points: np.ndarray) -> np.ndarray:
        """Map points (n, 3) from the coil frame to global coordinates (metres)."""
        return np.asarray(local_points, dtype=float) @ self.rotation.T + self.center

    def to_local(self, points: np.ndarray) -> np.ndarray:
        """Map global points (n, 3) in metres into the coil frame."""
        return (np.asarray(points, dtype=float) - self.center) @ self.rotation
