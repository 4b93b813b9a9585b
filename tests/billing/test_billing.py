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


def _at(evt: dict, created: int) -> dict:
    return {**evt, "created": created}


def _outcome(service, evt: dict) -> tuple[int, str]:
    reply = service.webhook(*signed(evt))
    return reply.status_code, reply.json()["outcome"] if reply.status_code == 200 else reply.text


def test_a_late_update_after_the_deletion_does_not_give_the_plan_back(service, accounts):
    """Stripe delivers out of order: the update was created before the deletion but arrives
    after it (and, in the same second, still cannot revive a canceled subscription)."""
    accounts.link_customer("alice", "cus_alice")
    t0 = int(time.time())
    assert _outcome(service, _at(CHECKOUT_DONE, t0)) == (200, "applied")
    deleted = event(
        "evt_del", "customer.subscription.deleted", subscription("canceled", "price_pro")
    )
    assert _outcome(service, _at(deleted, t0 + 10)) == (200, "applied")
    late = event("evt_late", "customer.subscription.updated", subscription("active", "price_pro"))
    assert _outcome(service, _at(late, t0 + 5)) == (200, "stale")
    same_second = {**late, "id": "evt_same_second"}
    assert _outcome(service, _at(same_second, t0 + 10)) == (200, "stale")
    account = accounts.get("alice")
    assert (account.plan, account.subscription_status) == ("academic", "canceled")


def test_deleting_an_old_subscription_leaves_the_new_one(service, accounts):
    accounts.link_customer("alice", "cus_alice")
    t0 = int(time.time())
    assert _outcome(service, _at(CHECKOUT_DONE, t0)) == (200, "applied")  # sub_1
    second = json.loads(json.dumps(CHECKOUT_DONE))
    second["id"], second["data"]["object"]["subscription"] = "evt_checkout_2", "sub_2"
    assert _outcome(service, _at(second, t0 + 1)) == (200, "applied")
    old_gone = event("evt_del_1", "customer.subscription.deleted", subscription("canceled", "x"))
    assert _outcome(service, _at(old_gone, t0 + 2)) == (200, "stale")
    account = accounts.get("alice")
    assert (account.plan, account.stripe_subscription_id) == ("pro", "sub_2")


def _post(service, body: bytes, signature: str) -> requests.Response:
    return requests.post(
        service.base + "webhook",
        data=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": signature},
        timeout=10,
    )


def _signed_bytes(body: bytes) -> tuple[bytes, str]:
    header = stripe.WebhookSignature.generate_signature_header(body.decode("utf-8"), SECRET)
    return body, header


def test_malformed_signed_events_and_bad_headers_answer_400_or_200_never_500(service, accounts):
    """Stripe retries every 5xx for days: input never causes one."""
    accounts.link_customer("alice", "cus_alice")
    accounts.ensure("bob")
    update = event("evt_u", "customer.subscription.updated", subscription("active", "price_pro"))
    no_customer = json.loads(json.dumps(update))
    del no_customer["data"]["object"]["customer"]
    cases = {
        "array body": b"[]",
        "empty object": b"{}",
        "no id": json.dumps({k: v for k, v in update.items() if k != "id"}).encode(),
        "no data": json.dumps({k: v for k, v in update.items() if k != "data"}).encode(),
        "data not an object": json.dumps({**update, "data": [1]}).encode(),
        "no created": json.dumps({k: v for k, v in update.items() if k != "created"}).encode(),
        "no customer": json.dumps(no_customer).encode(),
        "customer a list": json.dumps(
            {**update, "data": {"object": {**update["data"]["object"], "customer": ["x"]}}}
        ).encode(),
        "id too long": json.dumps({**update, "id": "evt_" + "x" * 500}).encode(),
        "NUL in customer": json.dumps(
            {**update, "data": {"object": {**update["data"]["object"], "customer": "c\x00"}}}
        ).encode(),
        "plan a dict": json.dumps(
            {
                **CHECKOUT_DONE,
                "data": {"object": {**CHECKOUT_DONE["data"]["object"], "metadata": {"plan": {}}}},
            }
        ).encode(),
        "5000-deep nesting": b'{"id": "evt_deep", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    }
    for name, body in cases.items():
        reply = _post(service, *_signed_bytes(body))
        assert reply.status_code == 400, (name, reply.status_code, reply.text)
    linked_elsewhere = json.loads(json.dumps(CHECKOUT_DONE))
    linked_elsewhere["id"] = "evt_bob_takes_alices_customer"
    linked_elsewhere["data"]["object"].update(client_reference_id="bob")
    assert _outcome(service, linked_elsewhere) == (200, "conflict")
    assert accounts.get("bob").stripe_customer_id is None
    body = json.dumps(update).encode()
    for name, header in {
        "non-ASCII signature": "t=1,v1=é",
        "non-ASCII everywhere": "ťíμé",
        "empty": "",
    }.items():
        reply = requests.post(
            service.base + "webhook",
            data=body,
            headers={"Stripe-Signature": header.encode("utf-8")},
            timeout=10,
        )
        assert (reply.status_code, reply.text) == (400, "invalid Stripe signature\n"), name
    reply = requests.post(
        service.base + "webhook",
        data=b"\xff\xfe not utf-8",
        headers={"Stripe-Signature": _signed_bytes(b"x")[1]},
        timeout=10,
    )
    assert reply.status_code == 400
    assert (accounts.get("alice").plan, accounts.get("bob").plan) == ("academic", "academic")
