"""Articles as passage alignment sees them: validated, keyed and in publishing order.

Publishing order ("earlier" in :mod:`analysis.passages`) within each story:
by date; undated articles after dated ones (an undated page is more often a
re-post than the original); on the same date a wire agency's article first;
then by article id. The order is total, so results never depend on input
order. Article indexes of the returned frame follow it, story by story.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.reuse import ArticleFacts
from analysis.wire import STRONG_CUE_KINDS, agency_of


def story_documents(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles in publishing order (see the module docstring) with the keys alignment needs.

    ``articles`` needs id, body and story_id; outlet and date are optional.
    Columns: story_id, article_id, outlet, date (ISO or None), body,
    wire_agency (canonical agency when the outlet is one, else None),
    outlet_key (that agency, else the outlet, else ``"article <id>"``: an
    article without an outlet is a source of its own), day (Timestamp or NaT),
    order (0-based within the story), outlet_code (an integer per story and
    outlet_key).
    """
    missing = {"id", "body", "story_id"} - set(articles.columns)
    if missing:
        raise UsageError(f"articles need columns id, body (and story_id); missing {sorted(missing)}")
    if articles["id"].astype(str).duplicated().any():
        raise UsageError("article ids must be unique among the articles to align")
    outlets = _text_column(articles, "outlet")
    agencies = [agency_of(outlet) for outlet in outlets]
    documents = pd.DataFrame({
        "story_id": articles["story_id"].astype(str).to_numpy(dtype=object),
        "article_id": articles["id"].astype(str).to_numpy(dtype=object),
        "outlet": outlets,
        "date": _text_column(articles, "date"),
        # Object dtype: bodies are only read back as Python strings, and an Arrow-backed
        # string column would copy every body in and out again.
        "body": pd.Series([body if isinstance(body, str) else "" for body in articles["body"]],
                          dtype=object),
        "wire_agency": pd.Series(agencies, dtype=object),
        "outlet_key": [agency or outlet or f"article {article_id}" for agency, outlet, article_id
                       in zip(agencies, outlets, articles["id"].astype(str).tolist(), strict=True)],
    })
    documents["day"] = pd.to_datetime(documents["date"], errors="coerce", format="ISO8601").dt.normalize()
    documents["date"] = [None if pd.isna(day) else day.date().isoformat() for day in documents["day"]]
    order_keys = documents.assign(undated=documents["day"].isna(), not_wire=documents["wire_agency"].isna())
    documents = documents.loc[order_keys.sort_values(
        ["story_id", "undated", "day", "not_wire", "article_id"], kind="stable").index]
    documents = documents.reset_index(drop=True)
    documents["order"] = documents.groupby("story_id", sort=False).cumcount()
    documents["outlet_code"] = pd.factorize(documents["story_id"] + "\x00" + documents["outlet_key"])[0]
    return documents


def _text_column(articles: pd.DataFrame, name: str) -> np.ndarray:
    """A text column as an object array, blanks and missing values as None."""
    if name not in articles.columns:
        return np.full(len(articles), None, dtype=object)
    return np.array([_text_or_none(value) for value in articles[name].astype(object)], dtype=object)


def _text_or_none(value) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if value is None or pd.isna(value):
        return None
    return str(value)


def strong_cue_agency(documents: pd.DataFrame, cues: pd.DataFrame) -> np.ndarray:
    """The agency named by each article's first strong cue, or None."""
    strong = cues[cues["kind"].isin(STRONG_CUE_KINDS)].drop_duplicates("article_id")
    first = dict(zip(strong["article_id"].tolist(), strong["agency"].tolist(), strict=True))
    return np.array([first.get(article_id) for article_id in documents["article_id"].tolist()],
                    dtype=object)


def article_facts(documents: pd.DataFrame) -> ArticleFacts:
    wire_agency = documents["wire_agency"].to_numpy(dtype=object)
    cue_agency = documents["cue_agency"].to_numpy(dtype=object)
    return ArticleFacts(
        story=pd.factorize(documents["story_id"])[0].astype(np.int64),
        outlet=documents["outlet_code"].to_numpy(dtype=np.int64),
        is_wire=np.array([isinstance(agency, str) for agency in wire_agency], dtype=bool),
        # Agency copy by its own word: a strong cue naming an agency other than its outlet.
        cued_as_copy=np.array([isinstance(cue, str) and cue != agency
                               for cue, agency in zip(cue_agency, wire_agency, strict=True)], dtype=bool),
    )
