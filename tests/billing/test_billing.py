"""Billing: Stripe Checkout and the Customer Portal through the real Stripe SDK against a
local fake Stripe API, and webhooks signed with the SDK's own scheme: every handled
event, a replay, and unsigned, forged, stale and malformed requests."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time

import pytest
import requests
import stripe
from tornado.httpserver import HTTPServer

from cryogen_widgets.store.accounts import Accounts
from hub_config.billing.app import make_app
from hub_config.billing.settings import BillingSettings
from tests.billing.fake_stripe import FakeStripe
from tests.store.postgres import free_port

SECRET = "whsec_cryogen_test"
ENV = {
    "STRIPE_API_KEY": "sk_test_cryogen",
    "STRIPE_WEBHOOK_SECRET": SECRET,
    "STRIPE_PRICE_ACADEMIC": "price_academic",
    "STRIPE_PRICE_PRO": "price_pro",
    "CRYOGEN_PUBLIC_URL": "http://hub.test",
}


class Service:
    """The billing app on a free port in a thread (its own event loop); ``user`` is who is
    signed in (in place of the hub's sign-in)."""

    def __init__(self, settings: BillingSettings, accounts: Accounts):
        self.user = "alice"
        app = make_app(
            settings,
            accounts,
            prefix="/services/billing/",
            identify=lambda handler: {"name": self.user},
            cookie_secret=b"t" * 32,
        )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/services/billing/"
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(app,), daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _run(self, app) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        server = HTTPServer(app)
        server.listen(self.port, "127.0.0.1")
        self._ready.set()
        self.loop.run_forever()
        server.stop()
        self.loop.run_until_complete(server.close_all_connections())
        self.loop.close()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        session = requests.Session()
        session.get(self.base, timeout=10)
        xsrf = session.cookies["_xsrf"]
        return session.post(
            self.base + path, data={**data, "_xsrf": xsrf}, allow_redirects=False, timeout=10
        )

    def webhook(self, body: str, signature: str | None) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["Stripe-Signature"] = signature
        return requests.post(self.base + "webhook", data=body.encode(), headers=headers, timeout=10)


@pytest.fixture
def fake_stripe():
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def accounts(db_url):
    return Accounts(db_url)


@pytest.fixture
def service(fake_stripe, accounts):
    settings = BillingSettings.from_env({**ENV, "STRIPE_API_BASE": fake_stripe.url})
    svc = Service(settings, accounts)
    yield svc
    svc.stop()


def signed(event: dict, secret: str = SECRET, timestamp: int | None = None) -> tuple[str, str]:
    body = json.dumps(event)
    return body, stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)


def event(event_id: str, kind: str, obj: dict) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "data": {"object": obj},
    }


def subscription(status: str, price: str, customer: str = "cus_alice") -> dict:
    return {
        "id": "sub_1",
        "object": "subscription",
        "customer": customer,
        "status": status,
        "items": {"object": "list", "data": [{"id": "si_1", "price": {"id": price}}]},
    }


CHECKOUT_DONE = event(
    "evt_checkout",
    "checkout.session.completed",
    {
        "id": "cs_test_1",
        "object": "checkout.session",
        "client_reference_id": "alice",
        "customer": "cus_alice",
        "subscription": "sub_1",
        "metadata": {"cryogen_user": "alice", "plan": "pro"},
    },
)


