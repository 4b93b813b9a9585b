"""JupyterHub configuration of CryoGen: ``jupyterhub -f hub_config/jupyterhub_config.py``.

Every setting comes from the environment; the table is in ``hub_config/config.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub_config.config import configure

configure(get_config())  # noqa: F821 - get_config is provided by JupyterHub when it runs this file
