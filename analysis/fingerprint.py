"""Source fingerprints: articles without an outlet, grouped by shared template lines.

Two articles belong to one source when they share a line that names a site
rather than a widget every site has: a page header with its digits masked
(" date 2022-03-30 Home page politics" and " date 2022-01-26 Home page
politics" share one key), a tagline, a copyright line, a site's own call to
action, or a line the corpus pass found to be template (see
:data:`analysis.clean.IDENTIFYING_RULES`). Groups are the connected
components of "shares such a line"; an article sharing none is a source of
its own.

A group's ``fingerprint`` is ``fp-`` plus the first 12 hex digits of its
canonical line key (an article id's hash for a group with no template line).
The canonical key prefers one the user already named, then one seen before,
then the key most articles share, so a rename survives re-analysis while the
group grows. The generated ``name`` is read from the evidence (a tagline's
site, a copyright holder, a header's words) or falls back to ``source-XXXXXX``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.boilerplate import tagline_site
from analysis.clean import KEY_FLAGS, line_key
from analysis.errors import UnknownIdError, UsageError
from analysis.store import Store

SOURCE_COLUMNS = ["fingerprint", "name", "article_ids", "evidence"]
FINGERPRINT_ORIGIN = "fingerprint"
MAX_EVIDENCE_LINES = 5
MAX_NAME_CHARS = 60
LINKING_FLAGS = frozenset(KEY_FLAGS[name] for name in ("identifying", "template", "template-prose"))
_COPYRIGHT_HOLDER = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}\s*[-–]?\s*(?:\d{4})?\s*,?\s*)?(?:by\s+)?([^.,|©]+)",
    re.IGNORECASE)
_LEGAL_SUFFIX = re.compile(r"\s+(?:llc|inc|ltd|gmbh|plc|corp|co)\.?$", re.IGNORECASE)
_HEADER_WORD = re.compile(r"[^\W\d_][\w'’&-]*")
_HEADER_NOISE_WORDS = frozenset({"date", "datum", "published", "updated", "posted"})


@dataclass(frozen=True)
class SourceGroup:
    """One fingerprint group; ``evidence`` lists the shared lines as "line (rule, N articles)".

    ``name`` is the user's name when there is one, else ``generated_name``.
    """

    fingerprint: str
    name: str
    generated_name: str
    article_ids: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class _Draft:
    fingerprint: str
    article_ids: tuple[str, ...]
    keys: tuple[str, ...]


def fingerprint_of(key: str) -> str:
    return "fp-" + key[:12]


def group_sources(
    tokens_by_article: Mapping[str, Sequence[str]],
    removed_by_article: Mapping[str, Sequence[Mapping[str, str]]],
    *,
    names: Mapping[str, str] | None = None,
    previous: Sequence[str] = (),
) -> list[SourceGroup]:
    """Group articles (id → line-key tokens, id → removed lines) into sources.

    ``names`` maps fingerprints to the user's names; ``previous`` lists the
    fingerprints of the last pass. Returns one :class:`SourceGroup` per
    source, largest first.
    """
    names = names or {}
    linking = _linking_keys(tokens_by_article)
    drafts = _drafts(tokens_by_article, linking, preferred=set(names) | set(previous))
    lines_by_key = _lines_by_key(removed_by_article)
    groups, taken = [], Counter()
    for draft in drafts:
        generated = _generated_name(draft, lines_by_key)
        taken[generated] += 1
        if taken[generated] > 1:
            generated = f"{generated} ({draft.fingerprint})"
        evidence = tuple(_evidence(draft, linking, lines_by_key))
        groups.append(SourceGroup(draft.fingerprint, names.get(draft.fingerprint, generated), generated,
                                  draft.article_ids, evidence))
    return groups


def _linking_keys(tokens_by_article: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Identifying or template keys, each with the articles that hold it."""
    articles_by_key: dict[str, list[str]] = defaultdict(list)
    for article_id, tokens in tokens_by_article.items():
        for token in tokens:
            if token[-1] in LINKING_FLAGS:
                articles_by_key[token[:-1]].append(article_id)
    return articles_by_key


def _drafts(tokens_by_article, linking: dict[str, list[str]], *, preferred: set[str]) -> list[_Draft]:
    parent = {article_id: article_id for article_id in tokens_by_article}

    def root(article_id: str) -> str:
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    for article_ids in linking.values():
        for other in article_ids[1:]:
            parent[root(other)] = root(article_ids[0])
    members: dict[str, list[str]] = defaultdict(list)
    for article_id in tokens_by_article:
        members[root(article_id)].append(article_id)
    keys_of_group: dict[str, set[str]] = defaultdict(set)
    for key, article_ids in linking.items():
        keys_of_group[root(article_ids[0])].add(key)
    drafts = []
    for group_root, article_ids in members.items():
        keys = sorted(keys_of_group[group_root], key=lambda key: (-len(linking[key]), key))
        drafts.append(_Draft(_canonical(keys, article_ids, preferred), tuple(article_ids), tuple(keys)))
    return sorted(drafts, key=lambda draft: (-len(draft.article_ids), draft.fingerprint))


