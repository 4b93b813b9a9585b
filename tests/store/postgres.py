"""A throw-away PostgreSQL server for tests: initdb + pg_ctl in a temp dir on 127.0.0.1.

As root (CI), the server runs as the ``postgres`` system user through ``runuser``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def postgres_bin_dir() -> Path | None:
    """Debian's /usr/lib/postgresql/<ver>/bin (newest), else the directory of ``pg_ctl`` on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """``password``: require it (scram-sha-256) for every connection instead of trusting
    local ones, e.g. when code under test must not be able to connect without it."""

    def __init__(self, bin_dir: Path, password: str | None = None):
        self.bin_dir = bin_dir
        self.password = password
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cryogen-pg-"))
        self.data = self.dir / "data"
        self._as_root = os.geteuid() == 0
        if self._as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)

    def _admin(self) -> str:
        secret = f" password={self.password}" if self.password else ""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres{secret}"

    def _login(self, user: str, password: str | None) -> str:
        return f"{user}:{password}@" if password else f"{user}@"

    def start(self) -> None:
        auth = ["-A", "trust"]
        if self.password:
            pwfile = self.dir / "pw"
            pwfile.write_text(self.password)
            if self._as_root:
                pw = pwd.getpwnam("postgres")
                os.chown(pwfile, pw.pw_uid, pw.pw_gid)
            auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
        self._run("initdb", "-D", str(self.data), *auth, "-U", "postgres", "--no-sync")
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start"
        )

    def stop(self) -> None:
        pid_file = self.data / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if postmaster is None:
                raise
            with contextlib.suppress(ProcessLookupError):
                os.kill(postmaster, signal.SIGKILL)  # the server this object started
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def service_url(self, db_url: str) -> str:
        """The URL of ``db_url`` (migrated) as the login role ``cryogen_svc``, a member of the
        row-level-security role ``cryogen_store_service`` that migration 0002 creates."""
        secret = f"svc-{self.password}" if self.password else None
        with psycopg.connect(self._admin(), autocommit=True) as conn:
            conn.execute(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cryogen_svc') "
                "THEN CREATE ROLE cryogen_svc LOGIN IN ROLE cryogen_store_service; END IF; END $$"
            )
            if secret:
                conn.execute(f"ALTER ROLE cryogen_svc PASSWORD '{secret}'")
        return db_url.replace(
            f"://{self._login('postgres', self.password)}",
            f"://{self._login('cryogen_svc', secret)}",
            1,
        )

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self._admin(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        login = self._login("postgres", self.password)
        return f"postgresql+psycopg://{login}127.0.0.1:{self.port}/{name}"
