"""CLI verbs about stories: grouping, similarity, edits, reports and bundles.

Registered on :data:`analysis.cli.cli`; see that module for the shared options.
"""

from __future__ import annotations

import click

from analysis.cli import cli, emit, store_and_format
from analysis.store import Store


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
        emit(neighbours(vectors, NeighbourOptions.for_k(k),
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
