"""The store service's tornado application (see the package docstring for the routes)."""

from __future__ import annotations

import inspect
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tornado import web
from tornado.ioloop import IOLoop

from cryogen_widgets.store import _wire
from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._errors import StoreError
from cryogen_widgets.store._results import ResultStorage
from cryogen_widgets.store._store import Store
from cryogen_widgets.store.accounts import ensure_user_id
from solver.errors import DesignError

log = logging.getLogger("cryogen.store")
TOKEN_CHECK_MAX_AGE_S = 10
"""Longest time the service reuses the hub's answer about a token, s (JupyterHub's
``HubAuth.cache_max_age``, 300 s by default): a revoked token stops working within it, and
each kernel's token costs the hub at most one check per this many seconds of store use."""
Identify = Callable[[web.RequestHandler], str | None]
"""Replaces hub sign-in when the service runs without a hub (tests): handler -> user name."""


@dataclass
class ServiceSettings:
    """What every request of the service shares."""

    engine: Engine
    results: ResultStorage
    workers: int = 16
    executor: ThreadPoolExecutor = field(init=False)
    _user_ids: dict[str, int] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="cryogen-store")

    def store_of(self, name: str) -> Store:
        """The store of user ``name`` (created on the default plan at first sight)."""
        with self._lock:
            user_id = self._user_ids.get(name)
        if user_id is None:
            with Session(self.engine) as session, session.begin():
                user_id = ensure_user_id(session, name)
            with self._lock:
                self._user_ids[name] = user_id
        return Store(
            UserContext(self.engine, user_id, name), results=self.results, sync_catalog=False
        )


def _hub_authenticated():
    from jupyterhub.services.auth import HubAuthenticated

    return HubAuthenticated


class _Handler(_hub_authenticated(), web.RequestHandler):
    @property
    def service(self) -> ServiceSettings:
        return self.settings["service"]

    def get_current_user(self):
        identify = self.settings.get("identify")
        if identify is not None:
            return identify(self)
        model = super().get_current_user()
        # Only users have projects: a service's token is refused like a bad token.
        return model["name"] if model and model.get("kind") == "user" else None

    def check_xsrf_cookie(self) -> None:
        """Token-authenticated API: no cookies are accepted, so there is no XSRF to check."""

    def reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def user_or_refuse(self) -> str | None:
        user = self.current_user
        if user is None:
            self.reply(
                403,
                {
                    "error": "AccessDeniedError",
                    "message": "the store service needs a valid hub API token of a user with "
                    "access to the store (Authorization: token ...)",
                },
            )
        return user

    async def run(self, fn: Callable[[], Any]) -> tuple[bool, Any]:
        """``fn()`` on the worker threads; (True, result), or (False, None) after an error reply."""
        try:
            return True, await IOLoop.current().run_in_executor(self.service.executor, fn)
        except Exception as exc:
            known = _wire.error_reply(exc)
            if known is None:
                log.exception("store call failed")
                known = (
                    500,
                    {"error": "StoreError", "message": "internal error of the store service"},
                )
            self.reply(*known)
            return False, None


class CallHandler(_Handler):
    async def post(self, api: str, method: str):
        user = self.user_or_refuse()
        if user is None:
            return
        if method not in _wire.CALLS.get(api, ()):
            return self.reply(
                404, {"error": "NotFoundError", "message": f"no store function {api}.{method}"}
            )
        try:
            kwargs = _wire.decode(json.loads(self.request.body or b"{}").get("kwargs", {}))
        except (ValueError, AttributeError, TypeError, StoreError) as exc:
            return self.reply(400, {"error": "DesignError", "message": f"bad request body: {exc}"})
        if not isinstance(kwargs, dict):
            return self.reply(400, {"error": "DesignError", "message": "kwargs must be an object"})

        def call():
            store = self.service.store_of(user)
            target = (
                getattr(store, method) if api == "store" else getattr(getattr(store, api), method)
            )
            if not callable(target):
                return target
            try:
                inspect.signature(target).bind(**kwargs)
            except TypeError as exc:
                raise DesignError(f"store.{api}.{method}: {exc}") from None
            return target(**kwargs)

        ok, result = await self.run(call)
        if ok:
            self.reply(200, {"result": _wire.encode(result)})


class ResultHandler(_Handler):
    async def get(self, simulation_id: str):
        user = self.user_or_refuse()
        if user is None:
            return
        ok, data = await self.run(
            lambda: self.service.store_of(user).results.get_bytes(int(simulation_id))
        )
        if ok:
            self.set_header("Content-Type", "application/x-netcdf")
            self.finish(data)

    async def put(self, simulation_id: str):
        user = self.user_or_refuse()
        if user is None:
            return
        body = self.request.body
        ok, key = await self.run(
            lambda: self.service.store_of(user).results.put(int(simulation_id), body)
        )
        if ok:
            self.reply(201, {"key": key})


class HealthHandler(web.RequestHandler):
    def get(self):
        self.finish({"status": "ok"})


def make_app(
    service: ServiceSettings, *, prefix: str = "/", identify: Identify | None = None
) -> web.Application:
    """The store service mounted at ``prefix``. ``identify`` replaces hub sign-in when the
    service runs without a hub (the tests); under the hub it is None."""
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return web.Application(
        [
            (prefix + r"api/call/(\w+)/(\w+)", CallHandler),
            (prefix + r"api/results/(\d+)", ResultHandler),
            (prefix + "health", HealthHandler),
        ],
        service=service,
        identify=identify,
    )
