"""Ingest: files and folders into the store, with a report for every input.

Every input ends in exactly one report row:

- ``imported``: a new article was written;
- ``duplicate``: the same text (by content hash) is already in the store,
  or the same id with the same text;
- ``rejected``: it could not be imported, with the reason (this includes a
  folder's ``manifest.csv`` that cannot be read, and entries that are not
  regular files, such as broken links or pipes);
- ``skipped``: not an input at all (a folder's README/LICENSE, its
  ``manifest.csv``, hidden files); shown so nothing goes unaccounted for.

An imported row's ``reason`` lists what had to be repaired or guessed to read
it (a detected encoding, dropped NUL bytes, a given date that is not a real
date and was ignored, ...), and is empty when nothing was.

Articles are written in batches of :attr:`IngestOptions.batch_size`, one
transaction each, so a crash loses at most the two batches in flight (one
being cleaned while the next is read) and never leaves half an article;
ingesting again completes the corpus. Cleaning runs in
:attr:`IngestOptions.workers` processes while the next batch is read.

Outlet precedence: manifest (per id) > ``--outlet`` (per command) > the
record's own ``outlet`` field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

import pandas as pd

from analysis.errors import ManifestError
from analysis.formats import InputItem, content_id, input_label, read_file
from analysis.manifest import MANIFEST_NAME, Manifest, load_manifest
from analysis.metadata import normalise_date
from analysis.prepare import PreparedArticle, prepare_articles, prepare_corpus
from analysis.store import NewArticle, Store
from analysis.workers import DEFAULT_WORKERS

REPORT_COLUMNS = ["input", "status", "article_id", "reason"]
_NOT_INPUTS = ("readme", "license", "licence", "changelog")
_WHITESPACE = re.compile(r"\s")
HASH_CHUNK_CHARS = 1 << 20

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class IngestOptions:
    manifest_path: str | None = None
    outlet: str | None = None
    batch_size: int = 500
    workers: int = DEFAULT_WORKERS


@dataclass(frozen=True)
class Upload:
    """A file given as bytes (dashboard uploads), never written to disk."""

    name: str
    data: bytes


@dataclass(frozen=True)
class IngestResult:
    run_id: int
    report: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        statuses = ("imported", "duplicate", "rejected", "skipped")
        found = self.report["status"].value_counts()
        return {status: int(found.get(status, 0)) for status in statuses}

    @property
    def exit_code(self) -> int:
        """0 when everything was imported or a duplicate, 1 when anything was rejected."""
        return 1 if self.counts["rejected"] else 0

    def summary(self) -> str:
        counts = self.counts
        return ", ".join(f"{count} {status}" for status, count in counts.items() if count or status != "skipped")


def ingest(
    store: Store,
    paths: Iterable[str | Path] = (),
    *,
    uploads: Iterable[Upload] = (),
    options: IngestOptions = IngestOptions(),
    progress: ProgressCallback | None = None,
) -> IngestResult:
    """Import ``paths`` (files or folders) and ``uploads`` into ``store``."""
    paths = [Path(path) for path in paths]
    uploads = list(uploads)
    manifests = _collect_manifests(paths, options.manifest_path)
    manifest = manifests.merged
    run_id = store.start_ingest_run({
        "paths": [str(path) for path in paths],
        "uploads": [upload.name for upload in uploads],
        "manifest": options.manifest_path,
        "outlet": options.outlet,
    })
    with _BatchWriter(store, run_id, manifest, options) as writer:
        for done, item in enumerate(_items(paths, uploads, manifests.broken), start=1):
            writer.add(item)
            if progress is not None:
                progress(done, item.input)
    if manifest.outlets:
        store.set_outlets(
            {article_id: outlet for article_id, outlet in manifest.outlets.items()},
            origin="manifest",
        )
    # Once per call, however many batches: template evidence and fingerprints need the whole corpus.
    prepare_corpus(store, workers=options.workers)
    return IngestResult(run_id, store.ingest_report(run_id))


@dataclass(frozen=True)
class _Manifests:
    merged: Manifest
    broken: dict[Path, str] = field(default_factory=dict)  # folder manifest.csv -> why unreadable


def _collect_manifests(paths: list[Path], manifest_path: str | None) -> _Manifests:
    """Folder manifests, then ``manifest_path``; only a broken ``manifest_path`` stops the run.

    A folder's own manifest.csv that cannot be read is reported as rejected and
    the folder imported without it, like any other bad file in it.
    """
    manifest, broken = Manifest(), {}
    for path in paths:
        if path.is_dir() and (path / MANIFEST_NAME).is_file():
            try:
                manifest = manifest.merged(load_manifest(path / MANIFEST_NAME))
            except ManifestError as error:
                broken[path / MANIFEST_NAME] = f"{error}; the folder was imported without it"
    if manifest_path:
        manifest = manifest.merged(load_manifest(manifest_path))
    return _Manifests(manifest, broken)


def _items(
    paths: list[Path], uploads: list[Upload], broken: dict[Path, str]
) -> Iterator[InputItem]:
    for path in paths:
        if path.is_dir():
            yield from _folder_items(path, broken)
        elif path.is_file():
            yield from read_file(path)
        else:
            yield InputItem(input_label(path), "unknown", reason="no such file or folder")
    for upload in uploads:
        # A browser may send a client-side path, with / or \ separators: keep only the name.
        yield from read_file(Path(PureWindowsPath(upload.name).name), data=upload.data)


def _folder_items(folder: Path, broken: dict[Path, str]) -> Iterator[InputItem]:
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        label = input_label(path)
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            yield InputItem(label, "skipped", reason="hidden file")
        elif not path.is_file():
            yield InputItem(label, "unknown", reason=(
                "not a regular file (a broken link, pipe, socket or device)"))
        elif path in broken:
            yield InputItem(label, "manifest", reason=broken[path])
        elif path.name == MANIFEST_NAME and path.parent == folder:
            yield InputItem(label, "skipped", reason="the folder's outlet manifest")
        elif path.stem.lower() in _NOT_INPUTS:
            yield InputItem(label, "skipped", reason="documentation, not an article")
        else:
            yield from read_file(path)


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed, so line-ending changes still dedup."""
    digest = hashlib.sha256()
    for piece in _collapsed_pieces(text):
        digest.update(piece.encode("utf-8"))
    return digest.hexdigest()


