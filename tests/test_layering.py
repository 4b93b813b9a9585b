"""The physics stays importable without Jupyter (DESIGN.md: arrows point one way)."""

import subprocess
import sys


def test_import_solver_does_not_import_widgets_or_app():
    code = (
        "import sys, solver, solver.cli;"
        "bad = [m for m in ('ipywidgets', 'cryogen_widgets', 'sqlalchemy', 'IPython') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
