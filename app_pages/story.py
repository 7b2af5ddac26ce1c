"""One story, side by side. Each section is a small function so others can be added
(passages, voices, terms) without touching the rest."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard_support import cache, session
from dashboard_support.styling import KIND_LEGEND, highlight_kinds
from dashboard_support.widgets import STORY_CHOICES, capped_options, url_multiselect, url_selectbox

# Beyond four columns a sentence no longer fits a line; readers choose other outlets to compare.
SIDE_BY_SIDE_ARTICLES = 4
SIDE_BY_SIDE_OUTLETS = 4


def choose_story(stories: pd.DataFrame) -> str | None:
    label_of = dict(zip(stories["story_id"], stories["label"]))
    return url_selectbox("Story", capped_options(stories["story_id"].tolist(), "story",
                                                 limit=STORY_CHOICES), "story", what="story",
                         format_func=lambda value: f"{value} · {label_of.get(value, '')}")


def header_section(story: pd.Series) -> None:
    st.title("Story")
    st.text(f"Key terms: {story['label'] or '(none)'}")
    span = story["start"] or "undated"
    if story["end"] and story["end"] != story["start"]:
        span = f"{story['start']} to {story['end']}"
    st.text(f"{len(story['article_ids'])} articles · {len(story['outlets'])} outlets · {span}")
    st.text(story["explanation"])


def articles_section(story_id: str, members: pd.DataFrame, articles: pd.DataFrame) -> None:
    st.subheader("Articles")
    chosen = members[members["story_id"] == story_id].merge(
        articles[["id", "outlet", "title", "date", "words"]], left_on="article_id", right_on="id")
    st.dataframe(chosen[["article_id", "outlet", "title", "date", "words", "score"]].assign(
        shared_terms=chosen["shared_terms"].map(", ".join)), hide_index=True, width="stretch",
        column_config={"score": st.column_config.NumberColumn(
            "score", help="Cosine to the story centroid", format="%.2f")})


def outlet_heatmap(frame: pd.DataFrame) -> alt.Chart:
    size = max(180, 70 * frame["outlet_a"].nunique())
    return alt.Chart(frame).mark_rect().encode(
        x=alt.X("outlet_b:N", title=None, sort=None, axis=alt.Axis(labelLimit=120, labelAngle=-30)),
        y=alt.Y("outlet_a:N", title=None, sort=None, axis=alt.Axis(labelLimit=140)),
        color=alt.Color("similarity:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        title="mean cosine"),
        tooltip=["outlet_a", "outlet_b", alt.Tooltip("similarity:Q", format=".2f"), "pairs"],
    ).properties(height=size)


def outlet_section(view, story_id: str) -> None:
    st.subheader("Outlet × outlet similarity")
    st.caption("Mean TF-IDF cosine over every pair of their articles in this story; the "
               "diagonal compares an outlet's own articles (empty with only one).")
    frame = view.outlet_similarity
    chart, table = st.columns([3, 2])
    with chart:
        # The height holds the x labels (about 120 px) besides the cells.
        st.altair_chart(outlet_heatmap(frame), width="stretch",
                        height=120 + 50 * frame["outlet_a"].nunique())
    with table:
        st.dataframe(frame, hide_index=True, width="stretch",
                     column_config={"similarity": st.column_config.NumberColumn(format="%.3f")})
        st.download_button("Download (CSV)", lambda: frame.to_csv(index=False).encode("utf-8"),
                           file_name=f"{story_id}-outlets.csv", mime="text/csv", on_click="ignore")


def timeline_section(view) -> None:
    st.subheader("Timeline")
    dated = view.members.dropna(subset=["date"])
    if dated.empty:
        st.text("No article of this story states a date.")
        return
    chart = alt.Chart(dated).mark_circle(size=140).encode(
        x=alt.X("date:T", title="published"), y=alt.Y("outlet:N", title=None),
        tooltip=["article_id", "outlet", "date", "words"])
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(chart, width="stretch")
    with right:
        st.dataframe(dated[["date", "outlet", "article_id"]], hide_index=True, width="stretch")
    undated = len(view.members) - len(dated)
    if undated:
        st.caption(f"{undated} article(s) without a date are not on the timeline.")


def passages_section(view, chosen_outlets: list[str]) -> None:
    st.subheader("What each outlet copied, paraphrased and added")
    shares = view.passages.article_shares
    long = shares.melt(id_vars=["article_id", "outlet"],
                       value_vars=["copied_share", "paraphrase_share", "unique_share"],
                       var_name="share", value_name="fraction")
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("fraction:Q", stack="normalize", title="share of the article's words"),
        y=alt.Y("article_id:N", title=None), color=alt.Color("share:N", scale=alt.Scale(
            domain=["copied_share", "paraphrase_share", "unique_share"],
            range=["#e45756", "#f2cf5b", "#54a24b"])),
        tooltip=["article_id", "outlet", "share", alt.Tooltip("fraction:Q", format=".2f")])
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(bars, width="stretch")
    with right:
        st.dataframe(shares[["article_id", "outlet", "copied_share", "paraphrase_share",
                             "unique_share", "source_outlet", "wire_agencies"]],
                     hide_index=True, width="stretch")
    summary = view.passages.story_summary
    if not summary.empty:
        row = summary.iloc[0]
        st.text(f"Independent outlets (wire copies collapsed): {row['independent_outlets']} "
                f"of {row['outlets']}")
    st.markdown("**Side by side**")
    st.caption(KIND_LEGEND)
    sentences = view.passages.sentences
    members = view.members[view.members["outlet"].fillna("(unknown outlet)").isin(chosen_outlets)]
    if members.empty:
        st.text("Choose at least one outlet above.")
        return
    if len(members) > SIDE_BY_SIDE_ARTICLES:
        st.caption(f"The {SIDE_BY_SIDE_ARTICLES} earliest of these outlets' {len(members)} articles; "
                   "choose fewer outlets to see the others.")
        members = members.head(SIDE_BY_SIDE_ARTICLES)
    for column, member in zip(st.columns(len(members)), members.itertuples(index=False)):
        with column:
            date = member.date if isinstance(member.date, str) else "no date"
            st.text(f"{member.outlet or '(unknown outlet)'} · {date}")
            own = sentences[sentences["article_id"] == member.article_id][["sentence", "kind"]]
            st.dataframe(highlight_kinds(own), hide_index=True, width="stretch", height=420)


def voices_section(view) -> None:
    st.subheader("Voices")
    if view.speakers.empty:
        st.text("No attributed quotes in this story.")
    else:
        matrix = view.speakers.pivot_table(index="speaker", columns="outlet", values="quotes",
                                           aggfunc="sum", fill_value=0)
        st.caption("Who is quoted by which outlet (number of quotes)")
        st.dataframe(matrix, width="stretch")
    quotes = view.quotes[["outlet", "speaker", "text", "kind"]]
    st.caption("Every quote")
    st.dataframe(quotes, hide_index=True, width="stretch")
    st.download_button("Download quotes (CSV)", lambda: quotes.to_csv(index=False).encode("utf-8"),
                       file_name="quotes.csv", mime="text/csv", on_click="ignore")
    if not view.quote_variants.empty:
        st.caption("The same quote across outlets, with its variants")
        st.dataframe(view.quote_variants.drop(columns=["quote_id"], errors="ignore"),
                     hide_index=True, width="stretch")


def terms_section(view) -> None:
    st.subheader("Distinctive terms in this story")
    st.caption("Each outlet against the others in the story; log-odds with an informative "
               "Dirichlet prior from the whole corpus, as z-scores.")
    if view.terms.empty:
        st.text("Too few repeated words in this story for distinctive terms.")
        return
    top = view.terms.groupby("outlet", sort=True).head(10)
    st.dataframe(top[["outlet", "term", "z", "count"]], hide_index=True, width="stretch")


def exports_section(db_path: str, version: int, story_id: str, view) -> None:
    st.subheader("Export")
    first, second, third = st.columns(3)
    first.download_button("HTML report", lambda: cache.story_report_html(db_path, version, story_id),
                          file_name=f"{story_id}.html", mime="text/html", on_click="ignore")
    second.download_button("JSON story bundle", lambda: cache.story_bundle_json(db_path, version, story_id),
                           file_name=f"{story_id}.json", mime="application/json", on_click="ignore")
    third.download_button("Passages (CSV)", lambda: view.passages.sentences.drop(columns=["matches"])
                          .to_csv(index=False).encode("utf-8"),
                          file_name=f"{story_id}-passages.csv", mime="text/csv", on_click="ignore")


db_path = session.active_db_path()
version = cache.corpus_version(db_path)
stories = cache.stories(db_path, version)
story_id = choose_story(stories)
if story_id is None:
    st.title("Story")
    st.text("This corpus has no stories yet: import articles on the Corpus page.")
else:
    story = stories.set_index("story_id").loc[story_id]
    header_section(story)
    articles_section(story_id, cache.story_members(db_path, version), cache.articles(db_path, version))
    view = cache.story_view(db_path, version, story_id)
    outlet_section(view, story_id)
    outlets = sorted(view.members["outlet"].fillna("(unknown outlet)").unique().tolist())
    chosen_outlets = url_multiselect("Outlets side by side", outlets, "outlets", what="outlet",
                                     default=outlets[:SIDE_BY_SIDE_OUTLETS])
    timeline_section(view)
    passages_section(view, chosen_outlets)
    voices_section(view)
    terms_section(view)
    exports_section(db_path, version, story_id, view)
