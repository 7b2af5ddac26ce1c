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
from analysis.errors import SameStoryError
from analysis.fingerprint import rename_source, sources_frame
from analysis.ingest import IngestOptions, ingest
from analysis.output import FORMATS, write_rows
from analysis.store import ARTICLE_COLUMNS, Store, open_store


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


def main() -> None:
    cli(prog_name="samestory")


# The other verbs live in their own modules; importing them registers them on `cli`.
from analysis import cli_analyses, cli_stories  # noqa: E402, F401
