"""Stripe webhook events -> the user's plan in the store (each event applied once)."""

from __future__ import annotations

import logging
from typing import Any

from cryogen_widgets.store.accounts import Accounts
from hub_config.billing.settings import BillingSettings

log = logging.getLogger("cryogen.billing")

# Stripe subscription statuses under which the paid plan stays on; past_due keeps it while
# Stripe retries the payment (invoice.payment_failed only marks the account).
PLAN_KEEPING_STATUSES = ("active", "trialing", "past_due")
HANDLED = (
    "checkout.session.completed",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.payment_failed",
)


class UnusableEvent(ValueError):
    """A correctly signed event that lacks what CryoGen needs (says what)."""


def _price_of(subscription: dict[str, Any]) -> str:
    try:
        return subscription["items"]["data"][0]["price"]["id"]
    except (KeyError, IndexError, TypeError):
        raise UnusableEvent(f"subscription {subscription.get('id')!r} has no price item") from None


def apply_event(event: dict[str, Any], accounts: Accounts, settings: BillingSettings) -> str:
    """Apply a verified event; returns "applied", "replayed" or "ignored".

    Raises
    ------
    UnusableEvent
        A handled event type without the fields CryoGen needs.
    cryogen_widgets.store.NotFoundError
        The event's customer is not linked to any user.
    """
    event_id, kind = event["id"], event["type"]
    if kind not in HANDLED:
        return "ignored"
    obj = event["data"]["object"]
    default_plan = settings.table.default
    if kind == "checkout.session.completed":
        metadata = obj.get("metadata") or {}
        user = obj.get("client_reference_id") or metadata.get("cryogen_user")
        plan = metadata.get("plan")
        if not user or plan not in settings.prices:
            raise UnusableEvent(
                f"checkout session {obj.get('id')!r} has no CryoGen user or paid plan "
                f"(client_reference_id={user!r}, metadata.plan={plan!r})"
            )
        account = accounts.apply_billing_event(
            event_id,
            kind,
            user=user,
            plan=plan,
            stripe_customer_id=obj.get("customer"),
            stripe_subscription_id=obj.get("subscription"),
            subscription_status="active",
        )
    elif kind == "customer.subscription.updated":
        status = obj.get("status", "")
        price = _price_of(obj)
        plan = settings.plan_for_price(price)
        if plan is None:
            raise UnusableEvent(
                f"subscription {obj.get('id')!r}: price {price!r} is no CryoGen plan"
            )
        account = accounts.apply_billing_event(
            event_id,
            kind,
            customer_id=obj["customer"],
            plan=plan if status in PLAN_KEEPING_STATUSES else default_plan,
            stripe_subscription_id=obj.get("id"),
            subscription_status=status,
        )
    elif kind == "customer.subscription.deleted":
        account = accounts.apply_billing_event(
            event_id,
            kind,
            customer_id=obj["customer"],
            plan=default_plan,
            stripe_subscription_id=None,
            subscription_status="canceled",
        )
    else:  # invoice.payment_failed
        account = accounts.apply_billing_event(
            event_id,
            kind,
            customer_id=obj["customer"],
            subscription_status="past_due",
        )
    if account is None:
        log.info("Stripe event %s (%s) was already applied; ignored the replay", event_id, kind)
        return "replayed"
    log.info(
        "Stripe event %s (%s): %s is on plan %s (%s)",
        event_id,
        kind,
        account.name,
        account.plan,
        account.subscription_status,
    )
    return "applied"
