"""Cryogenic fluid circuits (a design's ``flow`` section) coupled to the thermal network."""

from solver.flow.model import Flow
from solver.flow.results import flow_summary
from solver.flow.steady import load, split, steady_state

__all__ = ["Flow", "flow_summary", "load", "split", "steady_state"]
