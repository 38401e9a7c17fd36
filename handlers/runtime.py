"""What every command needs from the running app: the store, the ingestor, the worker pool."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from newsbot.data.store import Store
from newsbot.handlers.ingestion.ingestor import Ingestor

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Runtime:
    """Shared services for command logic; built by the composition root (bot/)."""

    store: Store
    ingestor: Ingestor
    executor: Executor
    timezone: ZoneInfo
    summary_algorithm: str

    async def off_loop(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run CPU-bound text processing in the worker pool so the event loop stays free."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(func, *args, **kwargs))
