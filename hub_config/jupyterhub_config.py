"""JupyterHub configuration of CryoGen: ``jupyterhub -f hub_config/jupyterhub_config.py``.

Every setting comes from the environment; the table is in ``hub_config/config.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub_config.config import configure

settings = configure(get_config())  # noqa: F821 - get_config is provided by JupyterHub
if settings.numba_cache is not None:
    settings.numba_cache.start()  # compiles while the hub starts; the first spawn waits for it
