"""The Voilà dashboard server (issue 13 item 9): a cap on concurrent kernels, and no
traceback in the page: the user sees an error id, the server log has the traceback."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import nbformat
import pytest

from cryogen_widgets.serve import app_environment, voila_command
from tests.browser.test_app_browser import _free_port

pytestmark = pytest.mark.slow


JAR = CookieJar()
OPENER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(JAR))
"""A client that keeps cookies (the ``_xsrf`` cookie the page sets), as a browser does."""


def _get(url: str, timeout: float = 120, data: bytes | None = None) -> tuple[int, str]:
    try:
        with OPENER.open(url, data=data, timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def test_kernel_cap_and_no_traceback_in_the_page(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("print('dashboard up')"),
        nbformat.v4.new_code_cell("secret_variable = 42\n1 / 0"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "app.ipynb"
    nbformat.write(nb, str(path))
    port = _free_port()
    log_path = tmp_path / "voila.log"
    env = app_environment(tmp_path / "store.sqlite")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            voila_command("127.0.0.1", port, path, max_kernels=1),
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        # the server at rest: its one kernel (the cap) waits preheated in Voilà's pool
        while "is filled with" not in log_path.read_text():
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        status, page = _get(url)
        assert status == 200
        assert "dashboard up" in page
        assert "ZeroDivisionError" not in page and "Traceback" not in page
        assert "secret_variable" not in page
        logged = re.search(r"CryoGen error ([0-9a-f]{8}):", log_path.read_text())
        assert logged, log_path.read_text()[-3000:]
        error_id = logged.group(1)  # Voilà embeds outputs as escaped JSON: find the id
        assert f"error \\u003ccode\\u003e{error_id}" in page or f"<code>{error_id}" in page
        status, page = _get(url)  # the first kernel still runs: the cap is 1, no refill
        assert status == 503, page[:500]
        status, page = _get(url)  # the pool stays empty: a kernel per page, refused too
        assert status == 503, page[:500]
        # closing the first page (its unload beacon, with the _xsrf cookie the page set)
        # frees the slot, and the pool is refilled for the next page
        kernel = re.search(r"Using pre-heated kernel: ([0-9a-f-]{36})", log_path.read_text())
        assert kernel, log_path.read_text()[-3000:]
        xsrf = next(c.value for c in JAR if c.name == "_xsrf")
        beacon = urlencode({"_xsrf": xsrf}).encode()
        status, _ = _get(f"{url}voila/api/shutdown/{kernel.group(1)}", data=beacon)
        assert status == 204
        while log_path.read_text().count("Kernel started") < 2:  # the first, then the refill
            assert time.monotonic() < deadline + 120, log_path.read_text()[-3000:]
            time.sleep(0.5)
        status, page = _get(url)
        assert status == 200 and "dashboard up" in page
        assert log_path.read_text().count("Using pre-heated kernel") == 2
        time.sleep(1)
        log = log_path.read_text()
        assert "ZeroDivisionError" in log
        assert "refused a new kernel" in log
    finally:
        proc.terminate()
        proc.wait(timeout=30)
