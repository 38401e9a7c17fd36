"""Files and folders named by the operator: which files a path stands for, and reading one
within the size cap (checked with stat() before anything is read)."""

from __future__ import annotations

import stat
from pathlib import Path

from newsbot.handlers.ingestion.drafts import SourceError
from newsbot.handlers.ingestion.formats import SUPPORTED_EXTENSIONS
from newsbot.handlers.ingestion.outcomes import IngestItem, rejected


class TooLargeFileError(Exception):
    """The file is over the size cap; `size` is what stat() or the capped read found."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def files_under(path: Path) -> list[Path] | IngestItem:
    """The file itself, or the supported files in a folder tree; an item when neither."""
    try:
        path = path.expanduser()
        if path.is_dir():
            return sorted(
                file
                for file in path.rglob("*")
                if file.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in file.relative_to(path).parts)
                and file.is_file()
            )
        if path.exists():
            return [path]
    except OSError as exc:
        return rejected(str(path), f"could not read it ({exc.strerror or exc})")
    return rejected(str(path), "there is no such file or folder")


def read_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; the size is checked before reading, and the read is capped anyway."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("this is not a regular file — name a text, HTML, Markdown or JSON file")
    if info.st_size > max_bytes:
        raise TooLargeFileError(info.st_size)
    with path.open("rb") as file:
        # The file may have grown since stat(); never read more than one byte past the cap.
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLargeFileError(len(data))
    return data
