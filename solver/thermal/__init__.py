"""Thermal solvers: the lumped network and the 3-D conduction grid (``solver.thermal.grid``)."""
