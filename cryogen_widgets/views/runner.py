"""Run toolbar: start an analysis in a thread, show progress, cancel; the widgets stay live.

The analyses are the solver's own functions; this module only calls them off the
kernel's main thread and hands the Dataset to a callback.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from html import escape

import ipywidgets as w
from IPython import get_ipython

from solver.errors import CryoGenError

Analysis = Callable[[dict, Callable[[float], None], Callable[[], bool]], object]


class RunPanel(w.VBox):
    """Buttons for each analysis, a progress bar, a cancel button and a status line.

    Parameters
    ----------
    analyses : dict
        Label -> ``fn(design_dict, progress, should_stop) -> result``.
    get_design : callable
        Returns the design dict to run.
    on_result : callable
        ``on_result(label, result, seconds)`` after a successful run, on the kernel's main thread.
    extra : list of widgets, optional
        Shown after the buttons (the analyses' settings).
    """

    def __init__(
        self,
        analyses: dict[str, Analysis],
        get_design: Callable[[], dict],
        on_result: Callable[[str, object, float], None],
        extra: list[w.Widget] | None = None,
    ) -> None:
        self.analyses = analyses
        self.get_design = get_design
        self.on_result = on_result
        self.buttons = {}
        for label in analyses:
            b = w.Button(
                description=label,
                icon="play",
                button_style="primary",
                layout=w.Layout(width="auto"),
            )
            b.on_click(lambda _, label=label: self.run(label))
            self.buttons[label] = b
        self.progress = w.FloatProgress(value=0.0, min=0.0, max=1.0, layout=w.Layout(width="160px"))
        self.cancel_button = w.Button(
            description="Cancel", icon="stop", disabled=True, layout=w.Layout(width="auto")
        )
        self.cancel_button.on_click(lambda _: self.cancel())
        # a fixed-height line: a long message scrolls inside it instead of pushing the tabs down
        self.status = w.HTML(
            value="<i>ready</i>",
            layout=w.Layout(height="42px", overflow="auto", width="100%"),
        )
        self.status.add_class("cryogen-run-status")
        self.thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._pending: tuple | None = None
        self._pending_lock = threading.Lock()
        self.last_error: str | None = None
        row = w.HBox(
            [*self.buttons.values(), self.progress, self.cancel_button, *(extra or [])],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        super().__init__([row, self.status])

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def run(self, label: str) -> None:
        if self.running:
            return
        design = self.get_design()
        self._stop.clear()
        self._done.clear()
        self.last_error = None
        self._busy(True)
        self.progress.value = 0.0
        self.progress.bar_style = "info"
        self.status.value = f"running {escape(label)}…"
        self.thread = threading.Thread(
            target=self._work, args=(label, design), daemon=True, name=f"cryogen-{label}"
        )
        self.thread.start()

    def reset(self, message: str = "ready") -> None:
        """Back to the idle state with ``message`` (another design was opened)."""
        self.progress.value = 0.0
        self.progress.bar_style = ""
        self.status.value = f"<i>{escape(message)}</i>"
        self.last_error = None

    def cancel(self) -> None:
        self._stop.set()
        self.status.value = "cancelling…"

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running analysis has ended and its result is shown (tests, scripts).

        Called from a notebook cell, the kernel's event loop is busy with the cell, so the
        result is shown here instead of waiting for the loop.
        """
        if self.thread is not None:
            self.thread.join(timeout)
        self._complete_pending()
        self._done.wait(timeout)

    def _work(self, label: str, design: dict) -> None:
        """Worker thread: solve, then hand the result to the kernel's main thread."""
        t0 = time.perf_counter()
        try:
            result = self.analyses[label](design, self._progress, self._stop.is_set)
            if self._stop.is_set():
                raise CryoGenError("cancelled")
        except CryoGenError as exc:
            self._finish(self._fail, label, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug must reach the user, not vanish in a thread
            traceback.print_exc()
            self._finish(self._fail, label, f"internal error {type(exc).__name__}: {exc}")
        else:
            self._finish(self._succeed, label, result, time.perf_counter() - t0)

    def _finish(self, fn, *args) -> None:
        """Run ``fn`` on the kernel's event loop (where the widgets are drawn), or here without a kernel."""
        with self._pending_lock:
            self._pending = (fn, args)
        shell = get_ipython()
        loop = getattr(getattr(shell, "kernel", None), "io_loop", None)
        if loop is None:
            self._complete_pending()
        else:
            loop.add_callback(self._complete_pending)

    def _complete_pending(self) -> None:
        with self._pending_lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            self._complete(*pending)

    def _complete(self, fn, args) -> None:
        try:
            fn(*args)
        except CryoGenError as exc:  # the result was refused (e.g. another design opened)
            self._fail(args[0], str(exc))
        except Exception as exc:  # noqa: BLE001 - drawing a result failed: say so, keep the app alive
            traceback.print_exc()
            self._fail(args[0], f"internal error {type(exc).__name__}: {exc}")
        finally:
            self._busy(False)
            self._done.set()

    def _succeed(self, label: str, result, seconds: float) -> None:
        self.progress.value = 1.0
        self.progress.bar_style = "success"
        self.status.value = (
            f"<span style='color:#2ca02c'>{escape(label)} done in {seconds:.2f} s</span>"
        )
        self.on_result(label, result, seconds)

    def _fail(self, label: str, message: str) -> None:
        self.last_error = message
        self.progress.bar_style = "danger" if message != "cancelled" else "warning"
        self.status.value = f"<span style='color:#d62728'>{escape(label)}: {escape(message)}</span>"

    def _progress(self, fraction: float) -> None:
        value = max(0.0, min(1.0, float(fraction)))
        if abs(value - self.progress.value) >= 0.01 or value >= 1.0:  # spare the comm channel
            self.progress.value = value

    def _busy(self, busy: bool) -> None:
        for b in self.buttons.values():
            b.disabled = busy
        self.cancel_button.disabled = not busy
