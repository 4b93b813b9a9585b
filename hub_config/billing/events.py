"""Stripe webhook events -> the user's plan in the store (each event applied once)."""

from __future__ import annotations

import json
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


MAX_ID_LENGTH = 100
"""Longest Stripe id (event, customer, subscription) the store keeps (``billing_events.id``)."""

MAX_STATUS_LENGTH = 30
"""Longest subscription status the store keeps (``users.subscription_status``)."""


def parse_event(payload: bytes) -> dict[str, Any]:
    """The Stripe event in a verified webhook body, checked for the fields every event has.

    Raises
    ------
    UnusableEvent
        Not UTF-8 JSON, not an object, or without a string ``id`` and ``type``, an
        integer ``created`` and an object ``data.object``.
    """
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        raise UnusableEvent("body is not a Stripe event") from None
    if not isinstance(event, dict):
        raise UnusableEvent("body is not a Stripe event: not a JSON object")
    _string(event, "id", "body is not a Stripe event: event")
    _string(event, "type", "body is not a Stripe event: event")
    created = event.get("created")
    if not isinstance(created, int) or isinstance(created, bool) or created < 0:
        raise UnusableEvent("body is not a Stripe event: 'created' must be a Unix time in seconds")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise UnusableEvent("body is not a Stripe event: 'data.object' must be an object")
    return event


def _string(obj: dict, key: str, what: str, *, required: bool = True, limit: int = MAX_ID_LENGTH):
    """``obj[key]`` as a non-empty string of at most ``limit`` characters (None when absent
    and not ``required``)."""
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit or "\x00" in value:
        raise UnusableEvent(
            f"{what} {obj.get('id')!r}: {key!r} must be a string of 1 to {limit} characters"
        )
    return value


def _is_user_name(value) -> bool:
    """A hub user name the store can hold (``users.name``: 1 to 200 characters, no NUL)."""
    return isinstance(value, str) and 0 < len(value) <= 200 and "\x00" not in value


def _price_of(subscription: dict[str, Any]) -> str:
    try:
        price = subscription["items"]["data"][0]["price"]["id"]
    except (KeyError, IndexError, TypeError):
        price = None
    if not isinstance(price, str):
        raise UnusableEvent(f"subscription {subscription.get('id')!r} has no price item")
    return price


def apply_event(event: dict[str, Any], accounts: Accounts, settings: BillingSettings) -> str:
    """Apply an event from :func:`parse_event`; returns "applied", "replayed", "stale",
    "conflict" or "ignored" (see :meth:`Accounts.apply_billing_event`).

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
    order = {"created": event["created"]}
    default_plan = settings.table.default
    if kind == "checkout.session.completed":
        metadata = obj.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        user = obj.get("client_reference_id") or metadata.get("cryogen_user")
        plan = metadata.get("plan")
        if not _is_user_name(user) or not isinstance(plan, str) or plan not in settings.prices:
            raise UnusableEvent(
                f"checkout session {obj.get('id')!r} has no CryoGen user or paid plan "
                f"(client_reference_id={user!r}, metadata.plan={plan!r})"
            )
        subscription = _string(obj, "subscription", "checkout session", required=False)
        outcome, account = accounts.apply_billing_event(
            event_id,
            kind,
            user=user,
            plan=plan,
            stripe_customer_id=_string(obj, "customer", "checkout session", required=False),
            stripe_subscription_id=subscription,
            subscription_status="active",
            subscription_id=subscription,
            **order,
        )
    elif kind == "customer.subscription.updated":
        status = _string(obj, "status", "subscription", limit=MAX_STATUS_LENGTH)
        price = _price_of(obj)
        plan = settings.plan_for_price(price)
        if plan is None:
            raise UnusableEvent(
                f"subscription {obj.get('id')!r}: price {price!r} is no CryoGen plan"
            )
        subscription = _string(obj, "id", "subscription")
        outcome, account = accounts.apply_billing_event(
            event_id,
            kind,
            customer_id=_string(obj, "customer", "subscription"),
            plan=plan if status in PLAN_KEEPING_STATUSES else default_plan,
            stripe_subscription_id=subscription,
            subscription_status=status,
            subscription_id=subscription,
            **order,
        )
    elif kind == "customer.subscription.deleted":
        outcome, account = accounts.apply_billing_event(
            event_id,
            kind,
            customer_id=_string(obj, "customer", "subscription"),
            plan=default_plan,
            stripe_subscription_id=None,
            subscription_status="canceled",
            subscription_id=_string(obj, "id", "subscription"),
            **order,
        )
    else:  # invoice.payment_failed
        outcome, account = accounts.apply_billing_event(
            event_id,
            kind,
            customer_id=_string(obj, "customer", "invoice"),
            subscription_status="past_due",
            subscription_id=_string(obj, "subscription", "invoice", required=False),
            **order,
        )
    if account is None:
        log.info("Stripe event %s (%s) was already applied; ignored the replay", event_id, kind)
    elif outcome != "applied":
        log.warning(
            "Stripe event %s (%s) not applied to %s (%s): %s",
            event_id,
            kind,
            account.name,
            outcome,
            "older than the last event applied, or about a deleted or no longer current "
            "subscription"
            if outcome == "stale"
            else "its customer is linked to another user",
        )
    else:
        log.info(
            "Stripe event %s (%s): %s is on plan %s (%s)",
            event_id,
            kind,
            account.name,
            account.plan,
            account.subscription_status,
        )
    return outcome
