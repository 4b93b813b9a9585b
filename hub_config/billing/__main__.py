"""Run the billing service the way JupyterHub starts it (``python -m hub_config.billing``)."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets

from cryogen_widgets._service_loop import serve_until_stopped
from cryogen_widgets.store.accounts import Accounts
from hub_config.billing.app import make_app
from hub_config.billing.settings import BillingSettings


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="[billing %(levelname)s] %(message)s")
    settings = BillingSettings.from_env()
    app = make_app(
        settings,
        Accounts(os.environ.get("CRYOGEN_DB_URL")),
        prefix=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
        cookie_secret=secrets.token_bytes(32),
    )
    server = app.listen(int(os.environ.get("CRYOGEN_BILLING_PORT", "8002")), address="127.0.0.1")
    await serve_until_stopped(server)


if __name__ == "__main__":
    asyncio.run(main())
