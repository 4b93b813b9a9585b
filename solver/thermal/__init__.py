"""Thermal solvers: the lumped network (steady state, cooldown) and the 3-D conduction grid (``solver.thermal.grid``)."""

from solver.thermal.cooldown import cooldown
from solver.thermal.network import Network, build_network
from solver.thermal.steady import steady_state

__all__ = ["Network", "build_network", "cooldown", "steady_state"]
