"""Run the billing service the way JupyterHub starts it (``python -m hub_config.billing``)."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal

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
    stop = asyncio.Event()
    # The hub stops a service with SIGINT, then SIGTERM; SIGINT may arrive ignored
    # (inherited SIG_IGN from a background shell), so both are handled explicitly.
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
