"""Alembic migrations of the CryoGen store (shipped inside the package)."""
