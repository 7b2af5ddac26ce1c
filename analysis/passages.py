"""Passages inside a story: what each outlet shares, paraphrases, copies and adds.

Every sentence of every article of a story gets one ``kind``:

* ``shared`` — at least :attr:`PassageOptions.shared_coverage` of its words lie
  in passages that another outlet's article of the story also has, near
  verbatim. A passage is a run of at least ``min_run_words`` words covered by
  word ``shingle_words``-grams found in the other article; gaps of up to
  ``max_gap_words`` changed words inside a passage are bridged. The n-grams
  are taken over the whole article, so a sentence that was split or merged
  still matches.
* ``paraphrase`` — not shared, but its TF-IDF cosine with a sentence of
  another outlet is at least ``paraphrase_cosine`` (threshold measured, see
  :class:`PassageOptions`).
* ``unique`` — neither: what this outlet added.

Per article, ``copied_share`` is the fraction of its words in passages it has
in common with an *earlier* article of another outlet, or with a wire
agency's article, or with any other outlet when the article itself carries a
strong wire cue (it says the text is agency copy; see :mod:`analysis.wire`).

"Earlier" follows the publishing order of the story: by date; undated
articles after dated ones (an undated page is more often a re-post than the
original); on the same date a wire agency's article first; then by article
id. The order is total, so results never depend on input order.

An article whose copied share is at least ``collapse_share`` is a copy: in the
story's independent-outlet count it is collapsed into the source it copied
most from (the outlet of that article, or the agency named by its own cue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.util import find_spec

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from analysis import overlap
from analysis.errors import UnknownIdError, UsageError
from analysis.paraphrase import paraphrase_matches
from analysis.passage_documents import article_facts, story_documents, strong_cue_agency
from analysis.passage_shares import (
    KINDS,
    SHARE_COLUMNS,
    SUMMARY_COLUMNS,
    article_shares,
    story_summary,
)
from analysis.reuse import word_reuse
from analysis.sentences import sentence_table
from analysis.wire import CUE_COLUMNS, wire_cues

__all__ = [
    "KINDS", "PASSAGE_COLUMNS", "PASSAGE_SUMMARY_COLUMNS", "SENTENCE_COLUMNS", "SHARE_COLUMNS",
    "SUMMARY_COLUMNS", "PassageAlignment", "PassageOptions", "align_stories", "align_story",
    "copied_shares", "store_passages", "story_lines",
]

SENTENCE_COLUMNS = (
    "story_id", "article_id", "outlet", "paragraph", "position", "sentence", "start", "end",
    "words", "kind", "shared_coverage", "copied_coverage", "paraphrase_cosine", "matches",
)
# What ``samestory passages`` prints, per sentence and (--summary) per article.
PASSAGE_COLUMNS = ("article_id", "outlet", "paragraph", "position", "sentence", "kind", "matches")
PASSAGE_SUMMARY_COLUMNS = (
    "article_id", "outlet", "date", "lag_days", "words", "copied_share", "shared_share",
    "paraphrase_share", "unique_share", "source_article_id", "source_outlet", "wire_agencies",
    "collapsed_into", "added_sentences",
)
# Stories are aligned in batches of about this many characters (about 1,000 news
# articles), to bound memory: on 25k articles in two workers, 20M-character batches
# peaked 0.5 GB higher than these at the same speed (benchmarks/pipeline.py).
BATCH_CHARS = 5_000_000


@dataclass(frozen=True)
class PassageOptions:
    """Thresholds of the alignment. The defaults were measured with
    ``benchmarks/passages_calibration.py`` (numbers in ``docs/passages.md``).

    shingle_words         words per n-gram that must match verbatim
    min_run_words         shortest shared passage; shorter runs are chance
    max_gap_words         edited words bridged inside a passage
    shared_coverage       share of a sentence's words in shared passages to call it shared
    paraphrase_cosine     TF-IDF cosine from which a sentence paraphrases another: about
                          the 99th percentile (0.289) of the best cosines between sentences
                          of different stories on the same topic, so ~1% false positives
                          there; it finds 87.5% of 40 hand-written paraphrases
    paraphrase_min_words  content words a sentence needs to be compared at all
    collapse_share        copied share from which an article counts as a copy of its source
    max_matches           counterparts kept per sentence
    """

    shingle_words: int = 4
    min_run_words: int = 6
    max_gap_words: int = 2
    shared_coverage: float = 0.5
    paraphrase_cosine: float = 0.28
    paraphrase_min_words: int = 4
    collapse_share: float = 0.5
    max_matches: int = 5

    def __post_init__(self) -> None:
        for name in ("shingle_words", "min_run_words", "paraphrase_min_words", "max_matches"):
            if getattr(self, name) < 1:
                raise UsageError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.max_gap_words < 0:
            raise UsageError(f"max_gap_words must be 0 or more, not {self.max_gap_words}")
        for name in ("shared_coverage", "paraphrase_cosine", "collapse_share"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise UsageError(f"{name} must be in (0, 1], not {getattr(self, name)}")


@dataclass(frozen=True)
class PassageAlignment:
    """The alignment of one or more stories, as tidy frames.

    sentences       one row per sentence (:data:`SENTENCE_COLUMNS`), in story, publishing
                    and sentence order. paragraph/position are 0-based; ``body[start:end]``
                    is the sentence as written (for highlighting); words counts ``\\w+``
                    tokens; shared_coverage/copied_coverage are the shares of its words in
                    shared / copied passages; paraphrase_cosine is its best cosine with
                    another outlet's sentence when at least the threshold, else 0;
                    matches is a list of ``{article_id, outlet, position, score}``, best
                    first (score: share of this sentence's n-grams found in the
                    counterpart for ``shared``, cosine for ``paraphrase``; empty for
                    ``unique``).
    article_shares  one row per article (:data:`analysis.passage_shares.SHARE_COLUMNS`).
    story_summary   one row per story (:data:`analysis.passage_shares.SUMMARY_COLUMNS`).
    wire_cues       the cues found (:data:`analysis.wire.CUE_COLUMNS`).
    """

    sentences: pd.DataFrame
    article_shares: pd.DataFrame
    story_summary: pd.DataFrame
    wire_cues: pd.DataFrame
    options: PassageOptions = field(default_factory=PassageOptions)

    def added(self, article_id: str | None = None) -> pd.DataFrame:
        """What each outlet added: its unique sentences (optionally of one article).

        Columns: story_id, article_id, outlet, paragraph, position, sentence, start, end.
        """
        rows = self.sentences[self.sentences["kind"] == "unique"]
        if article_id is not None:
            rows = rows[rows["article_id"] == str(article_id)]
        columns = ["story_id", "article_id", "outlet", "paragraph", "position", "sentence",
                   "start", "end"]
        return rows[columns].reset_index(drop=True)


def align_story(articles: pd.DataFrame, options: PassageOptions | None = None, *,
                story_id: str = "story") -> PassageAlignment:
    """Align the articles of one story.

    ``articles`` needs columns ``id`` and ``body``; ``outlet`` and ``date``
    (ISO ``YYYY-MM-DD``) are used when present. Example::

        alignment = align_story(store.articles(ids=["a1", "a2", "a3"]))
        alignment.article_shares[["article_id", "copied_share", "unique_share"]]
        alignment.added("a2")  # what a2's outlet added
    """
    return align_stories(articles.assign(story_id=story_id), options)


def store_passages(store, *, story_id: str | None = None, article_ids: list[str] | None = None,
                   options: PassageOptions | None = None) -> PassageAlignment:
    """Align a story of ``store`` (by ``story_id``) or any set of its articles (``article_ids``).

    Give exactly one of the two. Raises :class:`~analysis.errors.UnknownIdError`
    for an unknown story or article id.
    """
    if (story_id is None) == (not article_ids):
        raise UsageError("give a story id or article ids (one of the two)")
    if story_id is not None:
        if find_spec("analysis.stories") is None:
            raise UsageError("--story needs story grouping (analysis.stories), not installed here")
        from analysis.stories import story_article_ids

        article_ids = [str(article_id) for article_id in story_article_ids(store, story_id)]
    articles = store.articles(ids=list(article_ids))
    missing = sorted(set(map(str, article_ids)) - set(articles["id"].astype(str)))
    if missing:
        raise UnknownIdError(f"no article with id {', '.join(map(repr, missing))} in {store.path}")
    return align_story(articles, options, story_id=story_id or "articles")


def story_lines(summary: pd.DataFrame) -> list[str]:
    """One human-readable line per story of a ``story_summary`` frame."""
    lines = []
    for row in summary.itertuples(index=False):
        first = (f"first: {', '.join(row.first_outlets)} on {row.first_date}"
                 if row.first_date else "first: unknown (no dates)")
        wire = f"; wire: {', '.join(row.wire_agencies)}" if row.wire_agencies else ""
        lines.append(
            f"story {row.story_id}: {row.articles} articles from {row.outlets} outlets, "
            f"{row.independent_outlets} independent ({', '.join(row.independent_sources)}); "
            f"{first}{wire}; copied {row.copied_share:.0%} of all words")
    return lines


def align_stories(articles: pd.DataFrame, options: PassageOptions | None = None, *,
                  n_jobs: int = 1) -> PassageAlignment:
    """Align many stories at once (column ``story_id`` besides those of :func:`align_story`).

    n-grams and cosines never cross stories; a story's result does not depend
    on the other stories given. The work is array arithmetic and sparse
    products over all sentences, in batches of whole stories; ``n_jobs > 1``
    aligns batches in that many worker processes.
    """
    options = options or PassageOptions()
    documents = story_documents(articles)
    parts = _run_batches(_align_batch, documents, options, n_jobs)
    if not parts:
        parts = [_align_batch(documents, options)]
    return PassageAlignment(
        sentences=pd.concat([p.sentences for p in parts], ignore_index=True),
        article_shares=pd.concat([p.article_shares for p in parts], ignore_index=True),
        story_summary=pd.concat([p.story_summary for p in parts], ignore_index=True),
        wire_cues=pd.concat([p.wire_cues for p in parts], ignore_index=True),
        options=options,
    )


def copied_shares(articles: pd.DataFrame, options: PassageOptions | None = None, *,
                  n_jobs: int = 1) -> pd.DataFrame:
    """Only the copy figures of :func:`align_stories`, at about half the cost.

    No sentences and no paraphrases: each article is tokenised whole, which
    gives the same words and so the same copied shares and sources. Columns:
    story_id, article_id, outlet, date, order, lag_days, words, copied_share,
    source_article_id, source_outlet, wire_agencies, is_copy, collapsed_into
    (as in :data:`analysis.passage_shares.SHARE_COLUMNS`).
    """
    options = options or PassageOptions()
    columns = ["story_id", "article_id", "outlet", "date", "order", "lag_days", "words",
               "copied_share", "source_article_id", "source_outlet", "wire_agencies", "is_copy",
               "collapsed_into"]
    documents = story_documents(articles)
    parts = [part[columns] for part in _run_batches(_copy_batch, documents, options, n_jobs)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _run_batches(work, documents: pd.DataFrame, options: PassageOptions, n_jobs: int) -> list:
    """``work(batch, options)`` for every batch, in order, in ``n_jobs`` processes."""
    if n_jobs < 1:
        raise UsageError(f"n_jobs must be at least 1, not {n_jobs}")
    total = int(documents["body"].str.len().sum())
    # At least two batches per worker even out stories of unequal size.
    batch_chars = BATCH_CHARS if n_jobs == 1 else max(1, min(BATCH_CHARS, total // (2 * n_jobs)))
    batches = list(_batches(documents, batch_chars))
    if n_jobs == 1 or len(batches) < 2:
        return [work(batch, options) for batch in batches]
    return Parallel(n_jobs=n_jobs)(delayed(work)(batch, options) for batch in batches)


def _copy_batch(documents: pd.DataFrame, options: PassageOptions) -> pd.DataFrame:
    documents = documents.reset_index(drop=True)
    cues = _cues(documents)
    documents["cue_agency"] = strong_cue_agency(documents, cues)
    tokens = overlap.tokenize(documents["body"].tolist())
    word_article = tokens.sentence
    reuse = word_reuse(tokens, word_article, documents["outlet_code"].to_numpy(),
                       article_facts(documents), options, with_pairs=False)
    whole = pd.DataFrame({"article": np.arange(len(documents)), "words": tokens.counts,
                          "kind": "unique"})
    return article_shares(documents, whole, reuse.copied_words, word_article, reuse.credits,
                          cues, options.collapse_share)


def _cues(documents: pd.DataFrame) -> pd.DataFrame:
    return wire_cues(documents.rename(columns={"article_id": "id"})[["id", "body"]])


def _align_batch(documents: pd.DataFrame, options: PassageOptions) -> PassageAlignment:
    documents = documents.reset_index(drop=True)
    cues = _cues(documents)
    documents["cue_agency"] = strong_cue_agency(documents, cues)
    sentences = _sentences(documents)
    tokens = overlap.tokenize(sentences["sentence"].tolist())
    word_article = sentences["article"].to_numpy()[tokens.sentence]
    reuse = word_reuse(tokens, word_article, sentences["outlet_code"].to_numpy(),
                       article_facts(documents), options)
    paraphrases = paraphrase_matches(sentences, tokens, options)
    sentences = _label(sentences, tokens, reuse, paraphrases, options)
    shares = article_shares(documents, sentences, reuse.copied_words, word_article,
                            reuse.credits, cues, options.collapse_share)
    return PassageAlignment(
        sentences=sentences[list(SENTENCE_COLUMNS)],
        article_shares=shares,
        story_summary=story_summary(documents, shares),
        wire_cues=cues[list(CUE_COLUMNS)],
        options=options,
    )


def _batches(documents: pd.DataFrame, batch_chars: int):
    """Consecutive slices of whole stories, each of about ``batch_chars`` characters."""
    story_chars = documents["body"].str.len().groupby(documents["story_id"], sort=False).sum()
    batch_of_story = (story_chars.cumsum() - story_chars) // batch_chars
    batch = documents["story_id"].map(batch_of_story).to_numpy()
    for number in np.unique(batch):
        yield documents[batch == number]


def _sentences(documents: pd.DataFrame) -> pd.DataFrame:
    # sentence_table keeps the order of the articles and of their sentences, which is
    # already (article, position) order.
    table = sentence_table(documents.rename(columns={"article_id": "id"})[["id", "body"]])
    index = {article_id: row for row, article_id in enumerate(documents["article_id"].tolist())}
    table["article"] = np.array([index[article_id] for article_id in table["article_id"].tolist()],
                                dtype=np.int64)
    for column in ("story_id", "outlet", "outlet_code"):
        table[column] = documents[column].to_numpy()[table["article"].to_numpy()]
    return table


def _label(sentences, tokens, reuse, paraphrases, options) -> pd.DataFrame:
    """Add words, coverages, kind and matches to the sentence table."""
    labelled = sentences.copy()
    words = tokens.counts
    labelled["words"] = words
    labelled["shared_coverage"] = _sentence_fraction(reuse.shared_words, tokens)
    labelled["copied_coverage"] = _sentence_fraction(reuse.copied_words, tokens)
    best = paraphrases.drop_duplicates("sentence").set_index("sentence")["score"]
    labelled["paraphrase_cosine"] = np.round(
        best.reindex(np.arange(len(labelled))).fillna(0.0).to_numpy(), 4)
    shared = (labelled["shared_coverage"].to_numpy() >= options.shared_coverage) & (words > 0)
    paraphrased = labelled["paraphrase_cosine"].to_numpy() > 0
    labelled["kind"] = np.where(shared, "shared", np.where(paraphrased, "paraphrase", "unique"))
    # Only the counterparts of the sentence's own kind are kept, so only they are built.
    matches: list[list[dict]] = [[] for _ in range(len(labelled))]
    _add_matches(matches, reuse.shared_pairs, shared, labelled)
    _add_matches(matches, paraphrases, paraphrased & ~shared, labelled)
    labelled["matches"] = matches
    return labelled


def _sentence_fraction(word_mask: np.ndarray, tokens: overlap.Tokens) -> np.ndarray:
    hits = np.bincount(tokens.sentence, weights=word_mask, minlength=len(tokens.counts))
    return np.round(hits / np.maximum(tokens.counts, 1), 4)


def _add_matches(matches: list[list[dict]], pairs: pd.DataFrame, wanted: np.ndarray,
                 sentences: pd.DataFrame) -> None:
    """Append counterpart dicts to the lists of the ``wanted`` sentence rows, in the
    (best-first) order of ``pairs``."""
    row = pairs["sentence"].to_numpy()
    keep = wanted[row]
    row, other, score = row[keep], pairs["other"].to_numpy()[keep], pairs["score"].to_numpy()[keep]
    columns = zip(
        row.tolist(), sentences["article_id"].to_numpy(dtype=object)[other].tolist(),
        sentences["outlet"].to_numpy(dtype=object)[other].tolist(),
        sentences["position"].to_numpy()[other].tolist(), score.tolist(), strict=True,
    )
    for row, article_id, outlet, position, score in columns:
        matches[row].append({"article_id": article_id, "outlet": outlet, "position": position,
                             "score": round(score, 4)})
