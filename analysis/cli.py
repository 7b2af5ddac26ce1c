"""The ``samestory`` command line: parse options, call the library, print rows.

Every verb takes ``--db FILE`` and ``--format table|csv|jsonl``. Rows go to
stdout; logs, progress and error messages go to stderr. A
:class:`~analysis.errors.SameStoryError` becomes one line on stderr and exit
code 2 (usage) — ``ingest`` exits 1 when some inputs were rejected.
"""

from __future__ import annotations

import functools
import logging
import sys

import click
import pandas as pd

from analysis.corpus import default_db_path
from analysis.entities import ENTITY_KINDS, entities_by_outlet, story_entities
from analysis.errors import SameStoryError
from analysis.fingerprint import rename_source, sources_frame
from analysis.ingest import IngestOptions, ingest
from analysis.kwic import KwicOptions, keyword_in_context
from analysis.output import FORMATS, write_rows
from analysis.passages import PASSAGE_COLUMNS, PASSAGE_SUMMARY_COLUMNS, store_passages, story_lines
from analysis.quotes import QUOTE_KINDS, QuoteOptions
from analysis.stats import PLUGINS, outlet_stats
from analysis.store import ARTICLE_COLUMNS, Store, open_store
from analysis.terms import TermOptions, outlet_terms
from analysis.voices import (
    quote_variants,
    speaker_outlet_matrix,
    speakers_by_outlet,
    story_article_ids,
    story_quotes,
)


def store_and_format(command):
    """Add the shared ``--db`` and ``--format`` options; pass an open Store."""

    @click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), default=None,
        help="SQLite corpus file [default: $SAMESTORY_DB or ./samestory.db].")
    @click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format; jsonl prints one JSON object per line.")
    @functools.wraps(command)
    def wrapper(db_path, fmt, **kwargs):
        try:
            with open_store(db_path or default_db_path()) as store:
                return command(store=store, fmt=fmt, **kwargs)
        except SameStoryError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


def emit(frame: pd.DataFrame, fmt: str) -> None:
    write_rows(frame, fmt, sys.stdout)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.version_option(package_name="samestory")
