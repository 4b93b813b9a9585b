"""Run a report template with papermill, headless, in a kernel of this Python."""

from __future__ import annotations

import sys
from pathlib import Path

from cryogen_templates import REPORTS_DIR
from solver import design as design_io
from solver.errors import CryoGenError, DesignError, SolverError

TEMPLATES = {
    "steady": "heat_load.ipynb",
    "cooldown": "cooldown.ipynb",
    "field": "magnet.ipynb",
}
"""Report kind (an analysis name, ``solver.jobs.ANALYSES``) -> template in ``templates/reports``."""

KERNEL_NAME = "cryogen-python3"
"""Kernel spec registered for this interpreter when the ``python3`` spec runs another one."""


class ReportError(CryoGenError):
    """A report could not be produced; names the failing cell and its error.

    Exit status (DESIGN.md, CLI contract): 2 when the cell raised a CryoGen design
    error, otherwise 3 (the report could not be computed: a solver error, any other
    error of a cell, a kernel that died or timed out, a PDF that could not be printed).
    """

    def __init__(self, message: str, exit_code: int = SolverError.exit_code):
        super().__init__(message)
        self.exit_code = exit_code


def choose_kind(design: dict) -> str:
    """``field`` when the design has a magnet component, otherwise ``steady``."""
    return "field" if any(c["type"] == "magnet" for c in design["components"]) else "steady"


def template_path(kind: str) -> Path:
    """The template notebook of a report kind."""
    if kind not in TEMPLATES:
        raise DesignError(
            f"report kind {kind!r} is not known; choose one of {', '.join(TEMPLATES)}"
        )
    return REPORTS_DIR / TEMPLATES[kind]


def check_parameters(template: Path, parameters: dict) -> None:
    """DesignError unless every parameter is one the template declares, with a finite
    number, a string, a boolean or null as its value."""
    import math

    import papermill

    known = [n for n in papermill.inspect_notebook(str(template)) if n != "design_path"]
    for name, value in parameters.items():
        if name not in known:
            raise DesignError(
                f"report parameter {name!r} is not one of {template.name}'s: "
                f"{', '.join(known) or 'none'}"
            )
        finite = not isinstance(value, float) or math.isfinite(value)
        if not (value is None or isinstance(value, bool | int | float | str)) or not finite:
            raise DesignError(
                f"report parameter {name}={value!r}: give a finite number, a string, "
                "true/false or null"
            )


def kernel_name() -> str:
    """A kernel spec that runs ``sys.executable``.

    The ``python3`` spec of a virtual environment says ``python``, which
    jupyter_client replaces by its own interpreter; a ``python3`` spec pointing at
    another interpreter (e.g. a user-wide one) would run the report without CryoGen,
    so then a spec for this interpreter is registered in ``sys.prefix``.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    for name in ("python3", KERNEL_NAME):
        try:
            argv0 = manager.get_kernel_spec(name).argv[0]
        except NoSuchKernel:
            continue
        if (
            argv0 in ("python", "python3")
            or Path(argv0).resolve() == Path(sys.executable).resolve()
        ):
            return name
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="CryoGen (Python 3)", prefix=sys.prefix)
    return KERNEL_NAME


def execute(
    design_path: str | Path,
    output_ipynb: str | Path,
    kind: str | None = None,
    parameters: dict | None = None,
    timeout_s: float = 1800,
) -> Path:
    """Validate the design and run the report template on it.

    Parameters
    ----------
    design_path : path
        The ``*.cryo.json`` design.
    output_ipynb : path
        Where the executed notebook is written.
    kind : {"steady", "cooldown", "field"}, optional
        Default: :func:`choose_kind`.
    parameters : dict, optional
        Further template parameters (e.g. ``target_K`` of a cooldown report).
    timeout_s : float
        Longest time one cell may run, s.

    Raises
    ------
    DesignError
        The design is invalid (before any kernel starts).
    ReportError
        A cell failed: the message names the cell and the error; exit status 2 when
        the cell raised a CryoGen design error, else 3.
    """
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    design_path = Path(design_path).resolve()
    design = design_io.load(design_path).to_dict()
    template = template_path(kind or choose_kind(design))
    check_parameters(template, parameters or {})
    params = {"design_path": str(design_path), **(parameters or {})}
    try:
        papermill.execute_notebook(
            str(template),
            str(output_ipynb),
            parameters=params,
            kernel_name=kernel_name(),
            progress_bar=False,
            execution_timeout=timeout_s,
            cwd=str(design_path.parent),
        )
    except PapermillExecutionError as exc:
        code = DesignError.exit_code if exc.ename in _DESIGN_ERRORS else SolverError.exit_code
        raise ReportError(
            f"report {template.name}: cell {exc.exec_count or exc.cell_index} failed with "
            f"{exc.ename}: {exc.evalue}",
            exit_code=code,
        ) from None
    except (CellTimeoutError, DeadKernelError, NoSuchKernel, RuntimeError, TimeoutError) as exc:
        raise ReportError(
            f"report {template.name}: the kernel failed: {type(exc).__name__}: {exc}"
        ) from None
    return Path(output_ipynb)


_DESIGN_ERRORS = ("DesignError", "UnknownNameError", "PropertyRangeError")
