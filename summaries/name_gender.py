"""A guess at the grammatical gender of a given name, for resolving "he" and "she".

Pronoun resolution needs to rule out the wrong antecedent ("she said" right after "John
Smith" was mentioned) and to prefer a person whose gender agrees over one whose gender is
unknown, so the more given names it knows, the better it resolves. Two sources: a hand-made
list of names common in the news but rare in the US census (Volodymyr, Jagmeet, Chrystia,
Kwame, Siobhan, Iryna, Ragnar), which wins, and `given_names.txt`, the US Census Bureau's
1990 given-name lists (public domain) reduced to the names overwhelmingly given to one sex.
An unknown or unisex name is compatible with any pronoun.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from newsbot.summaries.speakers import fold


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
    amara ama akosua abena efua adwoa ngozi chioma nneka adaeze chiamaka folake funmilayo
    wanjiru wangari nomvula thandiwe zanele naledi halyna iryna oleksandra olena oksana
    tetiana tetyana nataliya natalia yulia yuliia svitlana lyudmyla lyudmila anastasia
    kateryna maryna larysa valentyna ksenia agnieszka katarzyna malgorzata magdalena kasia
    ewa beata dorota zofia jadwiga sunniva ingrid astrid sigrid solveig liv freya frida ylva
    linnea signe hedda birgit gudrun saoirse siobhan aoife niamh orla roisin sinead grainne
    caoimhe olwen ffion cerys eluned bronwen seren odile beatrix marguerite sylvie nathalie
    isabelle amelie celine chantal delphine veronique giulia chiara francesca alessandra
    federica valentina elena lucia carmen pilar rocio ines beatriz fatima aisha amina leila
    layla zeynep elif ayse meryem priya anjali deepa sunita kavita pooja neha shreya aarti
    divya lakshmi
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
    kwame kofi kojo kwaku kwabena kwasi yaw ekow obinna chinedu emeka chukwuemeka ikenna
    tunde segun babatunde olumide jomo uhuru thabo sipho themba mandla kagiso tariq tarek
    khalid karim rashid hamid mahmoud mustafa youssef yusuf ibrahim ismail idris ayman bilal
    hussein hasan samir nabil walid ziad faisal saeed rahul rajesh sanjay vikram arjun amit
    anil sunil vijay suresh ramesh manoj deepak ashok pradeep rohit rakesh nikhil pranav
    kunal siddharth aditya anand yaroslav mykola andriy dmytro oleksandr oleksiy serhiy
    vasyl petro taras bohdan yuriy vitaliy tomasz dariusz piotr pawel krzysztof marek jakub
    wojciech andrzej grzegorz janusz zbigniew tadeusz miroslav milos dragan zoran goran
    branko stanislav vaclav jiri ondrej ragnar stellan magnus lars sven nils erik henrik
    hendrik anders bjorn olav gunnar leif torsten jens jorgen pieter joost willem maarten
    bram thijs stefan jurgen klaus dieter wolfgang helmut gerhard horst rainer uwe matthias
    tobias florian lukas felix sebastian baptiste antoine olivier nicolas laurent thierry
    didier yves herve mathieu julien guillaume aurelio giuseppe giovanni luigi marco matteo
    lorenzo alessandro francesco stefano paolo massimo vincenzo salvatore alejandro javier
    diego pablo sergio carlos jorge miguel manuel rafael fernando joao pedro paulo tiago
    rodrigo darragh cormac cian oisin padraig seamus eoin ciaran niall declan fergus alun
    dafydd emyr gethin rhys iwan angus hamish callum mehmet ahmet emre murat burak kemal
    hakan serkan tobiah
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
    text = (
        resources.files("newsbot.summaries").joinpath("given_names.txt").read_text(encoding="utf-8")
    )
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
