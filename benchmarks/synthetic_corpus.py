"""Write a synthetic news corpus as JSON Lines, for users without the real one.

The figures we quote come from the real corpus
(``../shared/corpora/article-bias-prediction.jsonl.xz``); this generator lets
anyone run the same benchmark at the same scale. It is deterministic for a
given ``--seed``.

How a corpus is made:

- ``--stories`` events, each with its own vocabulary: a handful of event words
  drawn from a shared lexicon, a place, a date, and named people.
- ``--outlets`` outlets with a house style: preferred words, a sign-off line
  and a share/newsletter footer (boilerplate for the cleaner to find).
- Each article picks an event (Zipf-like popularity, so some stories get many
  articles) and an outlet, and writes 6-30 sentences mixing event sentences,
  general news filler and, for a fifth of the articles, sentences copied from
  an earlier article of the same event (wire copy).

Usage::

    python benchmarks/synthetic_corpus.py --articles 40000 --out /tmp/synthetic.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

LEXICON = (
    "ceasefire sanctions tariff budget election court ruling vaccine outbreak strike union "
    "pipeline refinery drought flood wildfire earthquake merger lawsuit indictment verdict "
    "protest summit treaty embargo inflation recession subsidy pension reform immigration "
    "border asylum police shooting hurricane evacuation grid outage satellite launch rocket "
    "minister senator governor mayor parliament congress cabinet coalition referendum ballot "
    "hospital school university rent housing mortgage bank bailout currency bond market "
    "exports imports factory layoffs wages climate emissions carbon solar nuclear reactor"
).split()
FILLER = (
    "Officials said more details would be released later this week.",
    "The announcement drew mixed reactions from lawmakers and analysts.",
    "Critics argued the decision came too late to make a difference.",
    "Supporters said the move was long overdue and welcomed the news.",
    "It was not immediately clear how the plan would be financed.",
    "A spokesperson declined to comment on the record.",
    "The figures could not be independently verified.",
    "Markets reacted calmly to the news on Tuesday.",
)
FIRST_NAMES = "Anna Ben Carla David Elena Farid Grace Hugo Ines Jonas Kemal Lena Marco Nadia".split()
LAST_NAMES = "Adler Brooks Castillo Dumont Eriksen Fischer Garcia Haddad Ivanova Jansen Kowalski".split()
PLACES = "Berlin Nairobi Lima Osaka Toronto Madrid Warsaw Cairo Denver Manila Oslo Quito".split()


def generate(*, articles: int, outlets: int, stories: int, seed: int):
    rng = random.Random(seed)
    outlet_styles = [_outlet_style(rng, number) for number in range(outlets)]
    events = [_event(rng, number) for number in range(stories)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(stories)]
    written: dict[int, list[str]] = {}
    for number in range(articles):
        event_index = rng.choices(range(stories), weights=weights)[0]
        event = events[event_index]
        style = rng.choice(outlet_styles)
        sentences = [_event_sentence(rng, event) for _ in range(rng.randint(4, 18))]
        sentences += rng.sample(FILLER, k=rng.randint(1, 4))
        earlier = written.get(event_index)
        rng.shuffle(sentences)
        if earlier and rng.random() < 0.2:
            sentences = earlier[: rng.randint(3, len(earlier))] + sentences[:3]
        written.setdefault(event_index, sentences)
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        date = event["date"] + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 5)))
        yield {
            "id": f"syn-{number:06d}",
            "outlet": style["name"],
            "title": f"{event['words'][0].title()} {event['words'][1]} in {event['place']}",
            "date": date.isoformat(),
            "text": "\n\n".join(paragraphs + [style["footer"]]),
            "story_id": f"event-{event_index:05d}",
        }


def _outlet_style(rng: random.Random, number: int) -> dict:
    name = f"{rng.choice(PLACES)} {rng.choice(('Herald', 'Times', 'Post', 'Daily', 'Wire'))} {number}"
    footer = rng.choice((
        f"Sign up for the {name} newsletter to get the news in your inbox.",
        "Share this article: Facebook Twitter Email",
        f"© {name}. All rights reserved.",
    ))
    return {"name": name, "footer": footer}


def _event(rng: random.Random, number: int) -> dict:
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
    people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3)]
    return {"words": rng.sample(LEXICON, 6), "place": rng.choice(PLACES), "date": start,
            "people": people, "number": number}


def _event_sentence(rng: random.Random, event: dict) -> str:
    words = rng.sample(event["words"], 3)
    person = rng.choice(event["people"])
    return rng.choice((
        f"The {words[0]} in {event['place']} raised new questions about the {words[1]}, {person} said.",
        f"{person} warned that the {words[0]} could affect the {words[1]} and the {words[2]}.",
        f"In {event['place']}, the {words[0]} dominated talks on the {words[1]}.",
        f"According to {person}, the {words[1]} will shape the {words[2]} for months.",
    ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40_000)
    parser.add_argument("--outlets", type=int, default=300)
    parser.add_argument("--stories", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    with arguments.out.open("w", encoding="utf-8") as handle:
        for record in generate(articles=arguments.articles, outlets=arguments.outlets,
                               stories=arguments.stories, seed=arguments.seed):
            handle.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
