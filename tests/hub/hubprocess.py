"""Start a real JupyterHub (dummy authenticator, local spawner, configurable-http-proxy) on
127.0.0.1 with free ports, sign users in over HTTP, and stop everything afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import requests
import websocket

from tests.store.postgres import free_port

REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = REPO / "hub_config" / "jupyterhub_config.py"
DEBIAN_PYTHON = Path("/usr/bin/python3.11")


def _public_python(public: Path) -> Path:
    """A virtual environment every user may run: Debian's Python 3.11 with this venv's
    packages and Jupyter files (its own interpreter may sit under a private home, e.g. a
    pyenv build in /root)."""
    real = Path(sys.prefix)
    venv = public / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "lib" / "python3.11").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(DEBIAN_PYTHON)
    (venv / "lib" / "python3.11" / "site-packages").symlink_to(
        real / "lib" / "python3.11" / "site-packages"
    )
    for data in ("share", "etc"):  # Jupyter data and server-extension config
        (venv / data).symlink_to(real / data)
    (venv / "pyvenv.cfg").write_text(f"home = {DEBIAN_PYTHON.parent}\n")
    return venv / "bin" / "python"


@contextlib.contextmanager
def isolated_users() -> Iterator[dict[str, str]]:
    """The hub settings of this run's system users (homes, numba cache and the servers'
    Python in a folder every user may traverse; pytest's own temporary folders are 0700),
    yielded as environment; afterwards the users, their cgroups and the folder are removed."""
    from hub_config.cgroups import detect
    from tests.conftest import require

    require(shutil.which("useradd") is not None and os.geteuid() == 0, "root and useradd")
    require(
        sys.version_info[:2] == (3, 11) and DEBIAN_PYTHON.exists(),
        "Debian's python3.11 (for servers of users that cannot run this Python)",
    )
    public = Path(tempfile.mkdtemp(prefix="cryogen-hubtest-"))
    public.chmod(0o755)
    prefix = f"cgt{uuid.uuid4().hex[:6]}-"  # this run's system users, removed afterwards
    try:
        yield {
            "CRYOGEN_HUB_HOME_ROOT": str(public / "home"),
            "CRYOGEN_HUB_USER_PREFIX": prefix,
            "CRYOGEN_NUMBA_CACHE_DIR": str(public / "numba"),
            "CRYOGEN_SINGLEUSER_PYTHON": str(_public_python(public)),
        }
    finally:
        limits, _ = detect()
        for account in pwd.getpwall():
            if account.pw_name.startswith(prefix):
                if limits is not None:  # a server the stopping hub was killed before
                    limits.remove(account.pw_name)
                subprocess.run(["userdel", "--remove", account.pw_name], check=True)
        shutil.rmtree(public, ignore_errors=True)


class Hub:
    def __init__(self, data_dir: Path, extra_env: dict[str, str]):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CRYOGEN_AUTHENTICATOR": "dummy",
            "CRYOGEN_DUMMY_PASSWORD": "cryo-test",
            "CRYOGEN_HUB_DATA_DIR": str(data_dir),
            "CRYOGEN_HUB_PORT": str(self.port),
            "CRYOGEN_HUB_API_PORT": str(free_port()),
            "CRYOGEN_PROXY_API_PORT": str(free_port()),
            "CRYOGEN_BILLING_PORT": str(free_port()),
            "CRYOGEN_STORE_PORT": str(free_port()),
            "CRYOGEN_PUBLIC_URL": self.url,
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            **extra_env,
        }
        self.log_path = data_dir / "hub.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 180) -> None:
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)],
            cwd=self.data_dir,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/hub/health", timeout=2).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or busy starting (the numba prewarm runs beside it)
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer in {timeout_s} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text()[-6000:]

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops its servers and its proxy
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything of this hub's session left over
        self.proc.wait(timeout=10)
        self._log.close()

    def login(self, name: str) -> requests.Session:
        """Sign in through the login form, as a browser does."""
        session = requests.Session()
        page = session.get(f"{self.url}/hub/login", timeout=10)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        reply = session.post(
            f"{self.url}/hub/login?next=",
            data={"username": name, "password": "cryo-test", "_xsrf": xsrf},
            allow_redirects=False,
            timeout=10,
        )
        assert reply.status_code == 302, reply.text
        return session

    def spawn(self, session: requests.Session, name: str, timeout_s: float = 40) -> None:
        """Open the user's server (the hub spawns it) and wait until it answers."""
        session.get(f"{self.url}/hub/spawn/{name}", timeout=30)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            model = session.get(f"{self.url}/hub/api/user", timeout=10).json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{name}'s server did not start in {timeout_s} s:\n{self.log()}")

    def token(
        self,
        session: requests.Session,
        name: str,
        expires_in: int = 600,
        scopes: list[str] | None = None,
    ) -> str:
        """A new API token of ``name`` valid for ``expires_in`` seconds (with only ``scopes``
        when given, else all of the user's)."""
        xsrf = session.cookies.get("_xsrf", path="/hub/")
        body: dict = {"note": "test", "expires_in": expires_in}
        if scopes is not None:
            body["scopes"] = scopes
        reply = session.post(
            f"{self.url}/hub/api/users/{name}/tokens",
            json=body,
            headers={"X-XSRFToken": xsrf},
            timeout=10,
        )
        assert reply.status_code == 201, reply.text
        return reply.json()["token"]

    def kernels(self, name: str, token: str) -> list[str]:
        """Ids of the kernels running in the user's server (its ``/api/kernels``)."""
        reply = requests.get(
            f"{self.url}/user/{name}/api/kernels",
            headers={"Authorization": f"token {token}"},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        return [kernel["id"] for kernel in reply.json()]

    def run_in_kernel(self, name: str, token: str, code: str, timeout_s: float = 30) -> str:
        """Start a kernel in the user's server, run ``code`` and return its stdout."""
        headers = {"Authorization": f"token {token}"}
        base = f"{self.url}/user/{name}/api/kernels"
        kernel = requests.post(base, json={"name": "python3"}, headers=headers, timeout=30)
        assert kernel.status_code == 201, kernel.text
        kernel_id = kernel.json()["id"]
        try:
            return self.execute(name, token, kernel_id, code, timeout_s)
        finally:
            requests.delete(f"{base}/{kernel_id}", headers=headers, timeout=10)

    def execute(
        self, name: str, token: str, kernel_id: str, code: str, timeout_s: float = 30
    ) -> str:
        """Run ``code`` in a running kernel of the user's server and return its stdout."""
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/user/{name}/api/kernels/{kernel_id}/channels",
            header=[f"Authorization: token {token}"],
            timeout=timeout_s,
        )
        try:
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "username": name,
                            "session": uuid.uuid4().hex,
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "content": {
                            "code": code,
                            "silent": False,
                            "store_history": False,
                            "user_expressions": {},
                            "allow_stdin": False,
                        },
                    }
                )
            )
            out: list[str] = []
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    raise RuntimeError("\n".join(msg["content"]["traceback"]))
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(out)
            raise RuntimeError("the kernel did not finish in time")
        finally:
            ws.close()
