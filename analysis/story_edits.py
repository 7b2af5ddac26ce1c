"""The user's story edits: merge two stories, move an article, split a story.

Edits are stored in the ``story_edits`` table in terms of *articles*, not
story ids, because story ids are recomputed whenever the corpus changes:

- ``merge``: ``article_ids`` are the members of the merged stories; on replay
  every story holding one of them becomes one story.
- ``move``: ``article_ids`` is the moved article and ``target_article`` a
  member of the destination story; on replay the article joins whichever
  story holds the target.
- ``split``: ``article_ids`` leave their story and form a new one together.

:func:`apply_edits` replays them, oldest first, over a fresh grouping, so
they survive re-analysis. Articles that no longer exist are skipped.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from analysis.errors import UnknownIdError, UsageError
from analysis.store import Store

EDIT_COLUMNS = ["edit_id", "kind", "article_ids", "target_article", "created_at"]


def story_edits(store: Store) -> pd.DataFrame:
    """Every stored edit, oldest first. Columns: edit_id, kind, article_ids
    (list), target_article (or None), created_at."""
    rows = store.connection.execute(
        "SELECT edit_id, kind, articles_json, target_article, created_at FROM story_edits "
        "ORDER BY edit_id").fetchall()
    return pd.DataFrame([(edit_id, kind, json.loads(articles), target, created)
                         for edit_id, kind, articles, target, created in rows], columns=EDIT_COLUMNS)


def edits_key(edits: pd.DataFrame) -> str:
    """A short fingerprint of the edit list (changes when one is added or undone)."""
    text = ",".join(str(edit_id) for edit_id in edits["edit_id"])
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def apply_edits(base: dict[str, str], edits: pd.DataFrame, *, order: list[str]) -> dict[str, str]:
    """Replay ``edits`` over ``base`` (article id → group key).

    Returns article id → the first article (in ``order``) of its group.
    """
    label = dict(base)
    for edit in edits.itertuples(index=False):
        present = [article_id for article_id in edit.article_ids if article_id in label]
        if edit.kind == "merge":
            merged = {label[article_id] for article_id in present}
            if len(merged) > 1:
                into = label[present[0]]
                label = {key: (into if value in merged else value) for key, value in label.items()}
        elif edit.kind == "move":
            if present and edit.target_article in label:
                label[present[0]] = label[edit.target_article]
        elif edit.kind == "split":
            for article_id in present:
                label[article_id] = f"split#{edit.edit_id}"
    first_of_group: dict[str, str] = {}
    for article_id in order:
        first_of_group.setdefault(label[article_id], article_id)
    return {article_id: first_of_group[label[article_id]] for article_id in order}


# -- the three edits, by story id (as the user sees them) -----------------------

def merge_stories(store: Store, story_id: str, other_story_id: str) -> int:
    """Merge two stories into one; returns the edit id."""
    from analysis.stories import story_article_ids

    if story_id == other_story_id:
        raise UsageError(f"cannot merge story {story_id!r} with itself")
    members = story_article_ids(store, story_id) + story_article_ids(store, other_story_id)
    return _record(store, "merge", members, None)


def move_article(store: Store, article_id: str, story_id: str) -> int:
    """Move one article into another story; returns the edit id."""
    from analysis.stories import story_article_ids, story_memberships

    members = story_article_ids(store, story_id)
    current = story_memberships(store)
    if article_id not in set(current["article_id"]):
        raise UnknownIdError(f"no article with id {article_id!r}")
    if article_id in members:
        raise UsageError(f"article {article_id!r} is already in story {story_id!r}")
    return _record(store, "move", [article_id], members[0])


def split_story(store: Store, story_id: str, article_ids: list[str]) -> int:
    """Take ``article_ids`` out of ``story_id`` into a new story; returns the edit id."""
    from analysis.stories import story_article_ids

    members = story_article_ids(store, story_id)
    chosen = list(dict.fromkeys(article_ids))
    outside = [article_id for article_id in chosen if article_id not in members]
    if not chosen:
        raise UsageError("name at least one article to split off")
    if outside:
        raise UsageError(f"not in story {story_id!r}: {', '.join(outside)}")
    if len(chosen) == len(members):
        raise UsageError(f"splitting off every article leaves story {story_id!r} as it is; "
                         "name only the articles that should leave")
    return _record(store, "split", chosen, None)


def undo_edit(store: Store, edit_id: int) -> None:
    """Delete one edit; the stories are recomputed without it."""
    with store.transaction() as connection:
        cursor = connection.execute("DELETE FROM story_edits WHERE edit_id = ?", (int(edit_id),))
        if cursor.rowcount == 0:
            raise UnknownIdError(f"no story edit #{edit_id}; `samestory story-edits` lists them")


def _record(store: Store, kind: str, article_ids: list[str], target_article: str | None) -> int:
    # Through store.transaction(): the corpus version moves, so views refresh.
    with store.transaction() as connection:
        cursor = connection.execute(
            "INSERT INTO story_edits(kind, articles_json, target_article) VALUES (?, ?, ?)",
            (kind, json.dumps(article_ids, ensure_ascii=False), target_article))
    return int(cursor.lastrowid)
