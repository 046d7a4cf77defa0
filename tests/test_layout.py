"""The package is laid out by stage: each folder imports only the folders below it, and no module loop."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[1] / "generator"
# Lowest first: a module may import its own layer and the layers before it.
LAYERS = ["referentiels", "records", "site", "forms", "opendata", "contrib", "build", "serve", "cli"]


def layer_of(module: str) -> str:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "cli"
    return "cli" if head == "__main__" else head


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): imports_of(path) for path in sorted(GENERATOR.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_layer_and_the_ones_below(module):
    rank = LAYERS.index(layer_of(module))
    upward = [name for name in MODULES[module] if LAYERS.index(layer_of(name)) > rank]
    assert upward == [], f"{module} importe une étape placée au-dessus : {upward}"


def test_no_two_modules_import_each_other():
    loops = sorted((a, b) for a, imported in MODULES.items() for b in imported if a < b and a in MODULES.get(b, set()))
    assert loops == []


def test_the_test_sees_the_whole_package():
    assert {"generator.records.catalog", "generator.site.render", "generator.cli"} <= set(MODULES)
    assert layer_of("generator.forms.pdf") == "forms"
