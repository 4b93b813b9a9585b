"""numba kernels of the 3-D finite-volume conduction solver (``solver.thermal.grid``)."""
