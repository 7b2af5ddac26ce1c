"""URL-bound widgets and safe text output.

Widgets keep their value in a query parameter so a copied link reproduces
the view. Values from the URL are validated here: an unknown value shows a
clear message and falls back to the default, never a traceback.

User text (titles, bodies, outlet names, and anything from the URL) is only
shown through ``st.text`` or data frames, which never interpret HTML or
Markdown, or inside Markdown through :func:`markdown_literal`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

import streamlit as st

MAX_PARAM_CHARS = 200
# Stories come largest first; further down the list, the stories page's table and links reach them.
STORY_CHOICES = 1000
# Articles the reader lists; a search narrows them, a link opens any.
READER_CHOICES = 1000
SHOWN_PARAM_CHARS = 60


def markdown_literal(text: str) -> str:
    """``text`` as a Markdown code span, shown verbatim inside st.markdown/caption/warning.

    Nothing in a code span is interpreted: no HTML, links or autolinks,
    emphasis, ``:red[…]`` colours, ``:emoji:`` or ``$LaTeX$``. The fence is
    one backtick longer than any backtick run in ``text``.
    """
    text = " ".join(str(text).split())
    if not text:
        return '""'
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def url_text_input(label: str, key: str, *, placeholder: str = "") -> str:
    """A text input bound to ``?key=``; over-long values are cut with a notice."""
    raw = st.query_params.get(key)
    if raw is not None and len(raw) > MAX_PARAM_CHARS and key not in st.session_state:
        st.warning(f"The link's {key!r} value is longer than {MAX_PARAM_CHARS} characters; it was shortened.")
        st.session_state[key] = raw[:MAX_PARAM_CHARS]
    value = st.text_input(label, key=key, max_chars=MAX_PARAM_CHARS, placeholder=placeholder,
                          bind="query-params")
    return (value or "")[:MAX_PARAM_CHARS]


def capped_options(options: Sequence[str], key: str, *, limit: int,
                   known: Container[str] | None = None) -> list[str]:
    """The first ``limit`` options, plus the one a link's ``?key=`` asks for when it is
    further down (or, with ``known``, anywhere in ``known``).

    A select box of tens of thousands of choices is slow to send on every
    rerun and useless to scroll; a copied link must still open its choice.
    """
    shown = list(options[:limit])
    linked = st.query_params.get(key)
    if linked is not None and linked not in shown and linked in (options if known is None else known):
        shown.append(linked)
    return shown


def url_selectbox(label: str, options: Sequence[str], key: str, *, format_func=str,
                  what: str = "value"):
    """A selectbox whose choice is ``?key=<option>``; an unknown value in the link gets a message.

    The URL holds the option itself (an article id), not its label: Streamlit's
    own binding writes the ``format_func`` label into the URL, so a link with a
    plain id would not open and a copied link would carry outlet names. The
    link decides the first choice of a session; later choices update the URL.
    """
    options = list(options)
    synced_key = f"_url_synced_{key}"  # what this session last wrote to the URL
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    raw = st.query_params.get(key)
    if key not in st.session_state and raw is not None and raw != st.session_state.get(synced_key):
        if raw in options:
            st.session_state[key] = raw
        else:
            shown = raw if len(raw) <= SHOWN_PARAM_CHARS else raw[:SHOWN_PARAM_CHARS] + "…"
            st.warning(f"The link asks for {what} {markdown_literal(shown)}, which this corpus "
                       f"does not have; showing the first {what} instead.")
    if not options:
        return None
    value = st.selectbox(label, options, key=key, format_func=format_func)
    in_link = st.query_params.get(key)
    if in_link != value and not (in_link is None and value == options[0]):
        st.query_params[key] = value  # the default stays out of the URL, as with bind=
    st.session_state[synced_key] = value
    return value


def url_multiselect(label: str, options: Sequence[str], key: str, *, what: str = "value",
                    default: Sequence[str] | None = None) -> list[str]:
    """A multiselect whose choice is the repeated parameter ``?key=a&key=b``.

    Without the parameter ``default`` is chosen (every option when None).
    Unknown values in the link are dropped with a message.
    """
    options = list(options)
    default = options if default is None else [value for value in default if value in options]
    synced_key = f"_url_synced_{key}"
    if key in st.session_state:
        st.session_state[key] = [value for value in st.session_state[key] if value in options]
    raw = st.query_params.get_all(key)
    if key not in st.session_state and raw and raw != st.session_state.get(synced_key):
        unknown = [value for value in raw if value not in options]
        if unknown:
            shown = ", ".join(markdown_literal(value[:SHOWN_PARAM_CHARS]) for value in unknown[:5])
            st.warning(f"The link asks for {what}s this view does not have ({shown}); "
                       "they were left out.")
        known = [value for value in raw if value in options]
        st.session_state[key] = known or default
    elif key not in st.session_state:
        st.session_state[key] = default
    value = st.multiselect(label, options, key=key)
    wanted = [] if value == default else value
    if st.query_params.get_all(key) != wanted:
        st.query_params[key] = wanted
    st.session_state[synced_key] = wanted
    return value
