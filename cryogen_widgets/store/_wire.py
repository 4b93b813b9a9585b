"""What crosses the wire between the store client (a kernel) and the store service:
the calls the service answers, values as JSON, and errors as HTTP statuses.

Values are the store API's own dataclasses, tagged with their type name; an error
keeps its class name and message, so the client raises the same exception with the
same words as the in-process store.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DataError

from cryogen_widgets.store._errors import (
    AccessDeniedError,
    NotFoundError,
    PlanLimitError,
    QuotaExceededError,
    StaleVersionError,
    StoreError,
    StoreInputError,
    StoreUnavailableError,
)
from cryogen_widgets.store._organizations import OrganizationInfo, RoleChangeInfo
from cryogen_widgets.store._projects import LoadedProject, ProjectInfo, VersionInfo
from cryogen_widgets.store._simulations import SimulationInfo
from cryogen_widgets.store._usage import Quota
from cryogen_widgets.store.components import Filters, Hit
from cryogen_widgets.store.plans import Plan
from solver.catalog import UserComponentError
from solver.errors import CryoGenError, DesignError, SolverError, UnknownNameError

CALLS: dict[str, frozenset[str]] = {
    "store": frozenset({"user", "plan", "require_feature"}),
    "projects": frozenset(
        {"list", "create", "load", "save", "fork", "share", "delete", "history", "restore"}
    ),
    "simulations": frozenset({"start", "finish", "get", "list"}),
    "usage": frozenset({"server_simulations", "book_server_simulation"}),
    "organizations": frozenset(
        {"list", "create", "add_member", "transfer_ownership", "role_history"}
    ),
    "components": frozenset({"search", "add"}),
}
"""Every call the service answers, by API (``store.<api>.<method>``); nothing else is reachable."""

_TYPES = {
    cls.__name__: cls
    for cls in (
        ProjectInfo,
        LoadedProject,
        VersionInfo,
        SimulationInfo,
        OrganizationInfo,
        RoleChangeInfo,
        Quota,
        Plan,
        Hit,
        Filters,
    )
}
# Most specific first: the status of an error is that of its first matching class.
_ERRORS: tuple[tuple[type[Exception], int], ...] = (
    (StaleVersionError, 409),
    (QuotaExceededError, 402),
    (PlanLimitError, 402),
    (NotFoundError, 404),
    (AccessDeniedError, 403),
    (UserComponentError, 400),
    (UnknownNameError, 400),
    (DesignError, 400),
    (SolverError, 422),
    (StoreInputError, 400),
    (StoreUnavailableError, 503),
    (StoreError, 400),
    (CryoGenError, 400),
)
_ERROR_TYPES = {cls.__name__: cls for cls, _ in _ERRORS}


def encode(value: Any) -> Any:
    """A JSON-ready form of an API value (dataclasses, datetimes, tuples, sets tagged)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, **fields}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, frozenset | set):
        return {"__frozenset__": sorted(encode(v) for v in value)}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`; an unknown ``__type__`` is refused."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__datetime__" in value:
        return datetime.fromisoformat(value["__datetime__"])
    if "__frozenset__" in value:
        return frozenset(decode(v) for v in value["__frozenset__"])
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__type__" in value:
        fields = {k: decode(v) for k, v in value.items() if k != "__type__"}
        cls = _TYPES.get(value["__type__"])
        if cls is None:
            raise StoreError(f"unknown value type {value['__type__']!r} on the wire")
        return cls(**fields)
    return {k: decode(v) for k, v in value.items()}


def error_reply(exc: BaseException) -> tuple[int, dict[str, Any]] | None:
    """(HTTP status, JSON body) of an error the caller should see; None for a bug (500)."""
    if isinstance(exc, DataError):
        return 400, {"error": "DesignError", "message": f"value cannot be stored: {exc.orig}"}
    for cls, status in _ERRORS:
        if isinstance(exc, cls):
            body: dict[str, Any] = {"error": cls.__name__, "message": str(exc)}
            if isinstance(exc, StaleVersionError):
                body["fields"] = {
                    "project_id": exc.project_id,
                    "yours": exc.yours,
                    "stored": exc.stored,
                }
            return status, body
    return None


def raise_error(status: int, body: dict[str, Any]) -> None:
    """Raise the exception a service reply stands for (same class and message as in-process)."""
    cls = _ERROR_TYPES.get(body.get("error", ""))
    message = body.get("message") or f"store service error {status}"
    if cls is None:
        cls = {403: AccessDeniedError, 404: NotFoundError}.get(status, StoreError)
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    for name, value in (body.get("fields") or {}).items():
        setattr(exc, name, value)
    raise exc
