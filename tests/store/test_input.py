"""Text the store refuses at its API on both backends, in-process and through the service
(issue 13 item 2): a NUL character (PostgreSQL raised a raw ``DataError``, SQLite stored
it) and a name longer than its column (PostgreSQL ``DataError``; SQLite stored it whole);
and database URLs that cannot be used, each a one-line error with the contract's exit
status."""

from __future__ import annotations

import contextlib
import io

import pytest

import cryogen_widgets.store as store_api
from cryogen_widgets.cli import main
from cryogen_widgets.store._errors import StoreInputError, StoreUnavailableError
from tests.store.designs import chain_design

NUL = "a\x00b"
TOO_LONG = "p" * 301  # Project.name is String(300); user and organisation names 200


@pytest.fixture
def alice(open_store):
    return open_store("alice")


CALLS = {
    "project name with NUL": (lambda s: s.projects.create(NUL, chain_design()), "NUL"),
    "project name too long": (
        lambda s: s.projects.create(TOO_LONG, chain_design()),
        "301 characters long; at most 300",
    ),
    "fork name too long": (
        lambda s: s.projects.fork(s.projects.create("p", chain_design()).id, TOO_LONG),
        "at most 300",
    ),
    "project id with NUL": (lambda s: s.projects.load(NUL), "NUL"),
    "save note with NUL": (
        lambda s: s.projects.save(
            s.projects.create("p", chain_design()).id, chain_design(), 1, note=NUL
        ),
        "NUL",
    ),
    "share with a user with NUL": (
        lambda s: s.projects.share(s.projects.create("p", chain_design()).id, with_user=NUL),
        "NUL",
    ),
    "organisation name too long": (lambda s: s.organizations.create("o" * 201), "at most 200"),
    "organisation name with NUL": (lambda s: s.organizations.role_history(NUL), "NUL"),
    "search maker with NUL": (lambda s: s.components.search("pt", maker=NUL), "NUL"),
}


@pytest.mark.parametrize("call", CALLS)
def test_bad_text_is_a_store_input_error_naming_the_field(alice, call):
    action, words = CALLS[call]
    with pytest.raises(StoreInputError, match=words) as caught:
        action(alice)
    assert caught.value.exit_code == 2
    assert "DataError" not in str(caught.value) and "psycopg" not in str(caught.value)


def test_a_user_name_with_nul_or_too_long_is_refused(db_url):
    for name, words in (("x\x00", "NUL"), ("u" * 201, "at most 200")):
        with pytest.raises(StoreInputError, match=words):
            store_api.open(db_url, user=name)


def run(argv) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


@pytest.mark.parametrize(
    "url, code, words",
    [
        ("nonsense", 2, "cannot be read"),
        ("foo://x/y", 2, "names the driver 'foo'"),
        ("mysql://u:secret@h/db", 2, "use sqlite or postgresql"),
        ("postgresql://u:secret@127.0.0.1:1/db", 3, "cannot open the database"),
    ],
)
def test_a_bad_or_unreachable_database_url_is_one_line_with_the_contract_exit(url, code, words):
    got, err = run(["components", "search", "pt", "--db", url])
    assert got == code and words in err, err
    assert "Traceback" not in err and "secret" not in err and len(err.strip().splitlines()) == 1
    with pytest.raises(StoreInputError if code == 2 else StoreUnavailableError):
        store_api.open(url, user="alice")
