"""The hub configuration as data: what ``configure`` sets for each environment, the
KubeSpawner profiles generated from the plans, the pre-spawn sizing and sign-in choices."""

from __future__ import annotations

import importlib.machinery
import os
import sys
import types
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from cryogen_widgets.store._engine import dispose_engines
from cryogen_widgets.store.accounts import Accounts
from hub_config.authenticators import (
    DEFAULT_DUMMY_PASSWORD,
    HubConfigError,
    configure_authenticator,
)
from hub_config.config import configure
from hub_config.spawners import DASHBOARD_ARGS, VOILA_EXTENSION_ARG


@pytest.fixture
def env(tmp_path):
    yield {
        "CRYOGEN_AUTHENTICATOR": "dummy",
        "CRYOGEN_HUB_DATA_DIR": str(tmp_path / "hub"),
        "CRYOGEN_DB_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
        "CRYOGEN_APP_NOTEBOOK": str(tmp_path / "app" / "app.ipynb"),
        "CRYOGEN_DASHBOARD_USERS": "dana, erin",
        "STRIPE_API_KEY": "sk_test_x",
        "STRIPE_PRICE_PRO": "price_pro",
        "OAUTH_CLIENT_SECRET": "never passed to billing",
        # Every user can run Debian's Python; this venv's may sit under a private /root.
        "CRYOGEN_SINGLEUSER_PYTHON": "/usr/bin/python3",
        "CRYOGEN_HUB_HOME_ROOT": str(tmp_path / "homes"),
        "CRYOGEN_NUMBA_CACHE_DIR": str(tmp_path / "numba"),
    }
    dispose_engines()


class FakeSpawner:
    def __init__(self, name: str):
        self.user = SimpleNamespace(name=name)
        self.environment: dict[str, str] = {"KEPT": "1"}
        self.notebook_dir = ""
        self.default_url = ""
        self.args = ["--from-config"]
        self.log = SimpleNamespace(info=lambda *a: None)


def test_local_hub_configuration(env, tmp_path):
    c = Config()
    configure(c, env)
    assert c.JupyterHub.spawner_class == "hub_config.spawners.PlanLocalSpawner"
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8000"
    assert c.JupyterHub.authenticator_class == "dummy" and c.Authenticator.allow_all is True
    assert "--MappingKernelManager.cull_idle_timeout=600" in c.Spawner.args
    assert c.Spawner.cmd == ["/usr/bin/python3", "-m", "jupyterhub.singleuser"]
    assert c.PlanLocalSpawner.home_root == str(tmp_path / "homes")
    assert c.PlanLocalSpawner.numba_cache_dir == str(tmp_path / "numba")
    assert (tmp_path / "hub").stat().st_mode & 0o777 == 0o700  # cookie secret, databases
    assert VOILA_EXTENSION_ARG in c.Spawner.args  # every server: the closed-tab kernel fix
    store, billing = c.JupyterHub.services
    assert billing["command"][1:] == ["-m", "hub_config.billing"]
    assert billing["environment"]["STRIPE_API_KEY"] == "sk_test_x"
    assert billing["environment"]["STRIPE_PRICE_PRO"] == "price_pro"
    assert "OAUTH_CLIENT_SECRET" not in billing["environment"]
    assert billing["environment"]["CRYOGEN_DB_URL"] == env["CRYOGEN_DB_URL"]
    assert store["command"][1:] == ["-m", "cryogen_widgets.store.service"]
    assert store["url"] == "http://127.0.0.1:8003"
    assert store["timeout"] == billing["timeout"] == 120  # s; JupyterHub's default is 30
    assert store["environment"]["CRYOGEN_STORE_DB_URL"] == env["CRYOGEN_DB_URL"]  # SQLite
    assert store["environment"]["CRYOGEN_RESULTS_URL"] == str(tmp_path / "hub" / "results")
    assert "STRIPE_API_KEY" not in store["environment"]
    roles = {role["name"]: role["scopes"] for role in c.JupyterHub.load_roles}
    assert "access:services!service=store" in roles["user"]
    assert "access:services!service=store" in roles["server"]  # the kernel's own token


def test_a_postgresql_store_needs_the_service_role(env):
    pg = {**env, "CRYOGEN_DB_URL": "postgresql://owner:secret@db/cryogen"}
    with pytest.raises(HubConfigError, match="set CRYOGEN_STORE_DB_URL"):
        from hub_config.config import _store_service

        _store_service(pg, Path("/data"), pg["CRYOGEN_DB_URL"], Path("plans.json"))
    service = _store_service(
        {**pg, "CRYOGEN_STORE_DB_URL": "postgresql://svc:pw@db/cryogen", "AWS_ACCESS_KEY_ID": "k"},
        Path("/data"),
        pg["CRYOGEN_DB_URL"],
        Path("plans.json"),
    )
    environment = service["service"]["environment"]
    assert environment["CRYOGEN_STORE_DB_URL"] == "postgresql+psycopg://svc:pw@db/cryogen"
    assert environment["AWS_ACCESS_KEY_ID"] == "k"
    assert "owner" not in str(environment)


