"""CryoGen's JupyterHub deployment: plan-sized spawners, authenticators, the billing service,
and the registration of the store service (``cryogen_widgets.store.service``), which kernels
use instead of the database.

``jupyterhub -f hub_config/jupyterhub_config.py`` reads everything from the
environment (see :func:`hub_config.config.configure`). This package imports
``cryogen_widgets.store`` and nothing of the widgets.
"""
