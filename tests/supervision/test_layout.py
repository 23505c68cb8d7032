"""Supervision left registry for good: no `*_reports.py` nor `services_listings.py` in registry/, and
no registry module imports supervision (registry ← supervision, never the other way)."""

import ast
from pathlib import Path

REGISTRY = Path(__file__).resolve().parents[2] / "registry"


def test_registry_has_no_report_rooms():
    assert sorted(p.name for p in REGISTRY.rglob("*_reports.py")) == []
    assert not (REGISTRY / "services_listings.py").exists()


def test_no_registry_module_imports_supervision():
    offenders = []
    for path in REGISTRY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(name == "supervision" or name.startswith("supervision.") for name in names):
                offenders.append(str(path.relative_to(REGISTRY)))
    assert offenders == []
