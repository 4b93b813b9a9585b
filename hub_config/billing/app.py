"""The billing web app (tornado, as JupyterHub brings it).

Routes under the service prefix (``/services/billing/`` behind the hub):

- ``GET  /``          your plan, upgrade buttons, the portal button (hub sign-in)
- ``POST /checkout``  ``plan=NAME``: a Stripe Checkout session; redirects to Stripe
- ``POST /portal``    a Stripe Customer Portal session; redirects to Stripe
- ``POST /webhook``   Stripe events, signature-checked; no hub sign-in
- ``GET  /health``    liveness
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from typing import Any

import stripe
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web

from cryogen_widgets.store import NotFoundError
from cryogen_widgets.store.accounts import Accounts
from hub_config.billing.events import UnusableEvent, apply_event, parse_event
from hub_config.billing.settings import BillingNotConfigured, BillingSettings

log = logging.getLogger("cryogen.billing")
Identify = Callable[[web.RequestHandler], dict[str, Any] | None]


class _Base(web.RequestHandler):
    @property
    def accounts(self) -> Accounts:
        return self.settings["accounts"]

    @property
    def billing(self) -> BillingSettings:
        return self.settings["billing"]

    def fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(message + "\n")


class _UserHandler(HubOAuthenticated, _Base):
    """Signed in through the hub (or through ``identify`` when the app is run on its own)."""

    def get_current_user(self):
        identify = self.settings.get("identify")
        return identify(self) if identify else super().get_current_user()

    def page_url(self, path: str = "") -> str:
        return f"{self.billing.public_url}{self.settings['prefix']}{path}"


class HomeHandler(_UserHandler):
    @web.authenticated
    def get(self):
        name = self.current_user["name"]
        account = self.accounts.ensure(name)
        rows = []
        for plan in self.billing.table.plans:
            price = (
                "custom" if plan.price_usd_per_month is None else f"${plan.price_usd_per_month}/mo"
            )
            if plan.name == account.plan:
                action = "<b>your plan</b>"
            elif plan.name in self.billing.prices:
                action = (
                    f'<form method="post" action="checkout">{self.xsrf_form_html()}'
                    f'<button name="plan" value="{plan.name}">Choose {html.escape(plan.title)}'
                    f"</button></form>"
                )
            else:
                action = "contact sales"
            rows.append(
                f"<tr><td>{html.escape(plan.title)}</td><td>{price}</td><td>{action}</td></tr>"
            )
        portal = (
            f'<form method="post" action="portal">{self.xsrf_form_html()}'
            f"<button>Manage subscription</button></form>"
            if account.stripe_customer_id
            else ""
        )
        self.finish(
            f"<!doctype html><title>CryoGen billing</title><h1>CryoGen billing</h1>"
            f'<p id="plan" data-plan="{account.plan}">{html.escape(name)}: plan '
            f"<b>{account.plan}</b>, subscription {account.subscription_status}</p>"
            f"<table>{''.join(rows)}</table>{portal}"
        )


class CheckoutHandler(_UserHandler):
    @web.authenticated
    def post(self):
        name = self.current_user["name"]
        plan = self.get_body_argument("plan", "")
        if plan not in self.billing.prices:
            known = ", ".join(self.billing.prices) or "none configured"
            return self.fail(
                400,
                f"plan {plan!r} cannot be bought online (plans with a Stripe price: {known}); "
                "enterprise plans are arranged with sales",
            )
        try:
            client = self.billing.client()
        except BillingNotConfigured as exc:
            return self.fail(503, str(exc))
        account = self.accounts.ensure(name)
        customer = account.stripe_customer_id
        if customer is None:
            customer = client.v1.customers.create(params={"metadata": {"cryogen_user": name}}).id
            self.accounts.link_customer(name, customer)
        session = client.v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer,
                "client_reference_id": name,
                "line_items": [{"price": self.billing.prices[plan], "quantity": 1}],
                "metadata": {"cryogen_user": name, "plan": plan},
                "success_url": self.page_url("?checkout=done"),
                "cancel_url": self.page_url("?checkout=cancelled"),
            }
        )
        self.redirect(session.url, status=303)


class PortalHandler(_UserHandler):
    @web.authenticated
    def post(self):
        account = self.accounts.ensure(self.current_user["name"])
        if account.stripe_customer_id is None:
            return self.fail(400, "no subscription yet: choose a plan first")
        try:
            client = self.billing.client()
        except BillingNotConfigured as exc:
            return self.fail(503, str(exc))
        session = client.v1.billing_portal.sessions.create(
            params={"customer": account.stripe_customer_id, "return_url": self.page_url()}
        )
        self.redirect(session.url, status=303)


class WebhookHandler(_Base):
    def check_xsrf_cookie(self) -> None:
        """Stripe cannot send an XSRF token; the Stripe signature authenticates instead."""

    def post(self):
        secret = self.billing.webhook_secret
        if not secret:
            return self.fail(503, "billing is not configured: set STRIPE_WEBHOOK_SECRET")
        payload = self.request.body
        header = self.request.headers.get("Stripe-Signature") or ""
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"), header, secret, stripe.Webhook.DEFAULT_TOLERANCE
            )
        except (stripe.SignatureVerificationError, UnicodeError, TypeError, ValueError) as exc:
            log.warning(
                "rejected a Stripe webhook from %s: bad signature (%s)", self.request.remote_ip, exc
            )
            return self.fail(400, "invalid Stripe signature")
        try:
            event = parse_event(payload)
        except UnusableEvent as exc:
            log.warning(
                "rejected a Stripe webhook from %s: body is not a Stripe event (%s)",
                self.request.remote_ip,
                exc,
            )
            return self.fail(400, str(exc))
        try:
            outcome = apply_event(event, self.accounts, self.billing)
        except UnusableEvent as exc:
            log.warning(
                "Stripe event %s (%s) not applied: %s", event.get("id"), event.get("type"), exc
            )
            return self.fail(400, str(exc))
        except NotFoundError as exc:
            # 404 makes Stripe retry later, e.g. after the user's account exists.
            log.warning(
                "Stripe event %s (%s) not applied: %s", event.get("id"), event.get("type"), exc
            )
            return self.fail(404, str(exc))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"id": event["id"], "outcome": outcome}))


class HealthHandler(_Base):
    def get(self):
        self.finish({"status": "ok"})


def make_app(
    settings: BillingSettings,
    accounts: Accounts,
    *,
    prefix: str = "/",
    identify: Identify | None = None,
    cookie_secret: bytes | None = None,
) -> web.Application:
    """The billing app mounted at ``prefix``. ``identify`` replaces hub sign-in when the app is
    run without a hub (the tests); under the hub it is None."""
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return web.Application(
        [
            (prefix, HomeHandler),
            (prefix + "checkout", CheckoutHandler),
            (prefix + "portal", PortalHandler),
            (prefix + "webhook", WebhookHandler),
            (prefix + "health", HealthHandler),
            (prefix + "oauth_callback", HubOAuthCallbackHandler),
        ],
        billing=settings,
        accounts=accounts,
        prefix=prefix,
        identify=identify,
        xsrf_cookies=True,
        cookie_secret=cookie_secret,
    )
