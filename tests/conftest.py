"""Shared test policy.

Tests that need an outside program (Debian chromium, PostgreSQL, configurable-http-proxy)
call ``require(condition, why)``: on a developer machine without it they skip with
the reason; under CI (``CRYOGEN_REQUIRE_SERVICES=1``, set by ``.ci/run``) a missing
service is a failure, so CI can never pass by skipping.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("CRYOGEN_REQUIRE_SERVICES") == "1"


def require(condition: bool, why: str) -> None:
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required by CI but missing: {why}")
    pytest.skip(why)


@pytest.fixture(autouse=True)
def _fem_mesh_cache(tmp_path_factory, monkeypatch):
    """FEM meshes (solver.magnet.fem) go to the session's temporary directory, not ~/.cache."""
    monkeypatch.setenv("CRYOGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "fem-cache"))
