"""Opens and closes what a running newsbot needs, for Telegram and the console alike."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from newsbot.bot.settings import Settings
from newsbot.data.store import Store
from newsbot.handlers.commands.router import Newsbot
from newsbot.handlers.ingestion.ingestor import Ingestor
from newsbot.handlers.ingestion.speaker_match import match_speaker
from newsbot.handlers.runtime import Runtime

# Text processing is CPU-bound Python; two workers match the two cores newsbot is sized for
# and leave the event loop's thread free to answer commands.
WORKERS = 2


@dataclass(slots=True)
class Services:
    """The store, the ingestor, the worker pool and the command router of one process."""

    store: Store
    ingestor: Ingestor
    executor: ThreadPoolExecutor
    newsbot: Newsbot

    @property
    def runtime(self) -> Runtime:
        return self.newsbot.rt

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        store = Store(settings.database_path, speaker_matcher=match_speaker)
        await store.open()
        executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="newsbot-text")
        ingestor = Ingestor(store, executor=executor)
        runtime = Runtime(
            store=store,
            ingestor=ingestor,
            executor=executor,
            timezone=settings.default_timezone,
            summary_algorithm=settings.summary_algorithm,
        )
        return cls(store=store, ingestor=ingestor, executor=executor, newsbot=Newsbot(runtime))

    async def close(self) -> None:
        await self.ingestor.close()
        self.executor.shutdown(wait=True, cancel_futures=True)
        await self.store.close()
