"""Usage records: server (Dask) simulations booked against the plan's monthly quota."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._models import UsageRecord, utcnow
from cryogen_widgets.store.plans import check_server_quota, load_plans, quota_reset_date

SERVER_SIMULATION = "server_simulation"
_BOOKING_LOCK_KEY = 0x51_55_4F_54  # "QUOT": PostgreSQL advisory lock class of quota bookings


@dataclass(frozen=True)
class Quota:
    """Server simulations used this month and the plan's limit (None = unlimited)."""

    plan: str
    month: str
    used: int
    limit: int | None

    @property
    def resets_on(self) -> str:
        """The day (UTC, ``YYYY-MM-DD``) the count starts again from zero."""
        return quota_reset_date(self.month)


def current_month() -> str:
    return utcnow().strftime("%Y-%m")


class Usage:
    """Your usage (``store.usage``); the plan is the one stored for you (set by billing)."""

    def __init__(self, ctx: UserContext):
        self._ctx = ctx

    def _count(self, session, month: str) -> int:
        return session.scalar(
            select(func.coalesce(func.sum(UsageRecord.quantity), 0)).where(
                UsageRecord.user_id == self._ctx.user_id,
                UsageRecord.kind == SERVER_SIMULATION,
                UsageRecord.month == month,
            )
        )

    def server_simulations(self) -> Quota:
        """This month's count and limit."""
        month = current_month()
        with self._ctx.transaction() as session:
            plan = load_plans().get(self._ctx.plan_name(session))
            return Quota(
                plan.name, month, self._count(session, month), plan.server_simulations_per_month
            )

    def book_server_simulation(self, simulation_id: int | None = None) -> Quota:
        """Record one server simulation, or refuse it when the month's quota is used.

        ``simulations.start(..., execution_mode="dask")`` books through this itself.

        Raises
        ------
        QuotaExceededError
            The quota is used; names the plan that lifts it.
        """
        with self._ctx.transaction() as session:
            return self.book_in(session, simulation_id)

    def book_in(self, session, simulation_id: int | None = None) -> Quota:
        """Book inside the caller's transaction: the count and the insert run under a lock held
        per user until the transaction ends (SQLite: the write lock of ``BEGIN IMMEDIATE``;
        PostgreSQL: an advisory lock on the user's id), so two kernels booking at once cannot
        both take the last slot."""
        if session.bind.dialect.name == "postgresql":
            session.execute(
                text("SELECT pg_advisory_xact_lock(:k, :uid)"),
                {"k": _BOOKING_LOCK_KEY, "uid": self._ctx.user_id},
            )
        month = current_month()
        table = load_plans()
        plan = table.get(self._ctx.plan_name(session))
        used = self._count(session, month)
        check_server_quota(used, plan, table, month)
        session.add(
            UsageRecord(
                user_id=self._ctx.user_id,
                kind=SERVER_SIMULATION,
                month=month,
                quantity=1,
                simulation_id=simulation_id,
            )
        )
        return Quota(plan.name, month, used + 1, plan.server_simulations_per_month)
