"""Every exception SameStory raises on purpose lives here.

The CLI turns any :class:`SameStoryError` into one line on stderr and an exit
code; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class SameStoryError(Exception):
    """Base class: a problem the user can fix, described in one sentence."""

    exit_code = 2


class UsageError(SameStoryError):
    """An option or argument has a value that is not allowed."""


class StoreError(SameStoryError):
    """The SQLite corpus file cannot be opened or has an unknown schema."""


class UnknownIdError(SameStoryError):
    """An article, story or outlet id that the store does not hold."""


class InputRejected(SameStoryError):
    """One input (file or record) cannot be imported; the batch goes on.

    ``reason`` is the short, user-facing explanation put in the ingest report.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ManifestError(SameStoryError):
    """The outlet manifest CSV is missing, unreadable or lacks required columns."""


class LimitExceeded(SameStoryError):
    """An input is larger or more numerous than this deployment allows (demo limits)."""
