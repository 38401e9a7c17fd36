"""Run mypy over the ``newsbot`` namespace as it installs.

The folders ``bot/``, ``handlers/``, ``summaries/`` and ``data/`` import as ``newsbot.<folder>``
through setuptools' package-dir mapping, which mypy cannot follow (editable installs use an
import hook).  This copies the sources into a temporary ``newsbot/`` tree laid out as installed,
runs ``mypy -p newsbot`` there with the project's configuration, and prints the findings with
the repository's own paths.  Exit status is mypy's.

    python scripts/typecheck.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, str]:
    """``{"newsbot.bot": "bot", …}`` from pyproject.toml, the one place the mapping lives."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    return mapping


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newsbot-mypy-") as tmp:
        tree = Path(tmp)
        rewrites: list[tuple[str, str]] = []
        # Longest package names first so that newsbot.bot is copied into newsbot/ after newsbot.
        for package, folder in sorted(package_dirs().items(), key=lambda item: item[0].count(".")):
            target = tree.joinpath(*package.split("."))
            shutil.copytree(
                ROOT / folder,
                target,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.txt", "*.json"),
            )
            rewrites.append((f"{target.relative_to(tree).as_posix()}/", f"{folder}/"))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--config-file",
                str(ROOT / "pyproject.toml"),
                "--cache-dir",
                str(ROOT / ".mypy_cache"),
                "-p",
                "newsbot",
            ],
            cwd=tree,
            capture_output=True,
            text=True,
        )
    output = result.stdout + result.stderr
    for installed, folder in sorted(rewrites, key=lambda pair: -len(pair[0])):
        output = output.replace(installed, folder)
    print(output, end="")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
