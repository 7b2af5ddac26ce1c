"""Which store this browser session works on, and importing uploads into it.

Local mode: every session shares the store at ``$SAMESTORY_DB`` (or
``samestory.db``); uploads and edits are saved there.

Demo mode (the public link): the bundled corpus is shared read-only. The
first upload of a session copies it into a private temporary store that only
that session knows the path of; later uploads go there too. Nothing a visitor
uploads is ever written to the shared store, and size limits apply.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from analysis.errors import LimitExceeded
from analysis.store import copy_store, open_store
from dashboard_support import cache
from dashboard_support.demo import is_demo_mode

if TYPE_CHECKING:  # ingest loads every parser: imported when a visitor uploads, not on every page
    from analysis.ingest import IngestResult

DEMO_MAX_FILES = 20
DEMO_MAX_TOTAL_BYTES = 10 * 1024 * 1024
LOCAL_MAX_FILE_MB = 200
DEMO_MAX_FILE_MB = 5
_SESSION_DB_KEY = "_samestory_session_db"


@dataclass(frozen=True)
class UploadLimits:
    max_files: int | None
    max_total_bytes: int | None
    max_file_mb: int


def upload_limits() -> UploadLimits:
    if is_demo_mode():
        return UploadLimits(DEMO_MAX_FILES, DEMO_MAX_TOTAL_BYTES, DEMO_MAX_FILE_MB)
    return UploadLimits(None, None, LOCAL_MAX_FILE_MB)


def active_db_path() -> str:
    """The store this session reads: its private demo copy when it has one."""
    private = st.session_state.get(_SESSION_DB_KEY)
    if private and Path(private).exists():
        return private
    return cache.corpus_path()


def has_private_store() -> bool:
    return bool(st.session_state.get(_SESSION_DB_KEY))


def import_uploads(files, progress) -> IngestResult:
    """Ingest uploaded files into this session's store, reporting progress.

    Raises LimitExceeded with a user-facing message when demo limits are exceeded.
    """
    from analysis.ingest import Upload, ingest

    limits = upload_limits()
    uploads = [Upload(file.name, file.getvalue()) for file in files]
    if limits.max_files is not None and len(uploads) > limits.max_files:
        raise LimitExceeded(f"The demo accepts at most {limits.max_files} files at a time.")
    total = sum(len(upload.data) for upload in uploads)
    if limits.max_total_bytes is not None and total > limits.max_total_bytes:
        raise LimitExceeded(
            f"The demo accepts at most {limits.max_total_bytes // (1024 * 1024)} MB per session upload.")
    db_path = _private_store() if is_demo_mode() else active_db_path()
    with open_store(db_path) as store:
        return ingest(store, uploads=uploads,
                      progress=lambda done, name: progress(done / max(len(uploads), 1), name))


def _private_store() -> str:
    existing = st.session_state.get(_SESSION_DB_KEY)
    if existing and Path(existing).exists():
        return existing
    folder = Path(tempfile.mkdtemp(prefix="samestory-session-"))
    private = copy_store(cache.corpus_path(), folder / "corpus.db")
    st.session_state[_SESSION_DB_KEY] = str(private)
    return str(private)
