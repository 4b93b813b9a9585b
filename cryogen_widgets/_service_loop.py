"""Keep a tornado HTTP service running until JupyterHub stops it."""

from __future__ import annotations

import asyncio
import signal

from tornado.httpserver import HTTPServer


async def serve_until_stopped(server: HTTPServer) -> None:
    """Wait for SIGINT or SIGTERM, then stop accepting connections on ``server``.

    The hub stops a service with SIGINT, then SIGTERM; SIGINT may arrive ignored
    (inherited SIG_IGN from a background shell), so both are handled explicitly.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()
