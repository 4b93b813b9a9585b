"""Cryogenic fluid circuits (a design's ``flow`` section) coupled to the thermal network.

``solver.flow.model`` holds the section's pydantic models, ``solver.flow.validate``
its problems, ``solver.flow.steady`` the coupled steady state (also reached through
``solver.steady_state`` for a design with ``flow``) and ``solver.flow.cooldown``
the lumped forced-flow cooldown.
"""

from solver.flow.model import Flow

__all__ = ["Flow"]
