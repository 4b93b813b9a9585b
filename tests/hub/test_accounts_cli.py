"""``python -m hub_config.accounts``: plans and dashboard flags set from the hub machine."""

from __future__ import annotations

import pytest

from cryogen_widgets.store._engine import dispose_engines
from hub_config.accounts import main


@pytest.fixture
def db(tmp_path):
    yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    dispose_engines()


def test_set_plan_dashboard_and_show(db, capsys):
    assert main(["--db", db, "set-plan", "alice", "enterprise"]) == 0
    assert main(["--db", db, "dashboard", "alice", "on"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "show", "alice"]) == 0
    assert capsys.readouterr().out == (
        "alice: plan enterprise, subscription none, dashboard on, Stripe customer -\n"
    )


def test_errors_name_the_problem(db, capsys):
    assert main(["--db", db, "set-plan", "alice", "platinum"]) == 2
    assert "unknown plan 'platinum'" in capsys.readouterr().err
    assert main(["--db", db, "show", "nobody"]) == 1
    assert "no user named 'nobody'" in capsys.readouterr().err