def test_checkout_creates_the_customer_and_a_subscription_session(service, fake_stripe, accounts):
    reply = service.post_form("checkout", {"plan": "pro"})
    assert reply.status_code == 303
    assert reply.headers["Location"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    (_, path1, customer), (_, path2, session) = fake_stripe.requests
    assert (path1, customer["metadata[cryogen_user]"]) == ("/v1/customers", "alice")
    assert path2 == "/v1/checkout/sessions"
    customer_id = accounts.get("alice").stripe_customer_id
    assert customer_id.startswith("cus_")
    assert session == {
        "mode": "subscription",
        "customer": customer_id,
        "client_reference_id": "alice",
        "line_items[0][price]": "price_pro",
        "line_items[0][quantity]": "1",
        "metadata[cryogen_user]": "alice",
        "metadata[plan]": "pro",
        "success_url": "http://hub.test/services/billing/?checkout=done",
        "cancel_url": "http://hub.test/services/billing/?checkout=cancelled",
    }
    # The plan changes only when Stripe confirms (webhook), not at checkout.
    assert accounts.get("alice").plan == "academic"
    service.post_form("checkout", {"plan": "academic"})
    assert [p for _, p, _ in fake_stripe.requests].count("/v1/customers") == 1


def test_enterprise_and_unknown_plans_cannot_be_bought_online(service, fake_stripe):
    for plan in ("enterprise", "platinum"):
        reply = service.post_form("checkout", {"plan": plan})
        assert reply.status_code == 400
        assert "plans with a Stripe price: academic, pro" in reply.text
    assert fake_stripe.requests == []


def test_the_portal_needs_a_customer_and_then_redirects_to_stripe(service, fake_stripe, accounts):
    reply = service.post_form("portal", {})
    assert (reply.status_code, reply.text) == (400, "no subscription yet: choose a plan first\n")
    accounts.link_customer("alice", "cus_alice")
    reply = service.post_form("portal", {})
    assert reply.status_code == 303
    assert reply.headers["Location"].startswith("https://billing.stripe.test/p/session/")
    assert fake_stripe.requests[-1][1:] == (
        "/v1/billing_portal/sessions",
        {"customer": "cus_alice", "return_url": "http://hub.test/services/billing/"},
    )


def test_the_page_shows_the_plan_and_offers_upgrades(service, accounts):
    page = requests.get(service.base, timeout=10).text
    assert 'data-plan="academic"' in page
    assert re.search(r'value="pro">Choose Pro', page)
    assert "contact sales" in page


def test_every_webhook_event_updates_the_plan(service, accounts):
    accounts.link_customer("alice", "cus_alice")
    steps = [
        (CHECKOUT_DONE, ("pro", "active", "sub_1")),
        (
            event(
                "evt_down",
                "customer.subscription.updated",
                subscription("active", "price_academic"),
            ),
            ("academic", "active", "sub_1"),
        ),
        (
            event("evt_up", "customer.subscription.updated", subscription("active", "price_pro")),
            ("pro", "active", "sub_1"),
        ),
        (
            event(
                "evt_fail",
                "invoice.payment_failed",
                {"id": "in_1", "object": "invoice", "customer": "cus_alice"},
            ),
            ("pro", "past_due", "sub_1"),
        ),
        (
            event(
                "evt_unpaid", "customer.subscription.updated", subscription("unpaid", "price_pro")
            ),
            ("academic", "unpaid", "sub_1"),
        ),
        (
            event(
                "evt_deleted",
                "customer.subscription.deleted",
                subscription("canceled", "price_pro"),
            ),
            ("academic", "canceled", None),
        ),
    ]
    for evt, expected in steps:
        reply = service.webhook(*signed(evt))
        assert reply.status_code == 200, reply.text
        assert reply.json() == {"id": evt["id"], "outcome": "applied"}
        account = accounts.get("alice")
        assert (
            account.plan,
            account.subscription_status,
            account.stripe_subscription_id,
        ) == expected


def test_a_replayed_event_changes_nothing(service, accounts):
    accounts.link_customer("alice", "cus_alice")
    assert service.webhook(*signed(CHECKOUT_DONE)).json()["outcome"] == "applied"
    deleted = event(
        "evt_del", "customer.subscription.deleted", subscription("canceled", "price_pro")
    )
    assert service.webhook(*signed(deleted)).json()["outcome"] == "applied"
    replay = service.webhook(*signed(CHECKOUT_DONE))  # freshly signed, same event id
    assert (replay.status_code, replay.json()["outcome"]) == (200, "replayed")
    assert (accounts.get("alice").plan, accounts.get("alice").subscription_status) == (
        "academic",
        "canceled",
    )


def test_unsigned_forged_stale_and_malformed_webhooks_are_rejected_and_logged(
    service, accounts, caplog
):
    caplog.set_level(logging.WARNING, logger="cryogen.billing")
    body, _ = signed(CHECKOUT_DONE)
    cases = [
        ("unsigned", body, None),
        ("forged", *signed(CHECKOUT_DONE, secret="whsec_attacker")),
        ("tampered", body.replace('"pro"', '"enterprise"'), signed(CHECKOUT_DONE)[1]),
        ("stale", *signed(CHECKOUT_DONE, timestamp=int(time.time()) - 3600)),
        ("garbage header", body, "v1=deadbeef"),
    ]
    for name, payload, signature in cases:
        reply = service.webhook(payload, signature)
        assert (reply.status_code, reply.text) == (400, "invalid Stripe signature\n"), name
    malformed = "{not json"
    reply = service.webhook(
        malformed, stripe.WebhookSignature.generate_signature_header(malformed, SECRET)
    )
    assert (reply.status_code, reply.text) == (400, "body is not a Stripe event\n")
    account = accounts.ensure("alice")
    assert (account.plan, account.subscription_status) == ("academic", "none")
    rejected = [
        r.getMessage() for r in caplog.records if "rejected a Stripe webhook" in r.getMessage()
    ]
    assert len(rejected) == 6


def test_a_signed_event_for_an_unknown_customer_is_refused_for_a_retry(service, accounts):
    evt = event("evt_x", "invoice.payment_failed", {"id": "in_2", "customer": "cus_nobody"})
    reply = service.webhook(*signed(evt))
    assert reply.status_code == 404 and "no user has customer 'cus_nobody'" in reply.text
    accounts.link_customer("bob", "cus_nobody")
    assert service.webhook(*signed(evt)).json()["outcome"] == "applied"  # Stripe's retry lands


def test_unrelated_events_are_acknowledged_and_ignored(service):
    evt = event("evt_other", "customer.created", {"id": "cus_1"})
    assert service.webhook(*signed(evt)).json() == {"id": "evt_other", "outcome": "ignored"}


def test_without_stripe_secrets_billing_says_what_to_set(accounts):
    svc = Service(BillingSettings.from_env({"STRIPE_PRICE_PRO": "price_pro"}), accounts)
    try:
        reply = svc.post_form("checkout", {"plan": "pro"})
        assert (reply.status_code, reply.text) == (
            503,
            "billing is not configured: set STRIPE_API_KEY for the hub\n",
        )
        reply = svc.webhook(*signed(CHECKOUT_DONE))
        assert (reply.status_code, reply.text) == (
            503,
            "billing is not configured: set STRIPE_WEBHOOK_SECRET\n",
        )
    finally:
        svc.stop()