def test_pre_spawn_hook_sizes_the_server_from_the_stored_plan(env):
    c = Config()
    configure(c, env)
    Accounts(env["CRYOGEN_DB_URL"]).set_plan("ann", "enterprise")
    spawner = FakeSpawner("ann")
    c.Spawner.pre_spawn_hook(spawner)
    # plans.json "enterprise": 4 CPU (2 guaranteed), 16G (4G guaranteed)
    assert (spawner.cpu_limit, spawner.cpu_guarantee) == (4.0, 2.0)
    assert (spawner.mem_limit, spawner.mem_guarantee) == ("16G", "4G")
    assert spawner.environment["CRYOGEN_PLAN"] == "enterprise"
    # The kernel gets the store service, never the database (issue 18).
    assert spawner.environment["CRYOGEN_STORE_URL"] == "http://127.0.0.1:8003/services/store/"
    assert not any("DB_URL" in k or "sqlite" in v for k, v in spawner.environment.items())
    assert spawner.environment["KEPT"] == "1"
    assert spawner.default_url == ""
    dashboard = FakeSpawner("dana")
    c.Spawner.pre_spawn_hook(dashboard)
    assert dashboard.default_url == "/voila/render/app.ipynb"
    assert dashboard.notebook_dir == str(Path(env["CRYOGEN_APP_NOTEBOOK"]).parent)
    assert dashboard.environment["CRYOGEN_PLAN"] == "academic"  # a new user's default plan
    assert dashboard.args == ["--from-config", *DASHBOARD_ARGS]  # Voilà only
    assert spawner.args == ["--from-config"]
    # The hub keeps a spawner between spawns: a user no longer on the dashboard gets Lab back.
    Accounts(env["CRYOGEN_DB_URL"]).set_dashboard("ann", True)
    c.Spawner.pre_spawn_hook(spawner)
    c.Spawner.pre_spawn_hook(spawner)
    assert spawner.args == ["--from-config", *DASHBOARD_ARGS]
    Accounts(env["CRYOGEN_DB_URL"]).set_dashboard("ann", False)
    c.Spawner.pre_spawn_hook(spawner)
    assert (spawner.args, spawner.default_url, spawner.notebook_dir) == (["--from-config"], "", "")


def test_kubernetes_profiles_are_generated_from_the_plans(env):
    c = Config()
    configure(c, {**env, "CRYOGEN_SPAWNER": "kubernetes", "CRYOGEN_IMAGE": "cryogen/user:1"})
    assert c.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    assert c.KubeSpawner.image == "cryogen/user:1"
    Accounts(env["CRYOGEN_DB_URL"]).set_plan("ann", "pro")
    (profile,) = c.KubeSpawner.profile_list(FakeSpawner("ann"))
    assert profile["slug"] == "pro" and profile["default"] is True
    assert profile["display_name"] == "Pro: 2 CPU, 8G memory"
    assert profile["description"] == "unlimited components; 8 Dask workers"
    override = profile["kubespawner_override"]
    assert (override["cpu_limit"], override["mem_limit"]) == (2.0, "8G")
    assert (override["cpu_guarantee"], override["mem_guarantee"]) == (1.0, "2G")
    assert override["environment"]["CRYOGEN_PLAN"] == "pro"
    assert override["environment"]["CRYOGEN_SERVER_SIMULATIONS_PER_MONTH"] == "200"
    assert "CRYOGEN_DB_URL" not in override["environment"]
    assert override["environment"]["CRYOGEN_STORE_URL"].endswith("/services/store/")
    (academic,) = c.KubeSpawner.profile_list(FakeSpawner("newcomer"))
    assert academic["kubespawner_override"]["environment"]["CRYOGEN_MAX_KERNEL_COMPONENTS"] == "100"
    assert academic["description"] == "up to 100 components in the kernel; 2 Dask workers"


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"CRYOGEN_SPAWNER": "kubernetes"}, "needs CRYOGEN_IMAGE"),
        ({"CRYOGEN_SPAWNER": "docker"}, "must be local or kubernetes"),
        ({"CRYOGEN_AUTHENTICATOR": ""}, "must be one of github, google, dummy"),
    ],
)
def test_incomplete_environments_say_what_to_set(env, extra, match):
    with pytest.raises(HubConfigError, match=match):
        configure(Config(), {**env, **extra})


def test_oauth_needs_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "oauthenticator", None)
    with pytest.raises(HubConfigError, match="pip install oauthenticator"):
        configure_authenticator(Config(), {"CRYOGEN_AUTHENTICATOR": "github"})


@pytest.fixture
def oauthenticator_present(monkeypatch):
    module = types.ModuleType("oauthenticator")
    module.__spec__ = importlib.machinery.ModuleSpec("oauthenticator", None)
    monkeypatch.setitem(sys.modules, "oauthenticator", module)


