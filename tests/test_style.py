"""House rules that a reviewer would otherwise check by hand."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "timeline_sim"


def test_no_global_randomness_in_the_package():
    """Randomness is passed in: no `random` module, no numpy global generator."""
    pattern = re.compile(
        r"^\s*import random\b|^\s*from random import|np\.random\.(seed|rand|randn|randint|normal|uniform|choice|random|exponential)\("
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_code_passes_the_linter_and_the_formatter():
    """ruff check and ruff format --check are clean (configuration in pyproject.toml)."""
    paths = ["timeline_sim", "tests", "benchmarks", "dashboards"]
    lint = subprocess.run(["ruff", "check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = subprocess.run(
        ["ruff", "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]
