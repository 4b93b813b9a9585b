"""Jupyter server extension of the hub's single-user servers: Voilà (its server extension,
``/user/<name>/voila/render/...``) serves the CryoGen app as ``make run`` does.

- The ``cryogen`` page template (lab without CDN links) and no MathJax URL or
  configuration (Voilà's server extension would otherwise point the page at cdnjs;
  standalone Voilà, ``make run``, leaves both unset): the page asks nothing of any host
  but the hub.
- The ``_xsrf`` cookie is set when the page is served (:func:`cryogen_widgets.serve.set_xsrf_cookie`),
  so the page's unload beacon ``POST voila/api/shutdown/<kernel>``, which sends that
  cookie as its ``_xsrf`` field, is accepted and a closed tab frees its kernel at once
  (voila-dashboards/voila#1458). XSRF checking stays on for every request.

The spawner enables it by module name (``--ServerApp.jpserver_extensions=
cryogen_widgets.voila_extension=True``), so the same argument works wherever the package
is installed: a local spawner's environment or a Kubernetes single-user image.
"""

from __future__ import annotations

import os

from cryogen_widgets.serve import jupyter_path_with_template, set_xsrf_cookie

TEMPLATE = "cryogen"
"""The Voilà page template in ``serve_config/jupyter/voila/templates``."""


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "cryogen_widgets.voila_extension"}]


def _link_jupyter_server_extension(server_app) -> None:
    """Configure Voilà. Every extension is linked before any is loaded, so Voilà's server
    extension reads this configuration when it loads."""
    voila = server_app.config.VoilaConfiguration
    voila.prelaunch_hook = set_xsrf_cookie
    voila.template = TEMPLATE
    # Voilà finds page templates on the Jupyter data path (read when it loads).
    os.environ["JUPYTER_PATH"] = jupyter_path_with_template(os.environ.get("JUPYTER_PATH", ""))


def _load_jupyter_server_extension(server_app) -> None:
    # Read by Voilà for each page; only when both are unset does the page use the MathJax
    # bundled with it instead of loading MathJax from cdnjs.
    for setting in ("mathjax_url", "mathjax_config"):
        server_app.web_app.settings.setdefault(setting, None)
    server_app.log.info("CryoGen: Voilà serves the %r template with its _xsrf cookie", TEMPLATE)
