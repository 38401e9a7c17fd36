"""newsbot: a Telegram bot that serves news summaries and attributed quotes.

The project's folders (``bot/``, ``handlers/``, ``summaries/``, ``data/``) stay at the top of the
repository but install and import under this one namespace (``newsbot.bot``, …) through
setuptools' ``package-dir`` mapping, so nothing generic lands in site-packages.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsbot")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
