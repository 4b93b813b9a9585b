"""Physical constants used by the magnet package (SI)."""

MU0_H_PER_M = 1.25663706212e-6
"""Vacuum permeability μ0 in H/m: CODATA 2018 recommended value (E. Tiesinga et al.,
Rev. Mod. Phys. 93, 025010 (2021)); the value VALIDATION.md uses."""
