"""Colours for passage kinds, applied through pandas Styler (cell styles only:
the text itself is still shown as text by st.dataframe, never as HTML)."""

from __future__ import annotations

import pandas as pd

KIND_COLOURS = {"shared": "#ffd9d9", "paraphrase": "#fff2c2", "unique": "#dff3df"}
KIND_LEGEND = "red = shared (near-verbatim) · yellow = paraphrase · green = unique (added)"


def highlight_kinds(frame: pd.DataFrame):
    """A Styler colouring each row by its ``kind`` column."""

    def row_style(row: pd.Series) -> list[str]:
        colour = KIND_COLOURS.get(row["kind"], "")
        return [f"background-color: {colour}" if colour else ""] * len(row)

    return frame.style.apply(row_style, axis=1)
