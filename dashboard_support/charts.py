"""Altair chart builders. Each takes a tidy frame and returns a chart; the
page shows the same frame as a table beside it."""

from __future__ import annotations

import altair as alt
import pandas as pd


def outlet_bars(frame: pd.DataFrame, metric: str, *, title: str) -> alt.Chart:
    """One horizontal bar per outlet, sorted by ``metric``."""
    data = frame[["outlet", metric]].dropna()
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{metric}:Q", title=metric.replace("_", " ")),
            y=alt.Y("outlet:N", sort="-x", title=None),
            tooltip=["outlet:N", alt.Tooltip(f"{metric}:Q", format=".3~f")],
        )
        .properties(height=alt.Step(18))
    )


def term_bars(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """Distinctive terms of one outlet by z-score."""
    return (
        alt.Chart(frame[["term", "z", "count"]], title=title)
        .mark_bar()
        .encode(
            x=alt.X("z:Q", title="z-score (log-odds, informative Dirichlet prior)"),
            y=alt.Y("term:N", sort="-x", title=None),
            tooltip=["term:N", alt.Tooltip("z:Q", format=".2f"), "count:Q"],
        )
        .properties(height=alt.Step(18))
    )
