"""Limits of the Voilà dashboard server: a cap on concurrent kernels, and tracebacks kept
off the page (logged on the server under an id the user is shown instead).

Voilà starts a kernel for every page load and shows a cell's traceback in the page
when ``show_tracebacks`` is on. :class:`CappedKernelManager` refuses the page load
that would exceed ``max_kernels`` (HTTP 503, say what to do); the IPython extension
in this module (loaded into every dashboard kernel, see ``serve.py``) replaces the
kernel's traceback display by a one-line message with an error id, and writes the
traceback with that id to the kernel's standard error, which is the server's log.
"""

from __future__ import annotations

import secrets
import sys
import traceback

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

DEFAULT_MAX_KERNELS = 8
"""Concurrent dashboard kernels per server (each holds the solver, ~250 MB)."""


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that runs at most ``max_kernels`` kernels at a time."""

    max_kernels = Integer(
        DEFAULT_MAX_KERNELS, config=True, help="Most kernels running (or starting) at once."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting = 0

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") in self:  # a reconnection, not a new kernel
            return await super().start_kernel(*args, **kwargs)
        busy = len(self.list_kernel_ids()) + self._starting
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True":
            # a refill of Voilà's pool: refused once the pages' kernels reach the cap, so
            # the next page gets the 503 instead of a kernel beyond it
            busy -= self._pooled()
        if busy >= self.max_kernels:
            self.log.warning("CryoGen: refused a new kernel, %d already run", self.max_kernels)
            raise web.HTTPError(
                503,
                reason=f"this server already runs its {self.max_kernels} dashboard sessions; "
                "close an open CryoGen tab or try again in a few minutes",
            )
        self._starting += 1  # counted before the first await: page loads race here
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
        self._refill_pools()

    def _pooled(self) -> int:
        """Kernels waiting in Voilà's pool for a page (none without preheating)."""
        waiting = {
            task.result()["kernel_id"]
            for pool in getattr(self, "_pools", {}).values()
            for task in pool
            if task.done() and not task.cancelled() and task.exception() is None
        }
        return len(waiting & set(self.list_kernel_ids()))

    def _refill_pools(self) -> None:
        """With preheated kernels (Voilà wraps this class, ``serve.py``), a pool whose refill
        was refused at the cap holds a failed start: the next page gets the 503, and Voilà
        would never refill that pool again. A freed slot drops such failed starts and
        refills the pool."""
        pools = getattr(self, "_pools", None)  # Voilà's pools (voila 0.5 VoilaKernelManager)
        if not pools:
            return
        for notebook, pool in pools.items():
            pool[:] = [t for t in pool if not (t.done() and (t.cancelled() or t.exception()))]
            self.fill_if_needed(notebook_name=notebook)


def load_ipython_extension(shell) -> None:
    """Show an error id instead of a traceback; the traceback goes to the server log."""

    def showtraceback(*_args, **_kwargs) -> None:
        error_id = secrets.token_hex(4)
        kind, value, tb = sys.exc_info()
        text = "".join(traceback.format_exception(kind, value, tb))
        print(f"CryoGen error {error_id}:\n{text}", file=sys.__stderr__, flush=True)
        from IPython.display import HTML, display

        display(
            HTML(
                "<div class='cryogen-error' style='color:#d62728'>Something went wrong "
                f"(error <code>{error_id}</code>). The details are in the server log; "
                "quote the error id when you report it.</div>"
            )
        )

    shell.showtraceback = showtraceback