def _collapsed_pieces(text: str) -> Iterator[str]:
    """Pieces of ``" ".join(text.split())``, cut at whitespace a megabyte at a time.

    Splitting a 50 MB text at once makes millions of word objects (~10x the
    text in memory); chunks keep that to a few megabytes.
    """
    start, after_words = 0, False
    while start < len(text):
        end = start + HASH_CHUNK_CHARS
        boundary = _WHITESPACE.search(text, end) if end < len(text) else None
        end = boundary.start() if boundary else len(text)
        words = text[start:end].split()
        if words:
            yield (" " if after_words else "") + " ".join(words)
            after_words = True
        start = end


def _repairs(record) -> str | None:
    """What was repaired or ignored to import ``record``, for its report row."""
    notes = list(record.notes)
    if record.date is not None and normalise_date(record.date) is None:
        shown = record.date if len(record.date) <= 40 else record.date[:40] + "…"
        notes.append(f"given date {shown!r} is not a real, past calendar date; ignored")
    return "; ".join(notes) or None


@dataclass
class _Pending:
    """An article that passed the duplicate checks and waits to be cleaned."""

    item: InputItem
    article_id: str
    digest: str
    given: dict


@dataclass
class _Batch:
    rows: list[dict]
    pending: list[_Pending]
    first_position: int
    prepared: Future


