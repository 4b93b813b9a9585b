"""The physics stays importable without Jupyter (DESIGN.md: arrows point one way)."""

import subprocess
import sys


def _assert_python_succeeds(code: str) -> None:
    """Run ``code`` in a fresh interpreter (nothing imported yet) and require exit status 0."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_solver_does_not_import_widgets_or_app():
    code = (
        "import sys, solver, solver.cli;"
        "bad = [m for m in ('ipywidgets', 'cryogen_widgets', 'sqlalchemy', 'IPython') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    _assert_python_succeeds(code)


def test_import_solver_and_the_design_model_load_no_physics():
    # the app's first screen and the hub's store service need the design model, not the
    # material fits, the magnet code, the catalog or the solvers' libraries (PEP 562)
    code = (
        "import sys, solver;"
        "before = [m for m in sys.modules if m.startswith('solver.') and m != 'solver.errors'"
        " and not m.startswith('solver._')];"
        "import solver.design;"
        "heavy = [m for m in ('solver.materials', 'solver.magnet', 'solver.catalog._library',"
        " 'solver.thermal.grid', 'scipy', 'xarray', 'numba') if m in sys.modules];"
        "from solver import catalog, magnet;"
        "lazy = catalog.get('shi-rdk-408d2').id == 'shi-rdk-408d2' and solver.magnet is magnet;"
        "print(before, heavy, lazy); sys.exit(0 if not before and not heavy and lazy else 1)"
    )
    _assert_python_succeeds(code)


def test_the_app_module_loads_no_solver_libraries():
    # the first screen needs the design model only; xarray, scipy and numba load with the
    # first run (a module-level import in a view put 1 s back onto the page open)
    code = (
        "import sys, cryogen_widgets.app;"
        "heavy = [m for m in ('scipy', 'xarray', 'numba', 'solver.thermal.network') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    _assert_python_succeeds(code)
