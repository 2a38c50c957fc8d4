"""The package's layers: each imports only the layers below it, and no module is too long.

Read from the source (every ``import`` and ``from ... import`` statement, at any
depth, type-checking blocks included), so a layer violation fails here even if
it would never run.
"""

from __future__ import annotations

import ast

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "timeline_sim"

#: What each layer may import from the package, besides itself and ``timeline_sim.version``.
ALLOWED: dict[str, set[str]] = {
    "engine": set(),
    "cases": {"engine"},
    "models": {"engine", "cases"},
    "output": {"engine", "cases"},
    "studies": {"engine", "cases", "models", "output"},
    "figures": {"engine", "cases", "output"},
    "cli": {"engine", "cases", "models", "output", "studies", "figures"},
}
#: Longest module, in lines (docstrings and comments included).
MAX_LINES = 400


def _imports(path) -> set[str]:
    """Every package module a file imports, as ``timeline_sim.LAYER...`` names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "timeline_sim":
                names |= {f"timeline_sim.{alias.name}" for alias in node.names}
            else:
                names.add(node.module)
    return {n for n in names if n == "timeline_sim" or n.startswith("timeline_sim.")}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules(layer: str):
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    """engine imports no model; models import no figures or CLI; figures never import models."""
    assert _modules(layer), f"timeline_sim/{layer}/ is empty"
    offences = []
    for path in _modules(layer):
        for module in _imports(path):
            target = _layer(module)
            if target in ("", "version") and module != "timeline_sim":
                continue
            if module == "timeline_sim" or (target != layer and target not in ALLOWED[layer]):
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_the_layer_rules_say_what_the_design_promises():
    """The table itself keeps the three promises, so loosening it is a visible change."""
    assert ALLOWED["engine"] == set()
    assert not {"figures", "cli"} & ALLOWED["models"]
    assert "models" not in ALLOWED["figures"] and "studies" not in ALLOWED["figures"]


def test_a_planted_violation_is_caught(tmp_path):
    """The import reader sees imports at any depth, including under TYPE_CHECKING."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from timeline_sim.models.fta.world import FtaWorld\n"
        "def f():\n"
        "    from timeline_sim import figures\n"
    )
    assert _imports(planted) == {"timeline_sim.models.fta.world", "timeline_sim.figures"}


def test_every_package_module_sits_in_a_layer():
    """Only the API facade and the version live at the top; everything else is in a layer."""
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "version.py"}
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert layers == set(ALLOWED)


def test_modules_are_short():
    """No module runs past about 400 lines."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
