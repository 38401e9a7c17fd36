"""The project installs as one ``newsbot`` namespace and nothing else.

Built as a wheel (no dependencies, nothing installed) and read back: every module sits under
``newsbot/``, the bundled data files come along, and every source folder with an ``__init__.py``
is a listed package (a new subpackage that pyproject.toml forgets would be missing once
installed, while an editable install would hide it).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("newsbot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_installs_only_the_newsbot_namespace(wheel_names: list[str]) -> None:
    tops = {
        name.split("/")[0] for name in wheel_names if not name.split("/")[0].endswith(".dist-info")
    }
    assert tops == {"newsbot"}


def test_the_wheel_carries_the_data_files(wheel_names: list[str]) -> None:
    assert "newsbot/summaries/given_names.txt" in wheel_names
    samples = [name for name in wheel_names if name.startswith("newsbot/data/samples/")]
    assert len(samples) == len(list((ROOT / "data" / "samples").glob("*.json")))


def test_every_source_package_is_listed() -> None:
    folders = {package: Path(folder) for package, folder in CONFIG["package-dir"].items()}
    found = set()
    for package, folder in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *relative.parts]))
    assert found == set(CONFIG["packages"])
