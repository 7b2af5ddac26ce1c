"""URL-bound widgets and safe text output.

Widgets use Streamlit's ``bind="query-params"`` so a copied link reproduces
the view. Values from the URL are validated here: an unknown value shows a
clear message and falls back to the default, never a traceback.

User text (titles, bodies, outlet names) is only shown through ``st.text``
or data frames, which never interpret HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

MAX_PARAM_CHARS = 200


def url_text_input(label: str, key: str, *, placeholder: str = "") -> str:
    """A text input bound to ``?key=``; over-long values are cut with a notice."""
    raw = st.query_params.get(key)
    if raw is not None and len(raw) > MAX_PARAM_CHARS and key not in st.session_state:
        st.warning(f"The link's {key!r} value is longer than {MAX_PARAM_CHARS} characters; it was shortened.")
        st.session_state[key] = raw[:MAX_PARAM_CHARS]
    value = st.text_input(label, key=key, max_chars=MAX_PARAM_CHARS, placeholder=placeholder,
                          bind="query-params")
    return (value or "")[:MAX_PARAM_CHARS]


def url_selectbox(label: str, options: Sequence[str], key: str, *, format_func=str, what: str = "value"):
    """A selectbox bound to ``?key=``; an unknown value in the link gets a message."""
    raw = st.query_params.get(key)
    if raw is not None and raw not in options and key not in st.session_state:
        shown = raw if len(raw) <= 60 else raw[:60] + "…"
        st.warning(f"The link asks for {what} {shown!r}, which this corpus does not have; "
                   "showing the first one instead.")
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    if not options:
        return None
    return st.selectbox(label, options, key=key, format_func=format_func, bind="query-params")
