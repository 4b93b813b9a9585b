"""The app notebook in a preheated Voilà kernel (``make run``, :mod:`cryogen_widgets.serve`).

Voilà runs the notebook in a pooled kernel before anyone asks for the page, so what
the notebook computes is as old as the kernel. :func:`wait_for_page` marks the point
after which the notebook runs when the page is requested: the app refreshes there
what must be current (the project list of the store).
"""

from __future__ import annotations

import os


def wait_for_page() -> bool:
    """Block until a page request takes this kernel from Voilà's pool and return True;
    return False at once in any other kernel (Voilà without a pool, the hub's Voilà,
    JupyterLab), where the notebook runs when the page is opened."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return False
    from voila.utils import wait_for_request

    wait_for_request()
    return True
