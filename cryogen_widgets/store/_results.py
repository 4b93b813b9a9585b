"""Large results (cooldown histories, field maps, 3-D temperature fields) in object storage.

Each result is one NetCDF file written through ``fsspec``: a local folder by default
(``~/.cryogen/results``), any S3-compatible bucket in production
(``CRYOGEN_RESULTS_URL=s3://bucket/prefix``; options such as ``endpoint_url`` as JSON in
``CRYOGEN_RESULTS_OPTIONS``). The database keeps only the object key
(``simulations.result_path``). Every key starts with the owner's tenant prefix
``users/<id>/``, chosen here from the signed-in user; behind the store service this
runs on the server, so a kernel can neither choose a key nor read outside its prefix.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._errors import NotFoundError
from cryogen_widgets.store._simulations import Simulations
from solver.errors import DesignError

log = logging.getLogger("cryogen.store")

NETCDF_SIGNATURES = (b"CDF\x01", b"CDF\x02", b"\x89HDF\r\n\x1a\n")
"""First bytes of a NetCDF-3 (classic, 64-bit offset) and a NetCDF-4/HDF5 file."""


def default_results_url() -> str:
    """``CRYOGEN_RESULTS_URL``, else the folder ``~/.cryogen/results``."""
    return os.environ.get("CRYOGEN_RESULTS_URL") or str(Path.home() / ".cryogen" / "results")


class ResultStorage:
    """Bytes under keys, in a local folder or a bucket (any fsspec URL)."""

    def __init__(self, url: str | None = None, options: dict | None = None):
        import fsspec

        self.url = url or default_results_url()
        if options is None:
            options = json.loads(os.environ.get("CRYOGEN_RESULTS_OPTIONS") or "{}")
        self.fs, self.root = fsspec.core.url_to_fs(self.url, **options)
        self.root = self.root.rstrip("/")

    def _path(self, key: str) -> str:
        return f"{self.root}/{key}"

    def write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        self.fs.pipe_file(path, data)

    def read(self, key: str) -> bytes:
        return self.fs.cat_file(self._path(key))

    def remove(self, key: str) -> None:
        """Delete the object at ``key``; one that is already gone is no error."""
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._path(key))


class Results:
    """Results of your simulations (``store.results``), stored as NetCDF bytes."""

    def __init__(self, ctx: UserContext, simulations: Simulations, storage: ResultStorage | None):
        self._ctx = ctx
        self._simulations = simulations
        self._storage = storage

    @property
    def storage(self) -> ResultStorage:
        if self._storage is None:
            self._storage = ResultStorage()
        return self._storage

    @property
    def prefix(self) -> str:
        """Your tenant prefix: every key of your results starts with it."""
        return f"users/{self._ctx.user_id}/"

    def put(self, simulation_id: int, data: bytes) -> str:
        """Store the NetCDF bytes of one of your simulations' result; returns the object key.

        Raises
        ------
        solver.errors.DesignError
            ``data`` is not a NetCDF file.
        """
        data = bytes(data)
        if not data.startswith(NETCDF_SIGNATURES):
            raise DesignError(
                "a result must be a NetCDF file (xarray: ds.to_netcdf()); got other bytes"
            )
        key = f"{self.prefix}simulations/{int(simulation_id)}.nc"
        with self._ctx.transaction() as session:
            sim = self._simulations._get(session, simulation_id)
            self.storage.write(key, data)
            sim.result_path = key
        return key

    def get_bytes(self, simulation_id: int) -> bytes:
        """The stored NetCDF bytes of one of your simulations, exactly as put."""
        with self._ctx.transaction() as session:
            key = self._simulations._get(session, simulation_id).result_path
        if not key or not key.startswith(self.prefix):
            raise NotFoundError(
                f"simulation {simulation_id} of user {self._ctx.user_name!r} has no stored "
                f"result; store one with results.put({simulation_id}, netcdf_bytes)"
            )
        return self.storage.read(key)

    def remove(self, keys: Sequence[str]) -> None:
        """Delete stored results by object key (those of a deleted project's simulations:
        the store passes keys from its records, never from the caller). A storage error is
        logged with the keys left behind, as the records are already gone."""
        for key in keys:
            try:
                self.storage.remove(key)
            except OSError:
                log.exception("could not delete the stored result %s of a deleted project", key)

    def get(self, simulation_id: int):
        """The result of one of your simulations as an ``xarray.Dataset`` (loaded)."""
        import xarray as xr

        with xr.open_dataset(io.BytesIO(self.get_bytes(simulation_id)), engine="h5netcdf") as ds:
            return ds.load()
