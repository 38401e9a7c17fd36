"""A guess at the grammatical gender of a given name, for resolving "he" and "she".

Pronoun resolution needs to rule out the wrong antecedent ("she said" right after "John
Smith" was mentioned) and to prefer a person whose gender agrees over one whose gender is
unknown, so the more given names it knows, the better it resolves. Two sources: a short
hand-made list of names common in the news but rare in the US census (Volodymyr, Jagmeet,
Chrystia), which wins, and `given_names.txt`, the US Census Bureau's 1990 given-name lists
(public domain) reduced to the names overwhelmingly given to one sex. An unknown or unisex
name is compatible with any pronoun.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from summaries.speakers import fold


def _word_set(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(spaced.split())


_FEMALE = _word_set("""
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
    heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith
    megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice
    jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle
    theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla jane
    chrystia melanie catherine kathleen rachel jody jody christy caroline hillary kamala nancy
    theresa angela ursula jacinda marine giorgia liz elise patty ginette mona carla andrea
    jenny jen kate katie beth liz meg anne annie claire claudia sophie chloe ella mia zoe
    erin leah tara tina vanessa monica wendy yvonne paula sylvia irene lucy nora eva ella
    """)
_MALE = _word_set("""
    james robert john michael david william richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
    tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter
    christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan
    jesse bryan billy bruce gabriel joe logan albert willie alan eugene russell vincent philip
    bobby johnny bradley roy ralph randy howard wayne harry fred louis jim bill bob mike tom
    dave dan steve tony chris vladimir volodymyr xi doug justin jagmeet pierre erin boris
    emmanuel olaf joe barack hunter kim jean francois francois-philippe mohammed muhammad ali
    ahmed omar hassan ivan sergei sergey dmitry alexei nikolai yuri igor andrei mikhail
    jim ken ted ron rick nick matt greg jeff jon tim andy ben sam max leo hugo oliver liam
    lucas mason elijah logan caleb luke owen isaac evan ian colin neil graham stuart gordon
    """)


# East Asian names, given names and surnames alike, that the US census lists under one sex
# though they belong to either ("Li Qiang", "Wei Zhang"): the news meets them far more often
# as men's and women's names than the census suggests, so they decide nothing.
_EITHER = _word_set("""
    lu li yang sun ma lin song han xiao yu wei su jin yan long mao wan jung shin moon son nam
    tran le
    """)


@cache
def _census_genders() -> dict[str, str]:
    """Name → "f" or "m" from the bundled census table (read once, on first use)."""
    table: dict[str, str] = {}
    text = resources.files("summaries").joinpath("given_names.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, sex = line.split()
            table[name] = sex
    return table


def first_name_gender(name: str) -> str | None:
    """ "m", "f" or None (unknown or used for both) for a given name, any case."""
    key = fold(name).rstrip(".")  # the lists spell names without accents: "Siobhán" → "siobhan"
    female, male = key in _FEMALE, key in _MALE
    if female or male:
        return None if female == male else ("f" if female else "m")
    return None if key in _EITHER else _census_genders().get(key)
