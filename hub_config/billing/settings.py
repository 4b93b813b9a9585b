"""Billing settings, read from the environment only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import stripe

from cryogen_widgets.store.plans import PlanTable, load_plans


class BillingNotConfigured(RuntimeError):
    """A Stripe secret is missing; names the variable."""


@dataclass(frozen=True)
class BillingSettings:
    api_key: str | None
    webhook_secret: str | None
    prices: dict[str, str]  # plan name -> Stripe price id
    api_base: str | None  # another Stripe API address (a local fake in tests)
    public_url: str  # where Stripe sends the browser back to
    table: PlanTable

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BillingSettings:
        env = os.environ if env is None else env
        table = load_plans(env.get("CRYOGEN_PLANS_FILE") or None)
        prices = {
            p.name: env[p.stripe_price_env]
            for p in table.plans
            if p.stripe_price_env and env.get(p.stripe_price_env)
        }
        return cls(
            api_key=env.get("STRIPE_API_KEY"),
            webhook_secret=env.get("STRIPE_WEBHOOK_SECRET"),
            prices=prices,
            api_base=env.get("STRIPE_API_BASE"),
            public_url=env.get("CRYOGEN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
            table=table,
        )

    def client(self) -> stripe.StripeClient:
        if not self.api_key:
            raise BillingNotConfigured("billing is not configured: set STRIPE_API_KEY for the hub")
        base = {"api": self.api_base} if self.api_base else None
        return stripe.StripeClient(self.api_key, base_addresses=base, max_network_retries=0)

    def plan_for_price(self, price_id: str) -> str | None:
        for plan, price in self.prices.items():
            if price == price_id:
                return plan
        return None
