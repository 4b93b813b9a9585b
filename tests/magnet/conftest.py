import pytest


@pytest.fixture(autouse=True)
def _fem_mesh_cache(tmp_path_factory, monkeypatch):
    """FEM meshes go to the session's temporary directory, not ~/.cache."""
    monkeypatch.setenv("CRYOGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
