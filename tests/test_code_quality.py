"""The code stays lint-clean, formatted, typed and layered: checked with every test run.

ruff and mypy run as subprocesses on the installed tools (they are test dependencies; mypy through
scripts/typecheck.py, which lays the folders out as the installed ``newsbot`` namespace); the
layering rule is checked by reading each module's imports.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("newsbot", "bot", "handlers", "summaries", "data")
# Who may import whom: bot → handlers → (summaries, data) → names; summaries and data stand
# alone, and the names leaf imports no other part of newsbot.
FORBIDDEN = {
    "handlers": {"bot", "telegram"},
    "summaries": {"bot", "handlers", "data", "telegram"},
    "data": {"bot", "handlers", "summaries", "telegram"},
    "newsbot": {"bot", "handlers", "summaries", "data", "telegram"},
}
# The names the old layout installed at the top of site-packages: importing one is a bug now.
BARE_ROOTS = {"bot", "handlers", "summaries", "data"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_lint() -> None:
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "typecheck.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def root_of(module: str) -> str:
    """The part of newsbot a module belongs to: ``newsbot.data.store`` → ``data``."""
    parts = module.split(".")
    if parts[0] == "newsbot":
        return parts[1] if len(parts) > 1 and parts[1] in BARE_ROOTS else "newsbot"
    return parts[0]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def imported_roots(path: Path) -> set[str]:
    return {root_of(module) for module in imported_modules(path)}


def python_files() -> list[Path]:
    folders = [ROOT / name for name in (*PACKAGES, "tests", "bench", "scripts")]
    return [path for folder in folders for path in folder.rglob("*.py")]


def test_nothing_imports_the_old_bare_names() -> None:
    """``import data.store`` would only work from the repository root, never once installed."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(bare)
        for path in python_files()
        if (bare := {m for m in imported_modules(path) if m.split(".")[0] in BARE_ROOTS})
    }
    assert not offenders, offenders


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependency_rule(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert not offenders, offenders


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_has_a_docstring(package: str) -> None:
    missing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert not missing, missing


def test_no_glibc_only_strftime_directives() -> None:
    """%-d and friends are glibc extensions: on Windows strftime raises ValueError."""
    offenders = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"%-[a-zA-Z]", path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
