"""Binder: a fresh environment built from binder/ alone installs CryoGen and runs the app.

Builds a virtual environment in a temporary folder, installs binder/requirements.txt
from the repository root (as repo2docker does; pip's configured wheel folder and cache
keep it quick), runs binder/postBuild, then executes the app notebook in that
environment and checks that Voila is enabled to serve it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
APP_NOTEBOOK = ROOT / "notebooks" / "CryoGen.ipynb"


def run(cmd, env, timeout=900, cwd=ROOT):
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_binder_files_are_complete():
    assert (BINDER / "requirements.txt").read_text().splitlines()[-1] == "-e .[app]"
    assert (
        BINDER / "runtime.txt"
    ).read_text().strip() == f"python-{sys.version_info[0]}.{sys.version_info[1]}"
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "repo2docker runs postBuild only when it is executable"
    subprocess.run(["bash", "-n", str(post)], check=True)
    assert APP_NOTEBOOK.exists()


@pytest.mark.slow
def test_fresh_environment_from_binder_files_runs_the_app(tmp_path):
    venv = tmp_path / "venv"
    home = tmp_path / "home"
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "CRYOGEN_"))
    }
    env.update(
        HOME=str(home),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        CRYOGEN_DB_URL=f"sqlite:///{tmp_path / 'store.sqlite'}",
    )
    run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "-r",
            str(BINDER / "requirements.txt"),
        ],
        env,
        timeout=1500,
    )
    run(["bash", str(BINDER / "postBuild")], env)
    config = json.loads((home / ".jupyter" / "jupyter_server_config.json").read_text())
    assert config["MappingKernelManager"]["cull_idle_timeout"] > 0

    out = tmp_path / "out"
    run(
        [
            str(bin_dir / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            str(out),
            str(APP_NOTEBOOK),
        ],
        env,
    )
    executed = json.loads((out / APP_NOTEBOOK.name).read_text())
    errors = [
        o for c in executed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert not errors
    # the app cell displays the CryoGen widget
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        for c in executed["cells"]
        for o in c.get("outputs", [])
    )

    # the kernel ran the venv's interpreter, and Voila is there to serve the app
    probe = run(
        [str(bin_dir / "python"), "-c", "import sys, voila, cryogen_widgets; print(sys.prefix)"],
        env,
    )
    assert Path(probe.stdout.strip()) == venv
    ext = run([str(bin_dir / "jupyter"), "server", "extension", "list"], env)
    assert "voila" in (ext.stdout + ext.stderr) and "enabled" in (ext.stdout + ext.stderr)
