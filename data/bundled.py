"""The sample articles bundled with newsbot, for demos, the sample library and tests.

The articles are original texts written for this project, set in a fictional world (Meridia,
Halvonia, Lakeport ...). They ship as package data (see ``[tool.setuptools.package-data]`` in
pyproject.toml), one JSON object per file with the keys title, outlet, author, published_at,
url, language, topic and text.
"""

from __future__ import annotations

from pathlib import Path

# The files live next to this module in both a source checkout and an installed wheel, so a
# plain path is enough; callers want real paths they can hand to the ingestion pipeline.
SAMPLES_DIR: Path = Path(__file__).parent / "samples"


def sample_article_paths() -> list[Path]:
    """Return the bundled sample article files, sorted by name (and so by their number)."""
    return sorted(SAMPLES_DIR.glob("*.json"))
