"""A dependency-free progress bar for `newsbot ingest` batches (drawn only on a terminal)."""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """`update(done, total)` redraws `[#####-----] 12/40 articles, 3.1/s` in place."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._started = time.monotonic()
        self._drawn = False

    def update(self, done: int, total: int) -> None:
        if not self._tty or total <= 0:
            return
        filled = WIDTH * done // total
        rate = done / max(time.monotonic() - self._started, 1e-6)
        self._stream.write(
            f"\r[{'#' * filled}{'-' * (WIDTH - filled)}] {done}/{total} items, {rate:.1f}/s"
        )
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
