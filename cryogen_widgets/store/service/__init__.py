"""The store service: the project store behind a JupyterHub service.

On a hub, kernels never hold a database URL. They call this service with their own
hub token; it identifies the user through the hub (``HubAuth``: the token must carry
the ``access:services!service=store`` scope; the hub's answer is reused for at most
``TOKEN_CHECK_MAX_AGE_S``, so a revoked token stops working within it) and runs the
call through the same store API as ``make run`` does in-process, scoped to that user.
On PostgreSQL it
connects as a role subject to row-level security (``cryogen_store_service``), so even
a forgotten filter cannot return another tenant's row.

Routes under the service prefix (``/services/store/``):

- ``POST api/call/<api>/<method>``  ``{"kwargs": {...}}`` -> ``{"result": ...}``
  (the calls listed in ``cryogen_widgets.store._wire.CALLS``)
- ``PUT  api/results/<simulation id>``  NetCDF bytes -> ``{"key": ...}``
- ``GET  api/results/<simulation id>``  NetCDF bytes
- ``GET  health``  liveness (no sign-in)

Errors answer with the store's own error class and message: 404 (not found or not
visible: the same words either way), 403 (not allowed, or no valid token), 409 (stale
version), 402 (plan limit or quota), 400 (invalid input).
"""

from cryogen_widgets.store.service._app import ServiceSettings, make_app

__all__ = ["ServiceSettings", "make_app"]
