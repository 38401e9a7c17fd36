"""Synthetic article variants for the scale benchmarks, made from the bundled samples.

Variant `i` is sample `i mod n` with every quoted person renamed (full name and surname alone,
from pools of 64 first names × 128 surnames), a random outlet of 24, a publication time spread
over two years, a unique URL, and one closing paragraph that is unique to the variant and
carries two more attributed direct quotes by generated people. The text of each variant is
then analysed by the real `summaries.article.analyze_article`, so what reaches the store is
exactly what the ingest pipeline would produce for that text. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from newsbot.data.bundled import sample_article_paths
from newsbot.data.models import NewArticle, NewQuote, NewSummary
from newsbot.handlers.ingestion.urls import canonicalize
from newsbot.summaries.article import analyze_article
from newsbot.summaries.clean import clean_article
from newsbot.summaries.quotes import Quote, extract_quotes
from newsbot.summaries.speakers import normalize_name, surname_key
from newsbot.summaries.summarize import DEFAULT_ALGORITHM

SUMMARY_SENTENCES = 3


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _names(
    "Ada Aleksander Amina Anders Anika Arjun Astrid Beatriz Bernard Camille Carlos Chen Dalia "
    "Dmitri Elena Emeka Esther Farah Felix Greta Hamid Hana Ingrid Ivan Jamal Jana Joon Karin "
    "Kofi Lars Leila Lucia Magnus Maren Mateo Mei Miriam Nadia Nikolai Noor Olga Omar Paulo "
    "Priya Rafael Rania Rosa Ruth Samir Sanna Sofia Stefan Tariq Teresa Tomas Ulla Viktor "
    "Wanjiru Xavier Yara Yusuf Zofia Zoran"
)
SURNAMES = _names(
    "Abara Achterberg Adeyemi Alvarsson Amundsen Andrade Arkwright Aslanov Bakshi Balogun "
    "Barros Bergqvist Blackwood Bogdanova Brandt Castellanos Cavanagh Chaudhry Cordova Dahlberg "
    "Dimitrov Drozdov Dunmore Eklund Esposito Falkenrath Ferreira Fitzgerald Fonseca Galloway "
    "Garrido Gołębiowska Grimaldi Gunnarsdottir Haddad Halvorsen Hashimi Hendricks Holmquist "
    "Ibsen Iwasaki Jablonski Jaramillo Jovanovic Kamau Karlsson Kasprzak Kowalczyk Kuznetsova "
    "Lachance Larkspur Lindahl Lombardi Lundgren Machado Magnusson Marchetti Medvedeva Mendoza "
    "Moreau Mwangi Nakamura Narváez Nieminen Novak Nwosu Oduya Okafor Olawale Ortega Ostrowski "
    "Pacheco Petrakis Pettersen Quintana Rahimi Rasmussen Renwick Rinaldi Rostova Rutherford "
    "Saarinen Salazar Sandoval Santangelo Schreiber Sebastiani Shevchenko Sigurdsson Silvestri "
    "Sokolova Solberg Strand Szabo Takeda Tamsin Tanaka Tavares Thorsen Toivonen Trevino Ueda "
    "Underhill Valdés Vance Varga Vasquez Vidal Villanueva Volkova Wakefield Wennberg Whitcombe "
    "Wojcik Yamamoto Yilmaz Zamora Zanetti Zielinski Zubkov Ødegaard Åberg Ekwueme Farrow "
    "Hollis Ingram Juarez Keller"
)
OUTLETS = (
    "Northwind Wire",
    "Meridia Herald",
    "Lakeport Ledger",
    "Coastal Courier",
    "The Anselm Times",
    "Halvonia Today",
    "Westmarch Gazette",
    "Valley Observer",
    "Capital Dispatch",
    "Harbour Chronicle",
    "Morning Signal",
    "The Evening Post",
    "Civic Review",
    "Riverside Bulletin",
    "Northmoor News",
    "Continental Press",
    "The Daily Compass",
    "Market Monitor",
    "Frontier Journal",
    "Highland Record",
    "Island Tribune",
    "Metro Wire",
    "The Standard",
    "Union Weekly",
)
ROLES = (
    "a spokeswoman for the transport ministry",
    "the head of the regional council",
    "an economist at Corvane Bank",
    "a senior official at the finance ministry",
    "the chair of the farmers' association",
    "a spokesman for the port authority",
    "the mayor of Lakeport",
    "a professor of politics at Meridia University",
)
TOPICS = (
    "the rail timetable",
    "the harbour works",
    "the district budget",
    "the water tariffs",
    "the school building programme",
    "the new ferry route",
    "the clinic waiting lists",
    "the grain export figures",
)
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
SPREAD_MINUTES = 2 * 365 * 24 * 60


@dataclass(frozen=True, slots=True)
class Template:
    """A bundled sample and the person names in it that variants replace."""

    title: str
    text: str
    language: str
    names: tuple[str, ...]  # full names, longest first


@dataclass(frozen=True, slots=True)
class Variant:
    """One generated article as a source: what an ingest would read."""

    index: int
    title: str
    text: str
    outlet: str
    author: str
    published_at: datetime
    url: str

    def to_json(self) -> str:
        """The sample-file format (`data/samples/*.json`) the Ingestor reads."""
        return json.dumps(
            {
                "title": self.title,
                "outlet": self.outlet,
                "author": self.author,
                "published_at": self.published_at.isoformat(),
                "url": self.url,
                "text": self.text,
            },
            ensure_ascii=False,
        )


@dataclass(frozen=True, slots=True)
class StoredForm:
    """Exactly what the Ingestor hands to `Store.add_article` for one variant."""

    article: NewArticle
    summary: NewSummary | None
    quotes: tuple[NewQuote, ...]


_PERSON = re.compile(r"^[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,2}$")


# Words that make a quoted "name" an organisation or a titled form, which variants keep.
_NOT_PERSON = frozenset(
    _names(
        "Bank University Universität Front League Ratings Works Ferries Ledger Hospital Street "
        "Traders Transport Athletics Kronen Milliarden Central Cllr Marine General Union Party "
        "Ministry Council Group Authority Association Institute Agency Court"
    )
)


def _is_person(name: str) -> bool:
    tokens = name.split()
    return bool(_PERSON.match(name)) and not any(
        t in _NOT_PERSON or t.endswith(("'s", "’s")) for t in tokens
    )


def _person_names(quotes: Sequence[Quote]) -> tuple[str, ...]:
    names = {q.speaker for q in quotes if q.speaker and _is_person(q.speaker)}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=1)
def templates() -> tuple[Template, ...]:
    """The bundled samples with the names of their quoted people."""
    found = []
    for path in sample_article_paths():
        raw = json.loads(path.read_text(encoding="utf-8"))
        body = clean_article(raw["text"], title=raw["title"])
        names = _person_names(extract_quotes(body))
        found.append(Template(raw["title"], raw["text"], raw.get("language", "english"), names))
    return tuple(found)


def _rename(text: str, mapping: dict[str, str]) -> str:
    for old, new in mapping.items():
        text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text)
    return text


def _closing_paragraph(rng: random.Random, index: int) -> str:
    first = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    second = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    topic = rng.choice(TOPICS)
    return (
        f"“We will publish the full figures for {topic} in district {index}, and we expect "
        f"them to hold up,” said {first}, {rng.choice(ROLES)}. "
        f"{second}, {rng.choice(ROLES)}, was less sure. “Nobody has seen the numbers for "
        f"district {index} yet, so I would wait before celebrating,” {second.split()[-1]} said."
    )


def variant(index: int, seed: int = 7) -> Variant:
    """The `index`-th synthetic article (deterministic for a seed)."""
    pool = templates()
    template = pool[index % len(pool)]
    rng = random.Random(seed * 1_000_003 + index)
    mapping: dict[str, str] = {}
    for name in template.names:
        new_first, new_last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        mapping[name] = f"{new_first} {new_last}"
    # Surnames alone ("…, Okonjo-Reyes said") after the full names they belong to.
    for name in template.names:
        mapping.setdefault(name.split()[-1], mapping[name].split()[-1])
    text = _rename(template.text, mapping) + "\n\n" + _closing_paragraph(rng, index)
    outlet = rng.choice(OUTLETS)
    published = EPOCH + timedelta(minutes=rng.randrange(SPREAD_MINUTES))
    slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")
    return Variant(
        index=index,
        title=_rename(template.title, mapping),
        text=text,
        outlet=outlet,
        author=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        published_at=published,
        url=f"https://{slug}.example/{published:%Y/%m/%d}/story-{index}",
    )


def new_quotes(quotes: Sequence[Quote]) -> tuple[NewQuote, ...]:
    """The Ingestor's conversion of quotes: names normalised for the store's speaker lookup."""
    return tuple(
        NewQuote(
            start=q.start,
            end=q.end,
            text=q.text,
            kind=q.kind,
            speaker=q.speaker,
            role=q.role,
            speaker_key=(normalize_name(q.speaker) or None) if q.speaker else None,
            speaker_surname=(surname_key(q.speaker) or None) if q.speaker else None,
        )
        for q in quotes
    )


def stored_form(v: Variant) -> StoredForm:
    """Analyse a variant exactly as `Ingestor` does and build the store's input."""
    result = analyze_article(
        v.text, title=v.title, sentences=SUMMARY_SENTENCES, algorithm=DEFAULT_ALGORITHM
    )
    summary = None
    if result.summary.sentences:
        # Stored under the requested algorithm, as the Ingestor does.
        summary = NewSummary(DEFAULT_ALGORITHM, SUMMARY_SENTENCES, result.summary.sentences)
    return StoredForm(
        NewArticle(
            title=v.title,
            body=result.body,
            language=result.language,
            url=canonicalize(v.url),
            outlet=v.outlet,
            author=v.author,
            published_at=v.published_at,
        ),
        summary,
        new_quotes(result.quotes),
    )


def stored_forms(indices: Sequence[int]) -> list[StoredForm]:
    """`stored_form` for many variants (the unit of work of a process pool)."""
    return [stored_form(variant(i)) for i in indices]


def write_sources(folder: Path, count: int, *, duplicates: int = 0) -> list[Path]:
    """`count` variants as sample-format JSON files, plus `duplicates` byte-identical copies."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"variant-{i:05d}.json"
        path.write_text(variant(i).to_json(), encoding="utf-8")
        paths.append(path)
    for i in range(duplicates):
        copy = folder / f"copy-{i:05d}.json"
        copy.write_bytes(paths[i % count].read_bytes())
        paths.append(copy)
    return paths
