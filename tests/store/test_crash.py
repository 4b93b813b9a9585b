"""A kernel killed (SIGKILL) in the middle of a save leaves the last good version intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, text

import cryogen_widgets.store as store_api
from tests.store.designs import chain_design

# The child saves versions 2, 3, ... of a project whose design records its own
# version in meta.note; while committing version ``KILL_AT`` it stops between the
# SQL writes and the COMMIT, tells the parent, and the parent kills it.
KILL_AT = 4
CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    import cryogen_widgets.store as store_api
    from tests.store.designs import chain_design

    url, project_id, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = store_api.open(url, user="alice")

    @event.listens_for(Session, "before_commit")
    def _pause(session):
        if pending[0] == kill_at:
            print("mid-write", flush=True)
            time.sleep(60)

    pending = [0]
    version = 1
    while True:
        pending[0] = version + 1
        design = chain_design(20, note=f"version {version + 1}")
        design["meta"]["payload"] = "x" * 200_000
        version = store.projects.save(project_id, design, version).version
        print(f"saved {version}", flush=True)
    """
)


def test_sigkill_mid_save_keeps_the_last_good_version(db_url):
    alice = store_api.open(db_url, user="alice")
    info = alice.projects.create("autosaved", chain_design(note="version 1"))
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, info.id, str(KILL_AT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    ) as child:
        try:
            lines = []
            for line in child.stdout:
                lines.append(line.strip())
                if line.strip() == "mid-write":
                    os.kill(child.pid, signal.SIGKILL)
                    break
        finally:
            child.kill()
            stderr = child.stderr.read()
    assert lines and lines[-1] == "mid-write", stderr
    assert lines[:-1] == [f"saved {v}" for v in range(2, KILL_AT)]

    store_api._engine.dispose_engines()
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        engine.dispose()
    reopened = store_api.open(db_url, user="alice")
    last_good = KILL_AT - 1
    loaded = reopened.projects.load(info.id)
    assert loaded.version == last_good
    assert loaded.design["meta"]["note"] == f"version {last_good}"
    assert len(loaded.design["meta"]["payload"]) == 200_000
    assert [h.version for h in reopened.projects.history(info.id)] == list(range(1, last_good + 1))
    for v in range(1, last_good + 1):
        assert reopened.projects.load(info.id, version=v).design["meta"]["note"] == f"version {v}"
    # The store keeps working after the crash.
    assert reopened.projects.save(info.id, chain_design(note="after"), last_good).version == KILL_AT


pytestmark = pytest.mark.slow
