"""``make run``: serve the CryoGen Voilà dashboard (notebooks/CryoGen.ipynb).

    python -m cryogen_widgets.serve --host 127.0.0.1 --port 8866

Voilà runs with an embedded SQLite project store (``--db``, default
``~/.cryogen/cryogen.sqlite``, passed to the kernels as ``CRYOGEN_DB_URL``), the
design templates of ``templates/designs`` in the gallery, and no browser opened.

The page opens on a kernel that has already run the app notebook: Voilà keeps
:data:`POOL_SIZE` preheated kernels (``VoilaConfiguration.preheat_kernel``), hands one
to the next page request, and starts its replacement. What must reflect the moment the
page is opened runs after :func:`cryogen_widgets.preheat.wait_for_page` in the notebook
(the project list); everything else (imports, the widget tree, the templates) is ready
before the request.

Closing or reloading a tab shuts its kernel: Voilà's page posts
``/voila/api/shutdown/<kernel>`` from its unload handler with the ``_xsrf`` cookie as
a form field, but Voilà never sets that cookie, so the request was refused (403,
"'_xsrf' argument missing", voila-dashboards/voila#1458). :class:`PageSetsXsrfCookie`,
the server's identity provider (``serve_config/voila.py``), sets it when the page is
served (Voilà refuses a prelaunch hook together with preheated kernels); XSRF checking
stays on for every request. Idle kernels are still culled as a backstop; a kernel
waiting in the pool is never culled.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from jupyter_server.auth.identity import PasswordIdentityProvider

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.voila_limits import DEFAULT_MAX_KERNELS

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "CryoGen.ipynb"
CONFIG_DIR = Path(__file__).resolve().parent / "serve_config"
JUPYTER_DATA = CONFIG_DIR / "jupyter"
"""Jupyter data folder with the ``cryogen`` Voilà page template (lab without CDN links)."""
DEFAULT_DB = Path.home() / ".cryogen" / "cryogen.sqlite"
CULL_IDLE_TIMEOUT_S = 600
CULL_INTERVAL_S = 60
POOL_SIZE = 1
"""Preheated kernels kept waiting for the next page (each ~300 MB; they count towards
``max_kernels``)."""
KERNEL_MANAGER = "cryogen_widgets.voila_limits.CappedKernelManager"
KERNEL_CONFIG = 'c.InteractiveShellApp.extensions = ["cryogen_widgets.voila_limits"]\n'
"""IPython kernel configuration of the dashboard kernels."""


def voila_command(
    host: str,
    port: int,
    notebook: Path = NOTEBOOK,
    *,
    cull_idle_timeout_s: int = CULL_IDLE_TIMEOUT_S,
    cull_interval_s: int = CULL_INTERVAL_S,
    max_kernels: int = DEFAULT_MAX_KERNELS,
    pool_size: int = POOL_SIZE,
) -> list[str]:
    """The ``voila`` command line that serves the app: ``pool_size`` preheated kernels
    (none: a kernel starts with each page request), at most ``max_kernels`` kernels,
    no traceback in the page (:mod:`cryogen_widgets.voila_limits`)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--template=cryogen",  # lab without CDN links (serve_config/jupyter)
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaExecutor.cell_error_instruction=The error is in the server log.",
        "--VoilaExecutor.allow_errors=True",  # the page keeps the error id, not the cell source
        f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout_s}",
        f"--MappingKernelManager.cull_interval={cull_interval_s}",
        "--MappingKernelManager.cull_connected=False",
        f"--Voila.config_file_paths={CONFIG_DIR}",
        f"--VoilaConfiguration.preheat_kernel={pool_size > 0}",
        f"--VoilaConfiguration.default_pool_size={pool_size}",
    ]


def set_xsrf_cookie(handler, notebook, cwd):
    """Voilà prelaunch hook (the hub's Voilà, :mod:`cryogen_widgets.voila_extension`):
    reading tornado's ``xsrf_token`` sets the ``_xsrf`` cookie on the page response, so
    the page's unload beacon can shut its kernel down."""
    handler.xsrf_token  # noqa: B018 - the property sets the cookie as a side effect
    return notebook


class PageSetsXsrfCookie(PasswordIdentityProvider):
    """Voilà's default identity provider that also sets the ``_xsrf`` cookie on every page
    response, as :func:`set_xsrf_cookie` does; ``make run`` needs it because Voilà refuses
    a prelaunch hook when kernels are preheated. Asked for the user of every request,
    before the handler runs."""

    async def get_user(self, handler):
        from voila.handler import VoilaHandler

        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if isinstance(handler, VoilaHandler):
            handler.current_user = user  # what the handler sets next; the token depends on it
            handler.xsrf_token  # noqa: B018 - the property sets the cookie as a side effect
        return user


def app_environment(db: Path, base: dict | None = None) -> dict[str, str]:
    """Environment of the Voilà server and its kernels: the store URL, the export folder,
    and an IPython profile that loads :mod:`cryogen_widgets.voila_limits` into every
    kernel (error ids in place of tracebacks)."""
    env = dict(os.environ if base is None else base)
    db.parent.mkdir(parents=True, exist_ok=True)
    env["CRYOGEN_DB_URL"] = f"sqlite:///{db.resolve()}"
    env.setdefault("CRYOGEN_EXPORT_DIR", str(db.resolve().parent / "exports"))
    profile = db.resolve().parent / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG)
    env["IPYTHONDIR"] = str(profile.parent)
    env["JUPYTER_PATH"] = jupyter_path_with_template(env.get("JUPYTER_PATH", ""))
    return env


def jupyter_path_with_template(jupyter_path: str) -> str:
    """``JUPYTER_PATH`` with :data:`JUPYTER_DATA` first, where Voilà finds the ``cryogen``
    page template."""
    return os.pathsep.join(p for p in (str(JUPYTER_DATA), jupyter_path) if p)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cryogen_widgets.serve", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help="SQLite file of the project store"
    )
    parser.add_argument(
        "--cull-idle-timeout",
        type=int,
        default=CULL_IDLE_TIMEOUT_S,
        help="seconds before an idle kernel is shut down",
    )
    parser.add_argument("--cull-interval", type=int, default=CULL_INTERVAL_S)
    parser.add_argument(
        "--max-kernels",
        type=int,
        default=DEFAULT_MAX_KERNELS,
        help="most dashboard kernels at once; a further page load gets HTTP 503",
    )
    parser.add_argument(
        "--pool-size",
        type=int,
        default=POOL_SIZE,
        help="preheated kernels waiting for the next page (0: start one per page)",
    )
    args = parser.parse_args(argv)
    if not NOTEBOOK.exists():
        print(f"error: the app notebook {NOTEBOOK} is missing", file=sys.stderr)
        return 2
    templates = sorted(Path(DESIGNS_DIR).glob("*.cryo.json"))
    env = app_environment(args.db)
    # where a preheated kernel asks Voilà for its page request (voila.utils.wait_for_request)
    env["VOILA_APP_IP"] = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    cmd = voila_command(
        args.host,
        args.port,
        cull_idle_timeout_s=args.cull_idle_timeout,
        cull_interval_s=args.cull_interval,
        max_kernels=args.max_kernels,
        pool_size=args.pool_size,
    )
    print(
        f"CryoGen on http://{args.host}:{args.port}/ (store {env['CRYOGEN_DB_URL']}, "
        f"{len(templates)} templates)",
        flush=True,
    )
    os.execve(sys.executable, cmd, env)
    return 0  # not reached: execve replaces this process


if __name__ == "__main__":
    sys.exit(main())
