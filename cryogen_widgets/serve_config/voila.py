"""Voilà configuration of ``python -m cryogen_widgets.serve`` (loaded through
``--Voila.config_file_paths``): the page sets the ``_xsrf`` cookie its unload beacon needs."""

from cryogen_widgets.serve import PageSetsXsrfCookie

c = get_config()  # noqa: F821 - provided by traitlets when it loads a config file
c.Voila.identity_provider_class = PageSetsXsrfCookie
