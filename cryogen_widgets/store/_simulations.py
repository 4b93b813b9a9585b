"""Simulation records: which analysis ran on which project version, how, and what came out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._errors import NotFoundError
from cryogen_widgets.store._models import (
    ANALYSIS_TYPES,
    EXECUTION_MODES,
    SIMULATION_STATUSES,
    Simulation,
    utcnow,
)
from cryogen_widgets.store._projects import Projects
from cryogen_widgets.store._usage import Usage
from solver.errors import UnknownNameError


@dataclass(frozen=True)
class SimulationInfo:
    id: int
    project_id: str
    project_version: int
    analysis: str
    status: str
    execution_mode: str
    parameters: dict[str, Any]
    result_summary: dict[str, Any] | None
    result_path: str | None
    wall_time_s: float | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None


def _info(sim: Simulation) -> SimulationInfo:
    return SimulationInfo(
        id=sim.id,
        project_id=sim.project_id,
        project_version=sim.project_version,
        analysis=sim.analysis,
        status=sim.status,
        execution_mode=sim.execution_mode,
        parameters=sim.parameters,
        result_summary=sim.result_summary,
        result_path=sim.result_path,
        wall_time_s=sim.wall_time_s,
        error=sim.error,
        created_at=sim.created_at,
        finished_at=sim.finished_at,
    )


class Simulations:
    """Your simulation records (``store.simulations``); a project must be readable to run on it."""

    def __init__(self, ctx: UserContext, projects: Projects, usage: Usage):
        self._ctx = ctx
        self._projects = projects
        self._usage = usage

    def start(
        self,
        project_id: str,
        analysis: str,
        *,
        execution_mode: str = "kernel",
        parameters: dict[str, Any] | None = None,
    ) -> SimulationInfo:
        """Record a simulation of the project's current version as running.

        A ``"dask"`` (server) simulation is booked against the plan's monthly quota in
        the same transaction.

        Raises
        ------
        QuotaExceededError
            A server simulation over this month's quota; nothing is recorded.
        """
        if analysis not in ANALYSIS_TYPES:
            raise UnknownNameError("analysis type", analysis, ANALYSIS_TYPES, where="simulation")
        if execution_mode not in EXECUTION_MODES:
            raise UnknownNameError(
                "execution mode", execution_mode, EXECUTION_MODES, where="simulation"
            )
        with self._ctx.transaction() as session:
            project = self._projects._get(session, project_id)
            sim = Simulation(
                project_id=project_id,
                project_version=project.version,
                user_id=self._ctx.user_id,
                analysis=analysis,
                status="running",
                execution_mode=execution_mode,
                parameters=dict(parameters or {}),
            )
            session.add(sim)
            session.flush()
            if execution_mode == "dask":
                self._usage.book_in(session, sim.id)
            return _info(sim)

    def finish(
        self,
        simulation_id: int,
        status: str,
        *,
        result_summary: dict[str, Any] | None = None,
        result_path: str | None = None,
        wall_time_s: float | None = None,
        error: str | None = None,
    ) -> SimulationInfo:
        """Close a running simulation as done, failed or cancelled, with its outcome."""
        if status not in SIMULATION_STATUSES[2:]:
            raise UnknownNameError(
                "final status", status, SIMULATION_STATUSES[2:], where="simulation"
            )
        with self._ctx.transaction() as session:
            sim = self._get(session, simulation_id)
            sim.status = status
            sim.result_summary = result_summary
            sim.result_path = result_path
            sim.wall_time_s = wall_time_s
            sim.error = error
            sim.finished_at = utcnow()
            session.flush()
            return _info(sim)

    def _get(self, session, simulation_id: int) -> Simulation:
        sim = session.scalar(
            select(Simulation).where(
                Simulation.id == simulation_id, Simulation.user_id == self._ctx.user_id
            )
        )
        if sim is None:
            raise NotFoundError(
                f"user {self._ctx.user_name!r} has no simulation {simulation_id}; "
                f"simulations.list(project_id) shows yours."
            )
        return sim

    def list(self, project_id: str) -> list[SimulationInfo]:
        """Your simulations of a project, newest first."""
        with self._ctx.transaction() as session:
            self._projects._get(session, project_id)
            sims = session.scalars(
                select(Simulation)
                .where(Simulation.project_id == project_id, Simulation.user_id == self._ctx.user_id)
                .order_by(Simulation.id.desc())
            ).all()
            return [_info(s) for s in sims]