OAUTH = {
    "OAUTH_CLIENT_ID": "id",
    "OAUTH_CLIENT_SECRET": "secret",
    "OAUTH_CALLBACK_URL": "https://hub.example/hub/oauth_callback",
}


def test_github_and_google_oauth_from_the_environment(oauthenticator_present):
    c = Config()
    configure_authenticator(
        c,
        {
            "CRYOGEN_AUTHENTICATOR": "github",
            "CRYOGEN_GITHUB_ORGS": "cryolab",
            "CRYOGEN_ADMIN_USERS": "root1",
            **OAUTH,
        },
    )
    assert c.JupyterHub.authenticator_class == "github"
    assert c.OAuthenticator.client_id == "id" and c.OAuthenticator.client_secret == "secret"
    assert c.GitHubOAuthenticator.allowed_organizations == {"cryolab"}
    assert c.Authenticator.admin_users == {"root1"}
    c = Config()
    configure_authenticator(
        c, {"CRYOGEN_AUTHENTICATOR": "google", "CRYOGEN_GOOGLE_DOMAINS": "uni.edu", **OAUTH}
    )
    assert c.JupyterHub.authenticator_class == "google"
    assert c.GoogleOAuthenticator.hosted_domain == ["uni.edu"]


def test_oauth_refuses_to_start_open_to_everybody_or_without_secrets(oauthenticator_present):
    with pytest.raises(HubConfigError, match="needs OAUTH_CLIENT_SECRET, OAUTH_CALLBACK_URL"):
        configure_authenticator(
            Config(), {"CRYOGEN_AUTHENTICATOR": "google", "OAUTH_CLIENT_ID": "id"}
        )
    with pytest.raises(HubConfigError, match="say who may sign in with CRYOGEN_ALLOWED_USERS"):
        configure_authenticator(Config(), {"CRYOGEN_AUTHENTICATOR": "github", **OAUTH})


def test_the_hub_side_never_imports_widgets():
    import subprocess

    code = (
        "import sys, hub_config.config, hub_config.billing.app, cryogen_widgets.store.service;"
        "bad = [m for m in ('ipywidgets', 'IPython') if m in sys.modules]; print(bad);"
        "sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cores_are_spread_by_user_and_never_exceed_the_machine():
    from hub_config.spawners import pick_cores

    assert len(pick_cores("ann", 2, range(8))) == 2
    assert len(pick_cores("ann", 0.5, range(8))) == 1
    assert pick_cores("ann", 16, range(4)) == {0, 1, 2, 3}
    assert len({min(pick_cores(f"user{i}", 1, range(8))) for i in range(40)}) > 1


# make hub's dummy sign-in (any user name) never listens beyond 127.0.0.1 with the
# default password or none (issue 13 item 8)
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


@pytest.mark.parametrize("variable", ["CRYOGEN_HUB_HOME_ROOT", "CRYOGEN_NUMBA_CACHE_DIR"])
def test_user_folders_inside_the_hub_data_directory_are_refused(env, variable):
    inside = {**env, variable: str(Path(env["CRYOGEN_HUB_DATA_DIR"]) / "users")}
    with pytest.raises(HubConfigError, match=f"{variable}=.* is inside the hub's data directory"):
        configure(Config(), inside)


def test_a_python_the_users_cannot_run_is_refused_as_root(env, tmp_path):
    private = tmp_path / "private"
    (private / "bin").mkdir(parents=True)
    private.chmod(0o700)
    python = private / "bin" / "python3"
    python.symlink_to("/usr/bin/python3")
    if os.geteuid() != 0:
        pytest.skip("the check applies when the hub is root (and can switch users)")
    with pytest.raises(HubConfigError, match="cannot be used by the users' system accounts"):
        configure(Config(), {**env, "CRYOGEN_SINGLEUSER_PYTHON": str(python)})


def test_the_voila_extension_configures_voila_before_it_loads(monkeypatch):
    from voila.configuration import VoilaConfiguration
    from voila.paths import collect_template_paths

    from cryogen_widgets import voila_extension
    from cryogen_widgets.serve import JUPYTER_DATA, set_xsrf_cookie

    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    server = SimpleNamespace(
        config=Config(),
        web_app=SimpleNamespace(settings={}),
        log=SimpleNamespace(info=lambda *a: None),
    )
    voila_extension._link_jupyter_server_extension(server)
    voila = VoilaConfiguration(config=server.config)  # as Voilà's extension reads it
    assert voila.prelaunch_hook is set_xsrf_cookie and voila.template == "cryogen"
    assert os.environ["JUPYTER_PATH"].split(os.pathsep) == [str(JUPYTER_DATA), "/elsewhere"]
    template = JUPYTER_DATA / "voila" / "templates" / "cryogen"
    assert str(template) in collect_template_paths(["voila", "nbconvert"], "cryogen")
    voila_extension._load_jupyter_server_extension(server)
    # no cdnjs MathJax in the page
    assert server.web_app.settings == {"mathjax_url": None, "mathjax_config": None}