def _canonical(keys: list[str], article_ids: list[str], preferred: set[str]) -> str:
    for key in keys:
        if fingerprint_of(key) in preferred:
            return fingerprint_of(key)
    if keys:
        return fingerprint_of(keys[0])
    return fingerprint_of(hashlib.blake2b(min(article_ids).encode("utf-8"), digest_size=8).hexdigest())


def _lines_by_key(removed_by_article) -> dict[str, tuple[str, str]]:
    lines: dict[str, tuple[str, str]] = {}
    for removed in removed_by_article.values():
        for item in removed:
            lines.setdefault(line_key(item["line"]), (item["line"], item["rule"]))
    return lines


def _evidence(draft: _Draft, linking, lines_by_key) -> list[str]:
    evidence = []
    for key in draft.keys[:MAX_EVIDENCE_LINES]:
        line, rule = lines_by_key.get(key, ("(line no longer stored)", "unknown"))
        evidence.append(f"{line} ({rule}, {len(linking[key])} articles)")
    return evidence


def _generated_name(draft: _Draft, lines_by_key) -> str:
    for key in draft.keys:
        line, rule = lines_by_key.get(key, ("", ""))
        name = _name_from_line(line, rule)
        if name:
            return name[:MAX_NAME_CHARS]
    return "source-" + draft.fingerprint[3:9]


def _name_from_line(line: str, rule: str) -> str | None:
    if rule == "tagline":
        site = tagline_site(line)
        return site if site and len(site.split()) <= 4 else None
    if rule == "copyright":
        match = _COPYRIGHT_HOLDER.search(line)
        holder = _LEGAL_SUFFIX.sub("", match.group(1).strip()) if match else ""
        return holder if 1 <= len(holder.split()) <= 6 else None
    if rule in ("page-header", "navigation"):
        words = [word for word in _HEADER_WORD.findall(line) if word.lower() not in _HEADER_NOISE_WORDS]
        return " ".join(words) if 1 <= len(words) <= 6 else None
    return None


# -- the store -----------------------------------------------------------------

def source_names(store: Store) -> dict[str, str]:
    """The user's names, by fingerprint."""
    return dict(store.connection.execute("SELECT fingerprint, name FROM source_names").fetchall())


def previous_fingerprints(store: Store) -> list[str]:
    return [row[0] for row in store.connection.execute("SELECT fingerprint FROM sources")]


def save_sources(store: Store, groups: Sequence[SourceGroup]) -> None:
    """Replace the stored groups (their generated names and evidence)."""
    rows = [(group.fingerprint, group.generated_name, json.dumps(group.evidence, ensure_ascii=False))
            for group in groups]
    stored = store.connection.execute(
        "SELECT fingerprint, generated_name, evidence_json FROM sources ORDER BY rowid").fetchall()
    if stored == rows:
        return  # an unchanged pass must not bump the corpus version
    with store.transaction() as connection:
        connection.execute("DELETE FROM sources")
        connection.executemany(
            "INSERT INTO sources(fingerprint, generated_name, evidence_json) VALUES (?, ?, ?)", rows)


def sources_frame(store: Store) -> pd.DataFrame:
    """Columns: fingerprint, name (the user's, else generated), article_ids (list), evidence (list)."""
    rows = store.connection.execute(
        """
        SELECT s.fingerprint, coalesce(n.name, s.generated_name), s.evidence_json,
               (SELECT json_group_array(a.id) FROM articles a WHERE a.fingerprint = s.fingerprint)
        FROM sources s LEFT JOIN source_names n ON n.fingerprint = s.fingerprint
        ORDER BY s.rowid
        """).fetchall()
    return pd.DataFrame(
        [{"fingerprint": fingerprint, "name": name, "article_ids": json.loads(ids or "[]"),
          "evidence": json.loads(evidence)} for fingerprint, name, evidence, ids in rows],
        columns=SOURCE_COLUMNS)


def rename_source(store: Store, fingerprint: str, name: str) -> int:
    """Name a fingerprint group; its articles' outlet follows. Returns how many articles changed.

    The name is kept in ``source_names`` and survives re-analysis. Raises
    UnknownIdError for an unknown fingerprint and UsageError for an empty name.
    """
    name = " ".join((name or "").split())
    if not name:
        raise UsageError("a source name must not be empty")
    known = store.connection.execute(
        "SELECT 1 FROM sources WHERE fingerprint = ?", (fingerprint,)).fetchone()
    if known is None:
        raise UnknownIdError(
            f"no source with fingerprint {fingerprint!r}; `samestory sources` lists them")
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO source_names(fingerprint, name) VALUES (?, ?) "
            "ON CONFLICT(fingerprint) DO UPDATE SET name = excluded.name, "
            "renamed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", (fingerprint, name))
        cursor = connection.execute(
            "UPDATE articles SET outlet = ? WHERE fingerprint = ? AND outlet_origin = ?",
            (name, fingerprint, FINGERPRINT_ORIGIN))
    return cursor.rowcount
