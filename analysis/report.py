"""A self-contained HTML report of one story (``samestory report``).

One file, no scripts, no external resources: inline CSS only. Every piece of
article text goes through :func:`html.escape` (tables through pandas'
escaping ``to_html``), so a title holding ``<script>`` is shown as text.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from analysis.story_view import StoryView, samestory_version

KIND_CLASSES = {"shared": "shared", "paraphrase": "paraphrase", "unique": "unique"}
_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}
h1{font-size:1.6rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top;text-align:left}
.columns{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(280px,1fr);gap:1rem;overflow-x:auto}
.column{border:1px solid #ddd;padding:.5rem;font-size:.85rem}
.shared{background:#ffd9d9}.paraphrase{background:#fff2c2}.unique{background:#dff3df}
.legend span{padding:0 .4rem;margin-right:.5rem}
.meta{color:#666;font-size:.85rem}
"""


def render_report(view: StoryView) -> str:
    """The report as one HTML document (a string)."""
    story = view.story
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>SameStory report: {escape(str(story['label']))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(str(story['label']))}</h1>",
        f"<p class='meta'>Story {escape(str(story['story_id']))} · "
        f"{escape(_span(story))} · {len(view.members)} articles from "
        f"{len(story['outlets'])} outlets · SameStory {escape(samestory_version())}, "
        f"generated {dt.date.today().isoformat()}</p>",
        f"<p>{escape(str(story['explanation']))}</p>",
        "<h2>Articles</h2>", _table(view.members),
        "<h2>How similar the outlets are</h2>",
        "<p class='meta'>Mean TF-IDF cosine over all article pairs of two outlets.</p>",
        _table(view.outlet_similarity),
        "<h2>What each outlet copied, paraphrased and added</h2>",
        _table(view.passages.article_shares[[
            "article_id", "outlet", "date", "copied_share", "paraphrase_share", "unique_share",
            "source_outlet", "wire_agencies"]]),
        _table(view.passages.story_summary),
        "<h2>Side by side</h2>", _legend(), _side_by_side(view),
        "<h2>Who is quoted</h2>", _table(view.speakers),
        "<h2>The same quote across outlets</h2>", _table(view.quote_variants.drop(
            columns=["quote_id"], errors="ignore")),
        "<h2>Distinctive terms</h2>",
        "<p class='meta'>Log-odds with an informative Dirichlet prior, as z-scores.</p>",
        _table(view.terms.groupby("outlet", sort=True).head(10) if not view.terms.empty else view.terms),
        "</body></html>",
    ]
    return "\n".join(parts)


def _span(story: dict) -> str:
    start, end = story.get("start"), story.get("end")
    if not start:
        return "no dates"
    return start if start == end else f"{start} to {end}"



def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class='meta'>(nothing here)</p>"
    shown = frame.map(_cell)
    return shown.to_html(index=False, escape=True, border=0, na_rep="")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float):
        return round(value, 3)
    return value


def _legend() -> str:
    return ("<p class='legend'><span class='shared'>shared (near-verbatim)</span>"
            "<span class='paraphrase'>paraphrase</span><span class='unique'>unique</span></p>")


def _side_by_side(view: StoryView) -> str:
    sentences = view.passages.sentences
    columns = []
    for member in view.members.itertuples(index=False):
        own = sentences[sentences["article_id"] == member.article_id]
        paragraphs = []
        for _, paragraph in own.groupby("paragraph", sort=True):
            spans = "".join(
                f"<span class='{KIND_CLASSES.get(row.kind, 'unique')}'>{escape(row.sentence)}</span> "
                for row in paragraph.itertuples(index=False))
            paragraphs.append(f"<p>{spans}</p>")
        header = f"<strong>{escape(str(member.outlet or 'unknown outlet'))}</strong>"
        meta = f"<div class='meta'>{escape(str(member.article_id))} · {escape(str(member.date or 'no date'))}</div>"
        columns.append(f"<div class='column'>{header}{meta}{''.join(paragraphs)}</div>")
    return f"<div class='columns'>{''.join(columns)}</div>"
