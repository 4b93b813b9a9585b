"""The store as a client of the store service: the same functions as the in-process
store, each one an HTTP call authenticated with the user's hub token.

The kernel holds only ``CRYOGEN_STORE_URL`` and its own ``JUPYTERHUB_API_TOKEN``;
which projects it may see, the plan checks and where results are stored are
decided by the service.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import requests

from cryogen_widgets.store import _wire
from cryogen_widgets.store._errors import StoreError
from cryogen_widgets.store._organizations import Organizations
from cryogen_widgets.store._projects import Projects
from cryogen_widgets.store._simulations import Simulations
from cryogen_widgets.store._usage import Usage
from cryogen_widgets.store.components import Components
from solver.errors import DesignError

TIMEOUT_S = 120.0
"""Longest wait for one reply of the service, s (a large result upload included)."""


class _RemoteAPI:
    """``store.<api>`` of the client: each method of the in-process class, called remotely
    (arguments are checked against the in-process signature before anything is sent)."""

    def __init__(self, client: RemoteStore, api: str, local_class: type):
        self._client = client
        self._api = api
        self._signatures = {
            name: inspect.signature(getattr(local_class, name)) for name in _wire.CALLS[api]
        }

    def __getattr__(self, name: str):
        signature = self._signatures.get(name)
        if signature is None:
            raise AttributeError(f"store.{self._api} has no function {name!r}")

        def call(*args, **kwargs):
            bound = signature.bind(None, *args, **kwargs)
            arguments = dict(bound.arguments)
            arguments.pop(next(iter(signature.parameters)))  # self
            return self._client.call(self._api, name, arguments)

        call.__name__ = name
        return call


class _RemoteResults:
    """``store.results`` of the client: NetCDF bytes up and down."""

    def __init__(self, client: RemoteStore):
        self._client = client

    def put(self, simulation_id: int, data: bytes) -> str:
        """Store the NetCDF bytes of one of your simulations' result; returns the object key."""
        reply = self._client.request("PUT", f"api/results/{int(simulation_id)}", data=bytes(data))
        return reply.json()["key"]

    def get_bytes(self, simulation_id: int) -> bytes:
        """The stored NetCDF bytes of one of your simulations, exactly as put."""
        return self._client.request("GET", f"api/results/{int(simulation_id)}").content

    def get(self, simulation_id: int):
        """The result of one of your simulations as an ``xarray.Dataset`` (loaded)."""
        import io

        import xarray as xr

        with xr.open_dataset(io.BytesIO(self.get_bytes(simulation_id)), engine="h5netcdf") as ds:
            return ds.load()


class RemoteStore:
    """The signed-in user's store behind the store service (see :func:`open`)."""

    def __init__(self, url: str, token: str | None):
        if not token:
            raise StoreError(
                f"the store service at {url} needs a hub API token: JUPYTERHUB_API_TOKEN is "
                "not set (it is in every kernel the hub starts), or pass token=..."
            )
        self.url = url.rstrip("/") + "/"
        self._http = requests.Session()
        self._http.headers["Authorization"] = f"token {token}"
        self.projects = _RemoteAPI(self, "projects", Projects)
        self.simulations = _RemoteAPI(self, "simulations", Simulations)
        self.usage = _RemoteAPI(self, "usage", Usage)
        self.organizations = _RemoteAPI(self, "organizations", Organizations)
        self.components = _RemoteAPI(self, "components", Components)
        self.results = _RemoteResults(self)
        # Signs in now: a bad token fails here, and the user exists from here on (as in-process).
        self._user = self.call("store", "user", {})

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            reply = self._http.request(method, self.url + path, timeout=TIMEOUT_S, **kwargs)
        except requests.RequestException as exc:
            raise StoreError(f"the store service at {self.url} cannot be reached: {exc}") from None
        if reply.status_code >= 400:
            try:
                body = reply.json()
            except ValueError:
                body = {"message": f"store service error {reply.status_code}: {reply.text[:200]}"}
            _wire.raise_error(reply.status_code, body)
        return reply

    def call(self, api: str, method: str, arguments: dict[str, Any]) -> Any:
        """One call of ``store.<api>.<method>(**arguments)`` on the service."""
        try:
            body = json.dumps({"kwargs": _wire.encode(arguments)}, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise DesignError(
                f"store.{api}.{method}: the arguments are not plain JSON and cannot be stored: {exc}"
            ) from None
        reply = self.request(
            "POST",
            f"api/call/{api}/{method}",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        return _wire.decode(reply.json()["result"])

    @property
    def user(self) -> str:
        return self._user

    @property
    def plan(self):
        """Your plan as stored (billing keeps it current)."""
        return self.call("store", "plan", {})

    def require_feature(self, feature: str) -> None:
        """PlanLimitError naming the plan that includes ``feature`` when yours does not."""
        self.call("store", "require_feature", {"feature": feature})

    def close(self) -> None:
        """Close the connections to the service."""
        self._http.close()

    def __repr__(self) -> str:
        return f"<cryogen store service at {self.url}>"
