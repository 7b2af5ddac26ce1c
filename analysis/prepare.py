"""Derived fields of articles: one article at ingest, the whole corpus after it.

:func:`prepare_article` cleans one text and recovers its metadata; ingest
calls it for every new article. :func:`prepare_corpus` then adds what only the
corpus as a whole can tell, and writes back whatever changed:

1. **Template lines.** A line (lowercased, digits masked) that recurs in at
   least :attr:`TemplateOptions.min_documents` articles (``prose_min_documents``
   for sentence-like lines) is template when the articles holding it are
   otherwise unrelated: over consecutive pairs (a, b) of up to
   ``sample_documents`` of them, the median of

       share(a, b) = (|K_a ∩ K_b| − 1) / (min(|K_a|, |K_b|) − 1)

   is at most ``max_shared_share``, where K is an article's set of line keys
   without those in ``common_key_documents`` or more articles (the −1 takes
   out the line being judged). Wire copies and re-posted versions of one story share
   most of their lines and so keep them; a footer shares only itself and its
   block. Template lines are removed last in the cascade, so an article
   changes only by losing kept lines: the pass patches the stored body and
   re-cleans from the raw text only when evidence was withdrawn.
2. **Metadata** of every changed article, given values first.
3. **Source fingerprints** for articles without a user-given outlet
   (see :mod:`analysis.fingerprint`).

Everything is decided from the stored line keys (:attr:`CleanedText.line_keys`),
so the pass reads bodies only of the articles that change.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

from joblib import Parallel, delayed

from analysis.clean import (
    KEY_CHARS,
    KEY_FLAGS,
    MAX_TEMPLATE_CHARS,
    CleanedText,
    CleanOptions,
    RemovedLine,
    clean_text,
    count_words,
)
from analysis.errors import UsageError
from analysis.fingerprint import (
    FINGERPRINT_ORIGIN,
    LINKING_FLAGS,
    group_sources,
    previous_fingerprints,
    save_sources,
    source_names,
)
from analysis.metadata import DATELINE_PARAGRAPHS, recover_metadata
from analysis.store import Store
from analysis.workers import even_parts

log = logging.getLogger(__name__)
TEMPLATE_RULE = "recurring-template"
# First token of every stored ``line_keys``: articles keyed by another version are re-cleaned.
LINE_KEYS_VERSION = "keys-v1"
_KEPT_FLAGS = frozenset((KEY_FLAGS["prose"], KEY_FLAGS["kept"]))
_BODY_FLAGS = _KEPT_FLAGS | {KEY_FLAGS["credit"]}  # tokens of lines the body holds
_TEMPLATE_FLAGS = frozenset((KEY_FLAGS["template"], KEY_FLAGS["template-prose"]))
_PROSE_FLAGS = frozenset((KEY_FLAGS["prose"], KEY_FLAGS["template-prose"]))
_SETTLED_FLAGS = frozenset((KEY_FLAGS["removed"], KEY_FLAGS["identifying"], KEY_FLAGS["credit"]))
_AS_TEMPLATE = {KEY_FLAGS["prose"]: KEY_FLAGS["template-prose"], KEY_FLAGS["kept"]: KEY_FLAGS["template"]}
# Below this many articles, starting worker processes costs more than it saves.
PARALLEL_MIN_ARTICLES = 200
_DERIVED = ("body", "words", "removed_json", "title", "date", "author", "dateline", "line_keys")


@dataclass(frozen=True)
class TemplateOptions:
    min_documents: int = 3
    prose_min_documents: int = 5
    max_shared_share: float = 0.5
    sample_documents: int = 8
    common_key_documents: int = 50  # lines this common say nothing about two articles' kinship

    def __post_init__(self) -> None:
        if min(self.min_documents, self.prose_min_documents, self.sample_documents) < 2:
            raise UsageError("template evidence needs at least 2 documents (min_documents, "
                             "prose_min_documents and sample_documents must be >= 2)")
        if not 0 <= self.max_shared_share <= 1:
            raise UsageError(f"max_shared_share must be in [0, 1], got {self.max_shared_share}")


@dataclass(frozen=True)
class PrepareOptions:
    template: TemplateOptions = TemplateOptions()
    full: bool = False  # re-clean every article from its raw text (after the rules changed)


@dataclass(frozen=True)
class PreparedArticle:
    """The derived fields of one article, ready for :class:`analysis.store.NewArticle`."""

    body: str
    words: int
    removed: list[dict]
    title: str | None
    date: str | None
    author: str | None
    dateline: str | None
    line_keys: tuple[str, ...]


@dataclass(frozen=True)
class PrepareResult:
    articles: int
    template_lines: int
    updated: int
    sources: int
    seconds: float


def prepare_article(
    raw_text: str, *, given: Mapping[str, object] | None = None,
    template_keys: frozenset[str] = frozenset(),
) -> PreparedArticle:
    """Clean ``raw_text`` and recover its metadata; ``given`` values (title, date, author) win."""
    given = given or {}
    title = given.get("title")
    cleaned = clean_text(raw_text, options=CleanOptions(
        template_keys=template_keys, given_title=str(title) if title else None))
    return _prepared(cleaned, given)


def prepare_articles(
    jobs: Sequence[tuple[str, Mapping[str, object]]], *, template_keys: frozenset[str] = frozenset(),
    workers: int = 1,
) -> list[PreparedArticle]:
    """:func:`prepare_article` of each ``(raw_text, given)`` job, in order.

    With ``workers > 1`` and at least :data:`PARALLEL_MIN_ARTICLES` jobs the
    work is shared among that many worker processes (cleaning is pure
    Python, so threads would not help).
    """
    if workers <= 1 or len(jobs) < PARALLEL_MIN_ARTICLES:
        return _prepare_chunk(jobs, template_keys)
    # Four parts per worker even out articles of very different lengths.
    results = Parallel(n_jobs=workers)(delayed(_prepare_chunk)(jobs[part], template_keys)
                                       for part in even_parts(len(jobs), 4 * workers))
    return [prepared for result in results for prepared in result]


def _prepare_chunk(jobs: Sequence[tuple[str, Mapping[str, object]]], template_keys: frozenset[str]
                   ) -> list[PreparedArticle]:
    return [prepare_article(text, given=given, template_keys=template_keys) for text, given in jobs]


def _prepared(cleaned: CleanedText, given: Mapping[str, object]) -> PreparedArticle:
    metadata = recover_metadata(cleaned, given=given)
    return PreparedArticle(
        body=cleaned.body, words=count_words(cleaned.body) if cleaned.words is None else cleaned.words,
        removed=[{"line": item.line, "rule": item.rule} for item in cleaned.removed],
        title=metadata.title, date=metadata.date, author=metadata.author, dateline=metadata.dateline,
        line_keys=(LINE_KEYS_VERSION, *cleaned.line_keys),
    )


def find_template_keys(documents: Sequence[Sequence[str]], *, options: TemplateOptions = TemplateOptions()
                       ) -> frozenset[str]:
    """Line keys that are template, from each document's flagged line-key tokens.

    Only keys that some document still keeps (or kept out as template before)
    are judged; the rest are removed by a line rule everywhere already. The
    counting runs on sets of whole tokens, so the work per line is C code.
    """
    unique = [set(tokens) for tokens in documents]
    token_counts = Counter(chain.from_iterable(unique))
    key_counts: Counter[str] = Counter()
    for token, count in token_counts.items():
        key_counts[token[:KEY_CHARS]] += count
    floor = min(options.min_documents, options.prose_min_documents)
    candidates = {token for token in token_counts if key_counts[token[:KEY_CHARS]] >= floor}
    postings: dict[str, list[int]] = defaultdict(list)
    judged, prose = set(), set()
    for index, tokens in enumerate(unique):
        for token in tokens & candidates:
            key, flag = token[:KEY_CHARS], token[KEY_CHARS:]
            postings[key].append(index)
            if flag not in _SETTLED_FLAGS:
                judged.add(key)
            if flag in _PROSE_FLAGS:
                prose.add(key)
    keysets: dict[int, frozenset[str]] = {}

    def keyset(index: int) -> frozenset[str]:
        if index not in keysets:
            keysets[index] = frozenset(
                token[:KEY_CHARS] for token in unique[index]
                if key_counts[token[:KEY_CHARS]] < options.common_key_documents)
        return keysets[index]

    template = set()
    for key in judged:
        needed = options.prose_min_documents if key in prose else options.min_documents
        holders = sorted(set(postings[key]))
        if len(holders) >= needed and _unrelated(holders, key, keyset, options):
            template.add(key)
    return frozenset(template)


def _unrelated(holders: list[int], key: str, keyset, options: TemplateOptions) -> bool:
    step = max(1, len(holders) // options.sample_documents)
    sample = holders[::step][: options.sample_documents]
    shares = []
    for first, second in pairwise(sample):
        a, b = keyset(first), keyset(second)
        own = 1 if key in a else 0
        denominator = min(len(a), len(b)) - own
        shares.append((len(a & b) - own) / denominator if denominator > 0 else 0.0)
    return statistics.median(shares) <= options.max_shared_share


def prepare_corpus(store: Store, *, options: PrepareOptions = PrepareOptions(), workers: int = 1
                   ) -> PrepareResult:
    """Recompute template evidence, metadata and fingerprints for the whole store.

    ``workers`` processes re-clean the articles whose evidence changed.
    """
    started = time.perf_counter()
    state = store.article_fields(["id", "line_keys", "outlet", "outlet_origin", "fingerprint"])
    ids = state["id"].tolist()
    tokens = {article_id: _tokens(value) for article_id, value in zip(ids, state["line_keys"])}
    template = find_template_keys([value or [] for value in tokens.values()], options=options.template)
    patch, reclean = _changed(tokens, template, full=options.full)
    rows = [row for row in _recleaned(store, reclean, template, workers) + _patched(store, patch, template)
            if len(row) > 1]
    if rows:
        store.update_derived(rows)  # first, so fingerprint evidence can quote new template lines
    for row in rows:
        if "line_keys" in row:
            tokens[row["id"]] = _tokens(row["line_keys"])
    source_rows, group_count = _fingerprint_rows(store, state, tokens)
    if source_rows:
        store.update_derived(source_rows)
    updated = len({row["id"] for row in rows + source_rows})
    seconds = time.perf_counter() - started
    log.info("prepared %d articles in %.2fs: %d template lines, %d updated, %d sources",
             len(ids), seconds, len(template), updated, group_count)
    return PrepareResult(len(ids), len(template), updated, group_count, seconds)


def _tokens(line_keys: str) -> list[str] | None:
    """The flagged keys of a stored ``line_keys``; None when they come from another version."""
    tokens = line_keys.split()
    return tokens[1:] if tokens and tokens[0] == LINE_KEYS_VERSION else None


def _changed(tokens: Mapping[str, list[str] | None], template: frozenset[str], *, full: bool
             ) -> tuple[list[str], list[str]]:
    """Articles to patch (kept lines became template) and to re-clean (evidence withdrawn)."""
    patch, reclean = [], []
    for article_id, article_tokens in tokens.items():
        if full or article_tokens is None:
            reclean.append(article_id)
            continue
        withdrawn = gained = False
        for token in article_tokens:
            flag = token[-1]
            if flag in _TEMPLATE_FLAGS and token[:-1] not in template:
                withdrawn = True
                break
            if flag in _KEPT_FLAGS and token[:-1] in template:
                gained = True
        if withdrawn:
            reclean.append(article_id)
        elif gained:
            patch.append(article_id)
    return patch, reclean


def _recleaned(store: Store, article_ids: list[str], template: frozenset[str], workers: int = 1
               ) -> list[dict]:
    if not article_ids:
        return []
    frame = store.article_fields(["id", "raw_text", "given_json", *_DERIVED], ids=article_ids)
    records = frame.to_dict(orient="records")
    prepared = prepare_articles(
        [(record["raw_text"], json.loads(record["given_json"])) for record in records],
        template_keys=template, workers=workers)
    return [_difference(record, article) for record, article in zip(records, prepared)]


def _patched(store: Store, article_ids: list[str], template: frozenset[str]) -> list[dict]:
    """Move kept paragraphs that became template into ``removed``; no raw text needed.

    The kept tokens of ``line_keys`` align one to one with the body's
    paragraphs of at most :data:`MAX_TEMPLATE_CHARS` characters, so no line
    is hashed again. An article whose tokens do not align is re-cleaned.
    """
    if not article_ids:
        return []
    frame = store.article_fields(["id", "given_json", *_DERIVED], ids=article_ids)
    rows, misaligned = [], []
    for record in frame.to_dict(orient="records"):
        paragraphs = record["body"].split("\n\n") if record["body"] else []
        tokens = list(_tokens(record["line_keys"]) or [])
        slots = [index for index, token in enumerate(tokens) if token[KEY_CHARS:] in _BODY_FLAGS]
        if len(slots) != sum(1 for paragraph in paragraphs if len(paragraph) <= MAX_TEMPLATE_CHARS):
            misaligned.append(record["id"])
            continue
        kept, dropped, slot = [], [], iter(slots)
        for position, paragraph in enumerate(paragraphs):
            index = next(slot) if len(paragraph) <= MAX_TEMPLATE_CHARS else None
            token = tokens[index] if index is not None else ""
            if token[KEY_CHARS:] in _KEPT_FLAGS and token[:KEY_CHARS] in template:
                tokens[index] = token[:KEY_CHARS] + _AS_TEMPLATE[token[KEY_CHARS:]]
                dropped.append((position, paragraph))
            else:
                kept.append(paragraph)
        removed = [RemovedLine(**item) for item in json.loads(record["removed_json"])]
        removed += [RemovedLine(paragraph, TEMPLATE_RULE) for _, paragraph in dropped]
        cleaned = CleanedText("\n\n".join(kept), removed, tuple(tokens))
        rows.append(_patched_row(record, cleaned, [paragraph for _, paragraph in dropped],
                                 opening_changed=dropped[0][0] < DATELINE_PARAGRAPHS))
    return rows + _recleaned(store, misaligned, template)


def _patched_row(record: dict, cleaned: CleanedText, dropped: list[str], *, opening_changed: bool
                 ) -> dict:
    """Metadata depends on the body only through its opening paragraphs (the dateline)."""
    if opening_changed:
        return _difference(record, _prepared(cleaned, json.loads(record["given_json"])))
    removed = [{"line": item.line, "rule": item.rule} for item in cleaned.removed]
    words = int(record["words"]) - sum(count_words(paragraph) for paragraph in dropped)
    return {"id": record["id"], "body": cleaned.body, "words": words,
            "removed_json": json.dumps(removed, ensure_ascii=False),
            "line_keys": " ".join((LINE_KEYS_VERSION, *cleaned.line_keys))}


def _difference(record: dict, prepared: PreparedArticle) -> dict:
    """Only the columns whose value changed, so unchanged bodies never touch the FTS index."""
    new = {
        "body": prepared.body, "words": prepared.words, "title": prepared.title,
        "date": prepared.date, "author": prepared.author, "dateline": prepared.dateline,
        "removed_json": json.dumps(prepared.removed, ensure_ascii=False),
        "line_keys": " ".join(prepared.line_keys),
    }
    row = {"id": record["id"]}
    for column, value in new.items():
        if record.get(column) != value:
            row[column] = value
    return row


def _fingerprint_rows(store: Store, state, tokens: Mapping[str, list[str]]) -> tuple[list[dict], int]:
    """Outlet and fingerprint of every article without a user-given outlet."""
    candidates = [article_id for article_id, origin in zip(state["id"], state["outlet_origin"])
                  if origin in (None, FINGERPRINT_ORIGIN)]
    linking = [article_id for article_id in candidates
               if any(token[-1] in LINKING_FLAGS for token in tokens[article_id] or ())]
    removed = {}
    if linking:
        frame = store.article_fields(["id", "removed_json"], ids=linking)
        removed = {row.id: json.loads(row.removed_json) for row in frame.itertuples()}
    groups = group_sources({article_id: tokens[article_id] or [] for article_id in candidates}, removed,
                           names=source_names(store), previous=previous_fingerprints(store))
    save_sources(store, groups)
    assigned = {article_id: group for group in groups for article_id in group.article_ids}
    rows = []
    for article_id, outlet, origin, fingerprint in zip(
            state["id"], state["outlet"], state["outlet_origin"], state["fingerprint"]):
        group = assigned.get(article_id)
        if group is None:
            if fingerprint is not None:
                rows.append({"id": article_id, "fingerprint": None})
            continue
        if (outlet, origin, fingerprint) != (group.name, FINGERPRINT_ORIGIN, group.fingerprint):
            rows.append({"id": article_id, "outlet": group.name, "outlet_origin": FINGERPRINT_ORIGIN,
                         "fingerprint": group.fingerprint})
    return rows, len(groups)

