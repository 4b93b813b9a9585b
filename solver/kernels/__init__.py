"""numba kernels on plain arrays. Import them through the numpy-facing modules."""
