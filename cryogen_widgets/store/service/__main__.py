"""Run the store service the way JupyterHub starts it (``python -m cryogen_widgets.store.service``).

==========================  ===========================================================
variable                    meaning
==========================  ===========================================================
CRYOGEN_STORE_DB_URL        the database, as a role under row-level security (PostgreSQL:
                            a member of ``cryogen_store_service``); else CRYOGEN_DB_URL
                            (SQLite only: PostgreSQL needs the restricted role)
CRYOGEN_STORE_IP / _PORT    where it listens (default 127.0.0.1 / 8003)
CRYOGEN_RESULTS_URL         results storage (fsspec URL; default ~/.cryogen/results)
CRYOGEN_RESULTS_OPTIONS     JSON options of that storage (e.g. ``{"endpoint_url": ...}``)
JUPYTERHUB_*                set by the hub: the service's own token, API URL and prefix
==========================  ===========================================================
"""

from __future__ import annotations

import asyncio
import logging
import os

from cryogen_widgets._service_loop import serve_until_stopped
from cryogen_widgets.store.service._app import ServiceSettings, make_app
from cryogen_widgets.store.service._database import service_engine


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="[store %(levelname)s] %(message)s")
    from cryogen_widgets.store._results import ResultStorage

    url = os.environ.get("CRYOGEN_STORE_DB_URL") or os.environ.get("CRYOGEN_DB_URL")
    settings = ServiceSettings(service_engine(url), ResultStorage())
    app = make_app(settings, prefix=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
    server = app.listen(
        int(os.environ.get("CRYOGEN_STORE_PORT", "8003")),
        address=os.environ.get("CRYOGEN_STORE_IP", "127.0.0.1"),
        max_body_size=512 * 1024**2,  # a 3-D temperature field may be hundreds of MB
    )
    await serve_until_stopped(server)
    settings.executor.shutdown(wait=False)


if __name__ == "__main__":
    asyncio.run(main())
