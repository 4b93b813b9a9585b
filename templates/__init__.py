"""Shipped templates (importable as ``cryogen_templates``): designs/ and reports/."""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent
DESIGNS_DIR = TEMPLATES_DIR / "designs"
REPORTS_DIR = TEMPLATES_DIR / "reports"
