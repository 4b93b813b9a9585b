"""Account administration for the hub and the billing service (not for kernels).

These functions act on any user: they are what JupyterHub (sizing a kernel
from the user's plan) and the billing service (applying Stripe events) use.
Kernel code uses ``cryogen_widgets.store.open()``, whose every query is scoped
to the signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cryogen_widgets.store._engine import engine_for
from cryogen_widgets.store._errors import NotFoundError
from cryogen_widgets.store._input import checked
from cryogen_widgets.store._models import BillingEvent, User, utcnow
from cryogen_widgets.store.plans import load_plans


@dataclass(frozen=True)
class Account:
    name: str
    email: str | None
    plan: str
    dashboard: bool
    stripe_customer_id: str | None
    stripe_subscription_id: str | None
    subscription_status: str


def _account(user: User) -> Account:
    return Account(
        name=user.name,
        email=user.email,
        plan=user.plan,
        dashboard=user.dashboard,
        stripe_customer_id=user.stripe_customer_id,
        stripe_subscription_id=user.stripe_subscription_id,
        subscription_status=user.subscription_status,
    )


def ensure_user_id(session: Session, name: str) -> int:
    """The id of user ``name``, created on the default plan when new (race-safe)."""
    checked(name, "the user name", User.name)
    user_id = session.scalar(select(User.id).where(User.name == name))
    if user_id is not None:
        return user_id
    try:
        with session.begin_nested():
            # Only these columns: the store service's role may insert nothing else into users.
            return session.scalar(
                insert(User)
                .values(
                    name=name,
                    plan=load_plans().default,
                    dashboard=False,
                    subscription_status="none",
                    created_at=utcnow(),
                )
                .returning(User.id)
            )
    except IntegrityError:
        return session.scalar(select(User.id).where(User.name == name))


class Accounts:
    """Users' plans, dashboard flags, Stripe links and the processed billing events."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None):
        self.engine = engine or engine_for(url)

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def ensure(self, name: str) -> Account:
        """The account of ``name``, created on the default plan when it does not exist yet."""
        with self._session() as session, session.begin():
            return _account(session.get(User, ensure_user_id(session, name)))

    def get(self, name: str) -> Account:
        checked(name, "the user name", User.name)
        with self._session() as session:
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                raise NotFoundError(f"no user named {name!r}")
            return _account(user)

    def set_plan(self, name: str, plan: str) -> Account:
        """Put ``name`` on ``plan`` (checked against the plans file), e.g. an enterprise contract."""
        load_plans().get(plan)
        with self._session() as session, session.begin():
            user = session.get(User, ensure_user_id(session, name))
            user.plan = plan
            return _account(user)

    def set_dashboard(self, name: str, dashboard: bool) -> Account:
        """Flag ``name`` as a dashboard user: their server opens the Voilà app, not JupyterLab."""
        with self._session() as session, session.begin():
            user = session.get(User, ensure_user_id(session, name))
            user.dashboard = dashboard
            return _account(user)

    def link_customer(self, name: str, customer_id: str) -> Account:
        """Remember the Stripe customer of ``name`` (created at their first checkout)."""
        with self._session() as session, session.begin():
            user = session.get(User, ensure_user_id(session, name))
            user.stripe_customer_id = customer_id
            return _account(user)

    def apply_billing_event(
        self,
        event_id: str,
        event_type: str,
        *,
        user: str | None = None,
        customer_id: str | None = None,
        created: int | None = None,
        subscription_id: str | None = None,
        **changes: Any,
    ) -> tuple[str, Account | None]:
        """Apply one Stripe event's changes to a user, once and in order.

        The user is found by name, else by Stripe customer id. ``changes`` are
        account fields (``plan``, ``stripe_customer_id``, ``stripe_subscription_id``,
        ``subscription_status``). The event id, its Stripe ``created`` time (Unix s)
        and the subscription it is about are recorded in the same transaction.

        Returns
        -------
        (outcome, account)
            ``("applied", account)``; ``("replayed", None)`` for an event id already
            recorded; ``("conflict", account)`` when the event would link a Stripe
            customer that belongs to another user (nothing changes); ``("stale", account)`` when nothing changed because the event is
            older than the last one applied to this user, is about a subscription
            already deleted (a canceled Stripe subscription never comes back), or
            deletes a subscription that is no longer the user's current one (the
            event is recorded, the account left as it is).

        Raises
        ------
        NotFoundError
            Neither the user nor the customer is known (nothing is recorded, so a
            retry by Stripe after the user exists still applies).
        """
        if "plan" in changes:
            load_plans().get(changes["plan"])
        unknown = set(changes) - {
            "plan",
            "stripe_customer_id",
            "stripe_subscription_id",
            "subscription_status",
        }
        if unknown:
            raise TypeError(f"apply_billing_event: unknown account fields {sorted(unknown)}")
        with self._session() as session, session.begin():
            if session.get(BillingEvent, event_id) is not None:
                return "replayed", None
            if user is not None:
                row = session.get(User, ensure_user_id(session, user))
            else:
                row = session.scalar(select(User).where(User.stripe_customer_id == customer_id))
                if row is None:
                    raise NotFoundError(
                        f"Stripe event {event_id} ({event_type}): no user has customer {customer_id!r}"
                    )
            if _is_stale(session, row, event_type, created, subscription_id):
                return "stale", _account(row)
            customer = changes.get("stripe_customer_id")
            if customer is not None and session.scalar(
                select(User.id).where(User.stripe_customer_id == customer, User.id != row.id)
            ):
                return "conflict", _account(row)
            try:
                with session.begin_nested():
                    session.add(
                        BillingEvent(
                            id=event_id,
                            type=event_type,
                            user_id=row.id,
                            created=created,
                            subscription_id=subscription_id,
                        )
                    )
            except IntegrityError:
                return "replayed", None  # the same event is being applied concurrently
            if event_type == SUBSCRIPTION_DELETED and row.stripe_subscription_id not in (
                None,
                subscription_id,
            ):
                return "stale", _account(row)
            for field, value in changes.items():
                setattr(row, field, value)
            return "applied", _account(row)


SUBSCRIPTION_DELETED = "customer.subscription.deleted"


def _is_stale(
    session: Session, user: User, event_type: str, created: int | None, subscription_id: str | None
) -> bool:
    """Whether an event must not change ``user``: older than the newest event applied to
    them, or about a subscription whose deletion was already applied."""
    if created is not None:
        newest = session.scalar(
            select(func.max(BillingEvent.created)).where(BillingEvent.user_id == user.id)
        )
        if newest is not None and created < newest:
            return True
    if subscription_id is not None and event_type != SUBSCRIPTION_DELETED:
        deleted = session.scalar(
            select(BillingEvent.id).where(
                BillingEvent.subscription_id == subscription_id,
                BillingEvent.type == SUBSCRIPTION_DELETED,
            )
        )
        return deleted is not None
    return False
