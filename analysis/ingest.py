"""Ingest: files and folders into the store, with a report for every input.

Every input ends in exactly one report row:

- ``imported``: a new article was written;
- ``duplicate``: the same text (by content hash) is already in the store,
  or the same id with the same text;
- ``rejected``: it could not be imported, with the reason;
- ``skipped``: not an input at all (a folder's README/LICENSE, its
  ``manifest.csv``, hidden files); shown so nothing goes unaccounted for.

Articles are written in batches of :attr:`IngestOptions.batch_size`, one
transaction each, so a crash loses at most the batch in flight and never
leaves half an article; ingesting again completes the corpus.

Outlet precedence: manifest (per id) > ``--outlet`` (per command) > the
record's own ``outlet`` field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.clean import clean_text, count_words
from analysis.formats import InputItem, content_id, read_file
from analysis.manifest import MANIFEST_NAME, Manifest, load_manifest
from analysis.metadata import normalise_date
from analysis.store import NewArticle, Store

REPORT_COLUMNS = ["input", "status", "article_id", "reason"]
_NOT_INPUTS = ("readme", "license", "licence", "changelog")

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class IngestOptions:
    manifest_path: str | None = None
    outlet: str | None = None
    batch_size: int = 500


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
    manifest = _collect_manifest(paths, options.manifest_path)
    run_id = store.start_ingest_run({
        "paths": [str(path) for path in paths],
        "uploads": [upload.name for upload in uploads],
        "manifest": options.manifest_path,
        "outlet": options.outlet,
    })
    writer = _BatchWriter(store, run_id, manifest, options)
    for done, item in enumerate(_items(paths, uploads), start=1):
        writer.add(item)
        if progress is not None:
            progress(done, item.input)
    writer.flush()
    if manifest.outlets:
        store.set_outlets(
            {article_id: outlet for article_id, outlet in manifest.outlets.items()},
            origin="manifest",
        )
    return IngestResult(run_id, store.ingest_report(run_id))


def _collect_manifest(paths: list[Path], manifest_path: str | None) -> Manifest:
    manifest = Manifest()
    for path in paths:
        if path.is_dir() and (path / MANIFEST_NAME).is_file():
            manifest = manifest.merged(load_manifest(path / MANIFEST_NAME))
    if manifest_path:
        manifest = manifest.merged(load_manifest(manifest_path))
    return manifest


def _items(paths: list[Path], uploads: list[Upload]) -> Iterator[InputItem]:
    for path in paths:
        if path.is_dir():
            yield from _folder_items(path)
        elif path.is_file():
            yield from read_file(path)
        else:
            yield InputItem(str(path), "unknown", reason="no such file or folder")
    for upload in uploads:
        yield from read_file(Path(Path(upload.name).name), data=upload.data)


def _folder_items(folder: Path) -> Iterator[InputItem]:
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            yield InputItem(str(path), "skipped", reason="hidden file")
        elif path.name == MANIFEST_NAME and path.parent == folder:
            yield InputItem(str(path), "skipped", reason="the folder's outlet manifest")
        elif path.stem.lower() in _NOT_INPUTS:
            yield InputItem(str(path), "skipped", reason="documentation, not an article")
        else:
            yield from read_file(path)


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed, so line-ending changes still dedup."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class _BatchWriter:
    """Decides each item's fate and writes articles in transactional batches."""

    def __init__(self, store: Store, run_id: int, manifest: Manifest, options: IngestOptions):
        self.store = store
        self.run_id = run_id
        self.manifest = manifest
        self.options = options
        self.position = 0
        self.articles: list[NewArticle] = []
        self.rows: list[dict] = []
        self.batch_hashes: dict[str, str] = {}
        self.batch_ids: dict[str, str] = {}

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
        article_id = record.id if record.id is not None else content_id(" ".join(record.text.split()))
        row = {"input": item.input, "article_id": article_id}
        existing_hash = self.batch_ids.get(article_id) or self.store.id_hash(article_id)
        if existing_hash is not None:
            if existing_hash == digest:
                return {**row, "status": "duplicate", "reason": "already imported (same id and text)"}
            return {**row, "status": "rejected", "reason": (
                f"id conflict: {article_id!r} already holds a different text; "
                "give this article another id or remove the old one")}
        owner = self.batch_hashes.get(digest) or self.store.hash_owner(digest)
        if owner is not None:
            return {**row, "status": "duplicate", "reason": f"same text as article {owner!r}"}
        self.articles.append(self._article(item, article_id, digest))
        self.batch_hashes[digest] = article_id
        self.batch_ids[article_id] = digest
        return {**row, "status": "imported", "reason": None}

    def _article(self, item: InputItem, article_id: str, digest: str) -> NewArticle:
        record = item.record
        outlet, origin = self._outlet(article_id, record.outlet)
        cleaned = clean_text(record.text)
        given = {
            key: value for key, value in {
                "outlet": record.outlet, "title": record.title, "date": record.date,
                "author": record.author, "url": record.url, **record.extra,
                **self.manifest.metadata.get(article_id, {}),
            }.items() if value is not None
        }
        return NewArticle(
            id=article_id, content_hash=digest, source=item.input, format=item.format,
            raw_text=record.text, given=given, outlet=outlet, outlet_origin=origin,
            title=record.title, date=normalise_date(record.date), author=record.author,
            dateline=None, url=record.url, body=cleaned.body, words=count_words(cleaned.body),
            removed=[{"line": line.line, "rule": line.rule} for line in cleaned.removed],
            extractor=record.extractor,
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
        if not self.rows:
            return
        self.store.write_batch(self.run_id, self.articles, self.rows, self.position)
        self.position += len(self.rows)
        self.articles, self.rows = [], []
        self.batch_hashes, self.batch_ids = {}, {}
