"""The store service in a thread of the test process, on 127.0.0.1 and a free port.

Without a hub, users are identified by a token table (``identify``); the hub's own
sign-in (HubAuth and scopes) is tested with a real hub in ``tests/hub``.
"""

from __future__ import annotations

import asyncio
import threading

from cryogen_widgets.store._results import ResultStorage
from cryogen_widgets.store.service import ServiceSettings, make_app
from cryogen_widgets.store.service._database import service_engine
from tests.store.postgres import free_port

PREFIX = "/services/store/"


class ServiceThread:
    """Start with ``start()``, stop with ``stop()``; ``tokens`` maps token -> user name."""

    def __init__(self, db_url: str, results_url: str, results_options: dict | None = None):
        self.tokens: dict[str, str] = {}
        self._clients: list = []
        self.settings = ServiceSettings(
            service_engine(db_url), ResultStorage(results_url, results_options or {})
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="store-service")

    def open(self, user: str):
        """A client of this service signed in as ``user`` (closed by ``stop()``)."""
        import cryogen_widgets.store as store_api

        client = store_api.open(self.url, token=self.token_for(user))
        self._clients.append(client)
        return client

    def token_for(self, user: str) -> str:
        token = f"test-token-of-{user}"
        self.tokens[token] = user
        return token

    def _identify(self, handler) -> str | None:
        scheme, _, token = handler.request.headers.get("Authorization", "").partition(" ")
        return self.tokens.get(token) if scheme.lower() == "token" else None

    def _serve(self) -> None:
        async def main():
            app = make_app(self.settings, prefix=PREFIX, identify=self._identify)
            self._server = app.listen(self.port, address="127.0.0.1")
            self._stop = asyncio.Event()
            self._loop = asyncio.get_running_loop()
            self._ready.set()
            await self._stop.wait()
            self._server.stop()
            await self._server.close_all_connections()

        asyncio.run(main())

    def start(self) -> ServiceThread:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        for client in self._clients:
            client.close()
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
        self.settings.executor.shutdown(wait=True)
        self.settings.engine.dispose()