class _BatchWriter:
    """Decides each item's fate and writes articles in transactional batches.

    A full batch is cleaned in the background (worker processes) while the
    next one is read; it is written when the next batch is sent off, or on
    close. Duplicate checks cover the batches not yet written.
    """

    def __init__(self, store: Store, run_id: int, manifest: Manifest, options: IngestOptions):
        self.store = store
        self.run_id = run_id
        self.manifest = manifest
        self.options = options
        self.position = 0
        self.pending: list[_Pending] = []
        self.rows: list[dict] = []
        self.unwritten_hashes: dict[str, str] = {}
        self.unwritten_ids: dict[str, str] = {}
        self.in_flight: _Batch | None = None
        self.cleaner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="samestory-clean")

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        try:
            if exc_type is None:
                self.flush()
                self._write_in_flight()
        finally:
            self.cleaner.shutdown(wait=True, cancel_futures=True)

    def add(self, item: InputItem) -> None:
        if item.record is None:
            status = "skipped" if item.format == "skipped" else "rejected"
            self.rows.append({"input": item.input, "status": status, "reason": item.reason})
        else:
            self.rows.append(self._decide(item))
        if len(self.rows) >= self.options.batch_size:
            self.flush()

    def _decide(self, item: InputItem) -> dict:
        record = item.record
        digest = content_hash(record.text)
        if record.id is not None:
            article_id = record.id
        else:
            article_id = content_id("".join(_collapsed_pieces(record.text)))
        row = {"input": item.input, "article_id": article_id}
        existing_hash = self.unwritten_ids.get(article_id) or self.store.id_hash(article_id)
        if existing_hash is not None:
            if existing_hash == digest:
                return {**row, "status": "duplicate", "reason": "already imported (same id and text)"}
            return {**row, "status": "rejected", "reason": (
                f"id conflict: {article_id!r} already holds a different text; "
                "give this article another id or remove the old one")}
        owner = self.unwritten_hashes.get(digest) or self.store.hash_owner(digest)
        if owner is not None:
            return {**row, "status": "duplicate", "reason": f"same text as article {owner!r}"}
        given = {
            key: value for key, value in {
                "outlet": record.outlet, "title": record.title, "date": record.date,
                "author": record.author, "url": record.url, **record.extra,
                **self.manifest.metadata.get(article_id, {}),
            }.items() if value is not None
        }
        self.pending.append(_Pending(item, article_id, digest, given))
        self.unwritten_hashes[digest] = article_id
        self.unwritten_ids[article_id] = digest
        return {**row, "status": "imported", "reason": _repairs(record)}

    def _article(self, pending: _Pending, prepared: PreparedArticle) -> NewArticle:
        record = pending.item.record
        outlet, origin = self._outlet(pending.article_id, record.outlet)
        return NewArticle(
            id=pending.article_id, content_hash=pending.digest, source=pending.item.input,
            format=pending.item.format, raw_text=record.text, given=pending.given, outlet=outlet,
            outlet_origin=origin, title=prepared.title, date=prepared.date, author=prepared.author,
            dateline=prepared.dateline, url=record.url, body=prepared.body, words=prepared.words,
            removed=prepared.removed, extractor=record.extractor, line_keys=prepared.line_keys,
        )

    def _outlet(self, article_id: str, record_outlet: str | None) -> tuple[str | None, str | None]:
        if article_id in self.manifest.outlets:
            return self.manifest.outlets[article_id], "manifest"
        if self.options.outlet:
            return self.options.outlet, "option"
        if record_outlet:
            return record_outlet, "record"
        return None, None

    def flush(self) -> None:
        """Send the current batch to be cleaned, then write the batch before it."""
        if not self.rows:
            return
        jobs = [(pending.item.record.text, pending.given) for pending in self.pending]
        batch = _Batch(self.rows, self.pending, self.position, self.cleaner.submit(
            prepare_articles, jobs, workers=self.options.workers))
        self.position += len(self.rows)
        self.rows, self.pending = [], []
        self._write_in_flight()
        self.in_flight = batch

    def _write_in_flight(self) -> None:
        batch, self.in_flight = self.in_flight, None
        if batch is None:
            return
        articles = [self._article(pending, prepared)
                    for pending, prepared in zip(batch.pending, batch.prepared.result())]
        self.store.write_batch(self.run_id, articles, batch.rows, batch.first_position)
        for article in articles:
            del self.unwritten_hashes[article.content_hash], self.unwritten_ids[article.id]
