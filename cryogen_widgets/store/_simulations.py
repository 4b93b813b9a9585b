"""Simulation records: which analysis ran on which project version, where, and what came out.

``start`` is the plan check before every run (DESIGN.md, Plans): the analysis's
feature gate, the kernel component limit (above it the run goes to Dask) and the
monthly server-simulation quota, all against the plan stored for the user. Behind
the store service it runs on the server, so a kernel cannot skip it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from cryogen_widgets.store._context import UserContext, plain_design
from cryogen_widgets.store._errors import NotFoundError
from cryogen_widgets.store._models import (
    ANALYSIS_TYPES,
    SIMULATION_STATUSES,
    Simulation,
    utcnow,
)
from cryogen_widgets.store._projects import Projects
from cryogen_widgets.store._usage import Usage
from cryogen_widgets.store.plans import (
    ANALYSIS_FEATURES,
    check_design_allowed,
    load_plans,
    require_feature,
)
from solver.errors import DesignError, UnknownNameError


@dataclass(frozen=True)
class SimulationInfo:
    id: int
    project_id: str | None
    project_version: int | None
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
        project_id: str | None,
        analysis: str,
        *,
        design: dict[str, Any] | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> SimulationInfo:
        """Check your plan for this run and record it as running.

        Parameters
        ----------
        project_id : str or None
            The project the run belongs to (readable by you), or None for a design
            that is not saved yet.
        analysis : {"steady", "cooldown", "field", "quench"}
        design : dict, optional
            The ``cryogen/design@1`` design to run; default the project's current version.
        parameters : dict, optional
            Solver parameters, recorded with the run.

        Returns
        -------
        SimulationInfo
            ``execution_mode`` says where the run goes: ``"kernel"``, or ``"dask"`` (a
            server simulation, booked against the monthly quota in the same transaction)
            when the design is above the plan's kernel component limit.

        Raises
        ------
        PlanLimitError
            The plan does not include the analysis (e.g. quench on Academic), or the
            design is too big for its kernel and it has no server simulations.
        QuotaExceededError
            A server simulation over this month's quota (the message gives the reset
            date); nothing is recorded.
        """
        if analysis not in ANALYSIS_TYPES:
            raise UnknownNameError("analysis type", analysis, ANALYSIS_TYPES, where="simulation")
        if design is None and project_id is None:
            raise DesignError("start() needs a project_id or a design to run")
        if design is not None:
            design = plain_design(design)
        with self._ctx.transaction() as session:
            version = None
            if project_id is not None:
                project = self._projects._get(session, project_id)
                version = project.version
                design = project.design if design is None else design
            table = load_plans()
            plan = table.get(self._ctx.plan_name(session))
            if analysis in ANALYSIS_FEATURES:
                require_feature(ANALYSIS_FEATURES[analysis], plan, table)
            placement = check_design_allowed(design, plan, table)
            sim = Simulation(
                project_id=project_id,
                project_version=version,
                user_id=self._ctx.user_id,
                analysis=analysis,
                status="running",
                execution_mode=placement.where,
                parameters=dict(parameters or {}),
            )
            session.add(sim)
            session.flush()
            if placement.where == "dask":
                self._usage.book_in(session, sim.id)
            return _info(sim)

    def finish(
        self,
        simulation_id: int,
        status: str,
        *,
        result_summary: dict[str, Any] | None = None,
        wall_time_s: float | None = None,
        error: str | None = None,
    ) -> SimulationInfo:
        """Close a running simulation as done, failed or cancelled, with its outcome.

        The result itself goes to the results storage with ``store.results.put``.
        """
        if status not in SIMULATION_STATUSES[2:]:
            raise UnknownNameError(
                "final status", status, SIMULATION_STATUSES[2:], where="simulation"
            )
        with self._ctx.transaction() as session:
            sim = self._get(session, simulation_id)
            sim.status = status
            sim.result_summary = result_summary
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

    def get(self, simulation_id: int) -> SimulationInfo:
        """One of your simulations."""
        with self._ctx.transaction() as session:
            return _info(self._get(session, simulation_id))

    def list(self, project_id: str | None = None) -> list[SimulationInfo]:
        """Your simulations of a project (None: of unsaved designs), newest first."""
        with self._ctx.transaction() as session:
            if project_id is not None:
                self._projects._get(session, project_id)
            sims = session.scalars(
                select(Simulation)
                .where(
                    Simulation.project_id.is_(None)
                    if project_id is None
                    else Simulation.project_id == project_id,
                    Simulation.user_id == self._ctx.user_id,
                )
                .order_by(Simulation.id.desc())
            ).all()
            return [_info(s) for s in sims]
