"""``make hub``'s dummy sign-in (any user name) never listens beyond 127.0.0.1 with the
default password or none (issue 13 item 8)."""

from __future__ import annotations

import pytest
from traitlets.config import Config

from cryogen_widgets.store._engine import dispose_engines
from hub_config.authenticators import DEFAULT_DUMMY_PASSWORD, HubConfigError
from hub_config.config import configure


@pytest.fixture
def env(tmp_path):
    yield {
        "CRYOGEN_AUTHENTICATOR": "dummy",
        "CRYOGEN_HUB_DATA_DIR": str(tmp_path / "hub"),
        "CRYOGEN_DB_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
        "CRYOGEN_APP_NOTEBOOK": str(tmp_path / "app" / "app.ipynb"),
    }
    dispose_engines()


@pytest.mark.parametrize("ip", ["0.0.0.0", "192.168.1.20", "::"])
@pytest.mark.parametrize("password", [DEFAULT_DUMMY_PASSWORD, ""])
def test_default_or_no_password_is_refused_off_loopback(env, ip, password):
    with pytest.raises(HubConfigError, match="set CRYOGEN_DUMMY_PASSWORD"):
        configure(Config(), {**env, "CRYOGEN_HUB_IP": ip, "CRYOGEN_DUMMY_PASSWORD": password})


def test_loopback_or_an_own_password_starts(env):
    configure(Config(), {**env, "CRYOGEN_DUMMY_PASSWORD": DEFAULT_DUMMY_PASSWORD})
    c = Config()
    configure(c, {**env, "CRYOGEN_HUB_IP": "0.0.0.0", "CRYOGEN_DUMMY_PASSWORD": "s3cret-lab"})
    assert c.JupyterHub.bind_url == "http://0.0.0.0:8000"
