"""Billing service (JupyterHub-managed): Stripe Checkout for upgrades, the Customer Portal
for changes, and signed webhooks that set the user's plan in the store.

Run by the hub as ``python -m hub_config.billing``. Secrets come only from the
environment: ``STRIPE_API_KEY``, ``STRIPE_WEBHOOK_SECRET`` and one price id per
paid plan (``STRIPE_PRICE_ACADEMIC``, ``STRIPE_PRICE_PRO``; names in plans.json).
"""
