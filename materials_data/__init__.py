"""Data only: material property fits and the component catalog, each number with its source."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
