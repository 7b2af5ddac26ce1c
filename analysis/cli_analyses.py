"""CLI verbs over the analyses of articles: words, outlets, passages, voices.

Registered on :data:`analysis.cli.cli`; see that module for the shared options.
"""

from __future__ import annotations

import click

from analysis.cli import cli, emit, store_and_format
from analysis.entities import ENTITY_KINDS, entities_by_outlet, story_entities
from analysis.kwic import KwicOptions, keyword_in_context
from analysis.passages import PASSAGE_COLUMNS, PASSAGE_SUMMARY_COLUMNS, store_passages, story_lines
from analysis.precompute import analyse_corpus
from analysis.quotes import QUOTE_KINDS, QuoteOptions
from analysis.stats import PLUGINS, outlet_stats
from analysis.store import Store
from analysis.terms import TermOptions, outlet_terms
from analysis.voices import (
    quote_variants,
    speaker_outlet_matrix,
    speakers_by_outlet,
    story_article_ids,
    story_quotes,
)
from analysis.workers import DEFAULT_WORKERS


@cli.command("analyse")
@click.option("--jobs", type=click.IntRange(1, 64), default=DEFAULT_WORKERS, show_default=True,
              help="Worker processes.")
@store_and_format
def analyse_command(store: Store, fmt: str, jobs) -> None:
    """Compute every corpus-wide analysis now and keep it in the store: step, seconds, result.

    Stories, outlet statistics, distinctive terms, the TF-IDF vocabulary and
    the search index are then read back by every later verb and by the
    dashboard, until the articles change. Worth running after a large import.

    Example: samestory analyse --db corpus.db
    """
    emit(analyse_corpus(store, workers=jobs,
                        progress=lambda step: click.echo(f"analysing: {step}", err=True)), fmt)


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