def cli(verbose: bool) -> None:
    """SameStory: how did different outlets cover the same story?

    Example: samestory ingest data/ --db corpus.db
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--manifest", type=click.Path(dir_okay=False), help="CSV with columns id,outlet.")
@click.option("--outlet", help="Outlet for every article of this command (the manifest wins).")
@store_and_format
def ingest_command(store: Store, fmt: str, paths, manifest, outlet) -> None:
    """Import .txt, .html, .json, .jsonl and .csv files or folders.

    Prints the ingest report: one row per input (imported, duplicate,
    rejected with a reason, or skipped). Exit 0 when nothing was rejected,
    1 when something was (the rest is still imported), 2 on a usage error.

    Example: samestory ingest data/ --db corpus.db --format jsonl
    """
    result = ingest(store, paths, options=IngestOptions(manifest_path=manifest, outlet=outlet))
    emit(result.report, fmt)
    click.echo(result.summary(), err=True)
    sys.exit(result.exit_code)


@cli.command("articles")
@click.argument("ids", nargs=-1)
@store_and_format
def articles_command(store: Store, fmt: str, ids) -> None:
    """List articles: id, outlet, title, date, author, dateline, body, words, removed.

    Give ids to show only those articles.

    Example: samestory articles --db corpus.db --format jsonl
    """
    frame = store.articles(ids=list(ids) if ids else None)
    emit(frame[list(ARTICLE_COLUMNS)], fmt)


@cli.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@store_and_format
def search_command(store: Store, fmt: str, query: str, limit: int) -> None:
    """Full-text search over titles and bodies (all words must occur).

    Example: samestory search "security guarantees" --db corpus.db
    """
    emit(store.search(query, limit=limit), fmt)


@cli.command("sources")
@store_and_format
def sources_command(store: Store, fmt: str) -> None:
    """List source fingerprints: fingerprint, name, article_ids, evidence.

    Articles without an outlet from a manifest, --outlet or their record are
    grouped by the template lines they share (page header, tagline,
    copyright, recurring footer); each group is one source.

    Example: samestory sources --db corpus.db --format jsonl
    """
    emit(sources_frame(store), fmt)


@cli.command("rename-source")
@click.argument("fingerprint")
@click.argument("name")
@store_and_format
def rename_source_command(store: Store, fmt: str, fingerprint: str, name: str) -> None:
    """Name a source fingerprint; the name is kept when the corpus is analysed again.

    Example: samestory rename-source fp-bc49fb411134 "Frankfurter Rundschau" --db corpus.db
    """
    changed = rename_source(store, fingerprint, name)
    frame = sources_frame(store)
    emit(frame[frame["fingerprint"] == fingerprint], fmt)
    click.echo(f"renamed {fingerprint} to {name!r} ({changed} articles)", err=True)


@cli.command("terms")
@click.option("--story", "story_id", help="Compare the outlets within this story only.")
@click.option("--outlet", help="Show only this outlet's terms (still compared with all others).")
@click.option("--top", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Terms per outlet.")
@click.option("--ngram", type=click.Choice(["1", "2", "both"]), default="both", show_default=True,
              help="Unigrams, bigrams or both.")
@click.option("--min-count", type=click.IntRange(1), default=3, show_default=True,
              help="Uses over all compared articles a term needs to be scored.")
@store_and_format
def terms_command(store: Store, fmt: str, story_id, outlet, top, ngram, min_count) -> None:
    """Distinctive terms per outlet: outlet, term, z, count.

    Each outlet is compared with all the others by the log-odds ratio with an
    informative Dirichlet prior (Monroe et al. 2008); z > 1.96 is the usual
    95 % line. count is the outlet's number of uses.

    Example: samestory terms --outlet "Reuters" --top 10 --db corpus.db
    """
    options = TermOptions(ngrams=(1, 2) if ngram == "both" else (int(ngram),),
                          min_count=min_count, top=top)
    frame = outlet_terms(store, ids=story_article_ids(store, story_id), outlet=outlet,
                         options=options)
    emit(frame[["outlet", "term", "z", "count"]], fmt)


@cli.command("outlets")
@click.option("--story", "story_id", help="Statistics of this story's articles only.")
@click.option("--skip", type=click.Choice(PLUGINS), multiple=True,
              help="Leave out a costly input (its columns become null); repeatable.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for measuring a large corpus.")
@store_and_format
def outlets_command(store: Store, fmt: str, story_id, skip, jobs) -> None:
    """One row per outlet with its statistics.

    Columns: outlet, articles, words, median_words, mean_sentence_words,
    readability (Flesch reading ease), tone (VADER, lead sentences),
    quotes_per_1000_words, distinct_speakers, copied_share, stories,
    attention (share of own output on the story vs the corpus share),
    lag_days (median days after a story's first report). See analysis/stats.py.

    Example: samestory outlets --story s0007 --db corpus.db --format csv
    """
    emit(outlet_stats(store, story_id=story_id, skip=tuple(skip), n_jobs=jobs), fmt)


@cli.command("kwic")
@click.argument("term")
@click.option("--story", "story_id", help="Search this story's articles only.")
@click.option("--width", type=click.IntRange(10, 500), default=60, show_default=True,
              help="Characters of context on each side.")
@click.option("--max-per-outlet", type=click.IntRange(1), default=25, show_default=True,
              help="Hits shown per outlet.")
@store_and_format
def kwic_command(store: Store, fmt: str, term, story_id, width, max_per_outlet) -> None:
    """Keyword in context, grouped by outlet: outlet, article_id, left, keyword, right.

    TERM is one or more words, matched in order, ignoring case and accents.

    Example: samestory kwic "interest rates" --db corpus.db
    """
    options = KwicOptions(width=width, max_per_outlet=max_per_outlet)
    emit(keyword_in_context(store, term, ids=story_article_ids(store, story_id), options=options),
         fmt)


@cli.command("passages")
@click.option("--story", "story_id", help="The story whose articles to align.")
@click.option("--article", "article_ids", multiple=True,
              help="Align these articles as one story instead of --story (repeatable).")
@click.option("--summary", is_flag=True,
              help="One row per article with its shares instead of one row per sentence.")
@store_and_format
def passages_command(store: Store, fmt: str, story_id, article_ids, summary) -> None:
    """Sentences of a story aligned across outlets: article_id, outlet, paragraph, position,
    sentence, kind, matches.

    kind is shared (near-verbatim in another outlet's article), paraphrase
    (TF-IDF cosine >= 0.28 with another outlet's sentence) or unique (what
    this outlet added); matches lists the counterparts as {article_id, outlet,
    position, score}. --summary prints one row per article instead:
    copied_share (words copied from an earlier article or a wire agency),
    shared/paraphrase/unique_share, its main source and the independent source
    it counts under; the story's independent-outlet count and first report go
    to stderr. See analysis/passages.py.

    Example: samestory passages --story s0007 --db corpus.db --format jsonl
    """
    alignment = store_passages(store, story_id=story_id, article_ids=list(article_ids) or None)
    if summary:
        emit(alignment.article_shares[list(PASSAGE_SUMMARY_COLUMNS)], fmt)
        for line in story_lines(alignment.story_summary):
            click.echo(line, err=True)
        return
    emit(alignment.sentences[list(PASSAGE_COLUMNS)], fmt)


@cli.command("quotes")
@click.option("--story", "story_id",
              help="Only this story; each speaker then gets one spelling across its outlets.")
@click.option("--kind", "kinds", type=click.Choice(QUOTE_KINDS), multiple=True,
              help="Only quotes of this kind (repeatable).")
@store_and_format
def quotes_command(store: Store, fmt: str, story_id, kinds) -> None:
    """Direct quotes with their speakers: article_id, outlet, speaker, text, kind, ….

    speaker is the full name of the person quoted or null ("he said" and
    surnames resolved within the article, roles such as "the ambassador" to
    the person the article names); kind is direct, partial or scare (a term
    held at a distance, never given a speaker). Further columns:
    speaker_mention, attribution, resolution, paragraph, start, end, words,
    quote_id, and with --story speaker_as_written. See analysis/quotes.py.

    Example: samestory quotes --story s0007 --db corpus.db --format jsonl
    """
    frame = story_quotes(store, story_id, options=QuoteOptions(workers=None))
    if kinds:
        frame = frame[frame["kind"].isin(kinds)]
    emit(frame, fmt)


@cli.command("speakers")
@click.option("--story", "story_id", help="Only this story (speakers' spellings merged).")
@click.option("--matrix", is_flag=True,
              help="One row per speaker, one column per outlet (quote counts).")
@store_and_format
def speakers_command(store: Store, fmt: str, story_id, matrix) -> None:
    """Who is quoted by which outlet: speaker, outlet, quotes, articles, words.

    Direct and partial quotes with a named speaker count; --matrix pivots
    the table to speakers × outlets.

    Example: samestory speakers --story s0007 --matrix --db corpus.db
    """
    counts = speakers_by_outlet(story_quotes(store, story_id, options=QuoteOptions(workers=None)))
    emit(speaker_outlet_matrix(counts).reset_index() if matrix else counts, fmt)


@cli.command("quote-variants")
@click.option("--story", "story_id", required=True, help="The story whose quotes to match.")
@store_and_format
def quote_variants_command(store: Store, fmt: str, story_id) -> None:
    """The same quote across outlets: quote_group, article_id, outlet, speaker, text,
    variant, shared_share, words, quote_id.

    Quotes match when the shorter one's distinct words are mostly (60%) in
    the other; variant says how each copy differs from the fullest one:
    verbatim, cut or reworded.

    Example: samestory quote-variants --story s0007 --db corpus.db --format csv
    """
    emit(quote_variants(story_quotes(store, story_id)), fmt)


@cli.command("entities")
@click.option("--story", "story_id", help="Only this story's articles.")
@click.option("--kind", type=click.Choice(ENTITY_KINDS), help="Only people, places or organisations.")
@click.option("--by-outlet", is_flag=True,
              help="Sum per outlet: outlet, entity, kind, mentions, articles.")
@store_and_format
def entities_command(store: Store, fmt: str, story_id, kind, by_outlet) -> None:
    """Entity mentions per article: article_id, outlet, entity, kind, mentions.

    kind is person, place or organisation; recognised without a tagger model
    (pycountry, listed places and organisations, name shapes and titles), see
    analysis/entities.py.

    Example: samestory entities --story s0007 --by-outlet --kind person --db corpus.db
    """
    mentions = story_entities(store, story_id, workers=None)
    if by_outlet:
        emit(entities_by_outlet(mentions, kind=kind), fmt)
        return
    emit(mentions if kind is None else mentions[mentions["kind"] == kind], fmt)

@cli.command("stories")
@store_and_format
def stories_command(store: Store, fmt: str) -> None:
    """Group articles into stories: story_id, label, article_ids, outlets, start, end, explanation.

    Stories come from TF-IDF similarity discounted by the gap between dates,
    with no number of stories given; your merges, moves and splits are kept.
    Results are stored, so a second call is quick.

    Example: samestory stories --db corpus.db --format jsonl
    """
    from analysis.stories import story_table

    emit(story_table(store), fmt)


@cli.command("story-members")
@click.option("--story", "story_id", help="Only this story's members.")
@store_and_format
def story_members_command(store: Store, fmt: str, story_id) -> None:
    """Each article's story: story_id, article_id, score (to the story), shared_terms.

    Example: samestory story-members --story s1a2b3c4d5e --db corpus.db
    """
    from analysis.stories import story_article_ids, story_memberships

    frame = story_memberships(store)
    if story_id is not None:
        frame = frame[frame["article_id"].isin(story_article_ids(store, story_id))]
    emit(frame, fmt)


@cli.command("similar")
@click.option("--k", "k", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Neighbours per article.")
@click.option("--pairs", "pairs_path", type=click.Path(dir_okay=False),
              help="CSV with header a,b: score these pairs instead, in input order.")
@click.option("--cosine", "plain_cosine", is_flag=True,
              help="Report the plain TF-IDF cosine instead of the calibrated score.")
@store_and_format
def similar_command(store: Store, fmt: str, k: int, pairs_path, plain_cosine: bool) -> None:
    """Top-k most similar articles (id, neighbor, score), or scores of given pairs (a, b, score).

    score is in [0, 1]: the square root of the TF-IDF cosine, which grows
    about linearly with how related people judge two articles (--cosine
    gives the cosine itself; the order is the same). With --pairs, a pair
    naming an unknown article id gets a null score and a warning on stderr.

    Example: samestory similar --pairs pairs.csv --db corpus.db --format csv
    """
    from analysis.similarity import NeighbourOptions, neighbours, pair_scores, read_pairs
    from analysis.vectorize import vectors_for

    pairs = read_pairs(pairs_path) if pairs_path else None
    vectors = vectors_for(store)
    if pairs is not None:
        scale = "cosine" if plain_cosine else "calibrated"
        scored = pair_scores(vectors, pairs, scale=scale)
        unknown = sorted((set(pairs["a"]) | set(pairs["b"])) - set(vectors.index))
        if unknown:
            shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            click.echo(f"warning: {int(scored['score'].isna().sum())} pair(s) name an unknown "
                       f"article id and get a null score: {shown}", err=True)
        emit(scored, fmt)
    else:
        emit(neighbours(vectors, NeighbourOptions(k=k, candidates=max(40, 2 * k)),
                        scale="cosine" if plain_cosine else "calibrated"), fmt)


@cli.command("story-outlets")
@click.argument("story_id")
@store_and_format
def story_outlets_command(store: Store, fmt: str, story_id: str) -> None:
    """Outlet × outlet similarity inside one story: outlet_a, outlet_b, similarity, pairs.

    similarity is the mean TF-IDF cosine over pairs of their articles.

    Example: samestory story-outlets s1a2b3c4d5e --db corpus.db --format csv
    """
    from analysis.stories import outlet_similarity

    emit(outlet_similarity(store, story_id), fmt)


@cli.command("story-merge")
@click.argument("story_id")
@click.argument("other_story_id")
@store_and_format
def story_merge_command(store: Store, fmt: str, story_id: str, other_story_id: str) -> None:
    """Merge two stories into one (kept across re-analysis); prints the new story table.

    Example: samestory story-merge s1a2b3c4d5e s9f8e7d6c5b --db corpus.db
    """
    from analysis.stories import story_table
    from analysis.story_edits import merge_stories

    edit_id = merge_stories(store, story_id, other_story_id)
    click.echo(f"recorded edit #{edit_id}: merge {story_id} + {other_story_id}", err=True)
    emit(story_table(store), fmt)


@cli.command("story-move")
@click.argument("article_id")
@click.argument("story_id")
@store_and_format
def story_move_command(store: Store, fmt: str, article_id: str, story_id: str) -> None:
    """Move one article into another story (kept across re-analysis).

    Example: samestory story-move 004_938b6f32f06c6905 s1a2b3c4d5e --db corpus.db
    """
    from analysis.stories import story_table
    from analysis.story_edits import move_article

    edit_id = move_article(store, article_id, story_id)
    click.echo(f"recorded edit #{edit_id}: move {article_id} to {story_id}", err=True)
    emit(story_table(store), fmt)


@cli.command("story-split")
@click.argument("story_id")
@click.argument("article_ids", nargs=-1, required=True)
@store_and_format
def story_split_command(store: Store, fmt: str, story_id: str, article_ids) -> None:
    """Split the named articles out of a story into a new story of their own.

    Example: samestory story-split s1a2b3c4d5e 002_473595742cb198c6 --db corpus.db
    """
    from analysis.stories import story_table
    from analysis.story_edits import split_story

    edit_id = split_story(store, story_id, list(article_ids))
    click.echo(f"recorded edit #{edit_id}: split {len(article_ids)} article(s) off {story_id}",
               err=True)
    emit(story_table(store), fmt)


@cli.command("story-edits")
@store_and_format
def story_edits_command(store: Store, fmt: str) -> None:
    """List your story edits: edit_id, kind, article_ids, target_article, created_at.

    Example: samestory story-edits --db corpus.db
    """
    from analysis.story_edits import story_edits

    emit(story_edits(store), fmt)


@cli.command("story-undo")
@click.argument("edit_id", type=int)
@store_and_format
def story_undo_command(store: Store, fmt: str, edit_id: int) -> None:
    """Delete one story edit (see story-edits); stories are recomputed without it.

    Example: samestory story-undo 3 --db corpus.db
    """
    from analysis.story_edits import story_edits, undo_edit

    undo_edit(store, edit_id)
    click.echo(f"removed edit #{edit_id}", err=True)
    emit(story_edits(store), fmt)


@cli.command("report")
@click.option("--story", "story_id", required=True, help="The story to report on.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the HTML file.")
@store_and_format
def report_command(store: Store, fmt: str, story_id: str, out_path: str) -> None:
    """Write a self-contained HTML report of one story (no scripts, no external files).

    It holds the articles, outlet × outlet similarity, what each outlet
    copied, paraphrased and added, a side-by-side reader, who is quoted and
    the distinctive terms: the same as the dashboard's report download.

    Example: samestory report --story s0007 --out story.html --db corpus.db
    """
    from analysis.report import render_report
    from analysis.story_view import story_view

    html = render_report(story_view(store, story_id))
    with open(out_path, "w", encoding="utf-8") as handle:
        handle.write(html)
    click.echo(f"wrote {out_path} ({len(html):,} characters)", err=True)


@cli.command("bundle")
@click.option("--story", "story_id", required=True, help="The story to export.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of stdout.")
@store_and_format
def bundle_command(store: Store, fmt: str, story_id: str, out_path: str | None) -> None:
    """Export one story as a JSON bundle: articles with their cleaning decisions,
    membership scores, passage shares, quotes, settings and versions.

    Example: samestory bundle --story s0007 --out story.json --db corpus.db
    """
    from analysis.bundle import bundle_json
    from analysis.story_view import story_view

    text = bundle_json(story_view(store, story_id), corpus_version=store.version())
    if out_path is None:
        click.echo(text)
    else:
        with open(out_path, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"wrote {out_path}", err=True)


def main() -> None:
    cli(prog_name="samestory")
