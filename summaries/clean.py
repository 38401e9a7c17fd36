"""Cleaning of pasted or extracted article text before it is stored and summarised.

Web pages and news feeds leave junk around the story: captions and photo credits, bylines and
timestamps, author bios, "Read more" / share / newsletter prompts, video-player notices and the
headline repeated as the first line. `clean_article` removes what it can recognise with
confidence and normalises the rest to paragraphs separated by a blank line, which is the shape
`split_sentences` and the summarizers expect (a paragraph break always ends a sentence).

Two kinds of junk are handled: whole paragraphs that are boilerplate (dropped), and junk glued
into running text by extractors that lost the markup ("Scroll down for video", "Media playback
is not supported on this device", "Share this withEmailFacebook…Copy this link"), which is cut
out inline. A dateline ("WASHINGTON (Reuters) -", "London (CNN)") stays part of the first
sentence; only the bare credit with no place before it ("(CNN) -- ") is dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from itertools import islice

# Invisible or odd characters that extractors leave behind, and their plain replacements.
_REPLACEMENTS = {
    "\u00a0": " ",  # no-break space
    "\u2007": " ",
    "\u202f": " ",
    "\u200b": "",  # zero-width space / joiners / BOM carry no text
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",  # soft hyphen
    "\r\n": "\n",
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n\n",
    "\t": " ",
}
# One regex pass finds them (and control characters other than newline, never part of an
# article); a dict-based str.translate would visit every character in Python.
_ODD_CHARS = re.compile(
    "\r\n|[" + "".join(k for k in _REPLACEMENTS if len(k) == 1) + "\x00-\x08\x0b-\x1f\x7f-\x9f]"
)

_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?\s*>")
_HTML_DROP = re.compile(
    r"<\s*(script|style|noscript|figcaption|figure|aside|nav|footer|iframe)\b.*?<\s*/\s*\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_HTML_BLOCK = re.compile(
    r"<\s*(?:/\s*)?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|header)\b[^>]*>",
    re.IGNORECASE,
)

# Junk glued into running text: cut out wherever it appears. Each pattern runs only when its
# lower-case trigger occurs in the text, so clean text pays one substring test per pattern.
_INLINE_JUNK: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (trigger, re.compile(pattern, re.IGNORECASE))
    for trigger, pattern in (
        ("scroll down", r"Scroll down for (?:the )?videos?(?:\s*\.\.\.|\s*…)?\s*"),
        (
            "media playback",
            r"Media playback is (?:not supported|unsupported) on (?:this|your) device\s*",
        ),
        (
            "share this with",
            r"Share this with(?:Email|Facebook|Messenger|Twitter|Pinterest|WhatsApp|LinkedIn|\s)*"
            r"Copy this link\s*",
        ),
        (
            "image copyright",
            r"Image copyright\s+[^\n]{0,60}?(?:Getty Images|Reuters|AFP|AP|PA|EPA)\s*",
        ),
        ("last updated at", r"Last updated at [^\n]{0,60}?\b\d{4}\s*\.?\s*"),
        # Triggers are whole words: a bare "(" would fire on every "(CNN)".
        ("click", r"\(\s*Click (?:down|here|through)[^)\n]{0,60}\)\s*"),
        ("swipe", r"\(\s*Swipe (?:down|here|through)[^)\n]{0,60}\)\s*"),
        ("scroll", r"\(\s*Scroll (?:down|here|through)[^)\n]{0,60}\)\s*"),
    )
)
# Old Daily Mail header: "By . Daily Mail Reporter . PUBLISHED: 09:12 EST, 1 May 2013 . |
# . UPDATED: 10:01 EST, 1 May 2013 . " – the dots were line breaks in the page.
_DM_HEADER = re.compile(
    r"^\s*(?:By\s*\.\s*[^.\n]{1,80}?\s*\.\s*)?(?:and\s+[^.\n]{1,60}?\s*\.\s*)?"
    r"(?:(?:PUBLISHED|UPDATED|Last updated)\s*:?\s*[^|\n]{0,60}?\d{4}\s*\.?\s*\|?\s*\.?\s*){1,2}",
    re.IGNORECASE,
)
# A bare wire credit at the very start: "(CNN) -- ", "(Reuters) - ", "(CNN)".
_LEADING_CREDIT = re.compile(
    r"^\s*\((?:CNN|Reuters|AP|AFP|The Hollywood Reporter|[A-Z][\w.&' ]{1,30})\)\s*(?:--|[-–—])?\s*"
)
# "London (CNN)This" lost the space: a dateline credit glued to the first word.
_GLUED_CREDIT = re.compile(r"^([^\n()]{1,60}?\((?:CNN|Reuters|AP|AFP)\))(?=\S)")

# Paragraphs that are boilerplate as a whole (matched against the stripped paragraph).
_JUNK_PARAGRAPH = re.compile(
    r"(?:"
    r"(?:photo|photograph|picture|image|credit|caption|video|graphic|illustration|source)s?"
    r"(?: credit)?\s*:.{0,200}"
    r"|(?:image|photo) (?:copyright|caption|source)\b.{0,200}"
    r"|(?:related|recommended)(?: articles?| stories| content| coverage| links)?\s*:?.{0,120}"
    r"|more (?:on this story|stories|from|like this)\b.{0,120}"
    r"|read (?:more|next|the full)\b.{0,160}"
    r"|(?:also )?see also\b.{0,160}"
    r"|(?:sign up|subscribe)\b.{0,200}"
    r"|.{0,80}\b(?:our|free|daily|weekly|the) newsletters?\b.{0,120}"
    r"|share (?:this|on|via)\b.{0,160}"
    r"|(?:share|tweet|email|print|comments?|advertisement|advert|sponsored|getty images)"
    r"\W{0,3}"
    r"|follow (?:us|@?\w+(?: \w+)?) on (?:twitter|facebook|instagram)\b.{0,160}"
    r"|(?:click|tap) here\b.{0,160}"
    r"|(?:published|updated|posted|last (?:updated|modified))\b[^.!?]{0,60}\d[^!?]{0,30}"
    r"|by\s+(?:[A-Z][\w.'’-]*\s*){1,4}(?:(?:,|and|&)\s*(?:[A-Z][\w.'’-]*\s*){1,4})*"
    r"(?:[|,-–—]\s*.{0,60})?"
    r"|(?:copyright|©|\(c\)).{0,160}"
    r"|all rights reserved.{0,80}"
    r")",
    re.IGNORECASE,
)
# A "By ..." byline must start with a capitalised name; the case-insensitive pattern above
# would also drop "by the river", so bylines are re-checked case-sensitively.
_BYLINE = re.compile(r"[Bb][Yy]\s+[A-Z]")
# An author bio closing the article: "Jane Doe is a reporter for ...".
_AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){1,3}(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}"
    r"(?:reporter|correspondent|writer|editor|columnist|journalist|contributor|author|"
    r"producer|critic)\b",
)
# A caption ends with a photo credit: "… the square on Monday (Reuters)" / "Photo: AFP".
_CAPTION_CREDIT = re.compile(
    r"(?:\((?:[^()]{0,40}(?:Photo|Picture|Image|Getty|Reuters|AP|AFP|EPA|PA|Shutterstock)"
    r"[^()]{0,40})\)|(?:Photo|Picture|Image|Credit)s?\s*:\s*[^.!?]{1,60})\s*$"
)
# An explicit credit label ends a caption even after a full sentence: "The pier. Photo: AFP".
_LABELLED_CREDIT = re.compile(r"\b(?:Photo|Picture|Image|Credit)s?\s*:\s*[^.!?]{1,60}$")
_TERMINAL = re.compile(r"[.!?…][\"'’”»)\]]*$")
_SPACES = re.compile(r"[ ]{2,}")
_BLANK_LINES = re.compile(r"\n[ \n]*\n")
_WORDS = re.compile(r"\w+")

_MAX_JUNK_WORDS = 40  # boilerplate paragraphs are short; longer ones are story text


def clean_article(text: str, *, title: str | None = None) -> str:
    """Clean article text to paragraphs separated by a blank line. Never raises."""
    text = _normalise(text)
    if "<" in text and _HTML_TAG.search(text):
        text = _strip_html(text)
    text = _DM_HEADER.sub("", text, count=1)
    text = _cut_inline_junk(text)
    paragraphs = [p for p in (_tidy(p) for p in _paragraphs(text)) if p]
    paragraphs = [p for p in paragraphs if not _is_junk(p)]
    paragraphs = _drop_trailing_bio(paragraphs)
    if title:
        paragraphs = _drop_repeated_title(paragraphs, title)
    if paragraphs:
        paragraphs[0] = _fix_leading_credit(paragraphs[0])
    return "\n\n".join(p for p in paragraphs if p)


def _normalise(text: str) -> str:
    """Unicode NFC, plain spaces, no control or zero-width characters."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # isprintable() is False for every character _ODD_CHARS matches (controls, format and
    # separator characters) and runs in C, so ordinary text skips the regex scan.
    if text.replace("\n", " ").isprintable():
        return text
    return _ODD_CHARS.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    return _REPLACEMENTS.get(match.group(), "")


def _cut_inline_junk(text: str) -> str:
    lowered = text.casefold()
    for trigger, pattern in _INLINE_JUNK:
        if trigger in lowered:
            text = pattern.sub("", text)
    return text


def _strip_html(text: str) -> str:
    """Turn an HTML fragment into text: block tags become paragraph breaks."""
    text = _HTML_DROP.sub(" ", text)
    text = _HTML_BLOCK.sub("\n\n", text)
    text = _HTML_TAG.sub("", text)
    return _normalise(html.unescape(text))


def _paragraphs(text: str) -> list[str]:
    """Paragraphs: blank-line separated; single line breaks inside one are re-joined.

    A single line break is kept as a paragraph break when the line before it ends a sentence
    or looks like a headline (short, capitalised next line), because web copy usually puts one
    paragraph per line; otherwise it is a hard wrap and becomes a space.
    """
    out: list[str] = []
    for block in _BLANK_LINES.split(text):
        lines = [line.strip() for line in block.split("\n")]
        current: list[str] = []
        for line in lines:
            if not line:
                continue
            if current and _breaks_paragraph(current[-1], line):
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return out


def _breaks_paragraph(previous: str, line: str) -> bool:
    """Whether a single newline between `previous` and `line` separates paragraphs."""
    starts_upper = not line[0].islower()
    if _TERMINAL.search(previous):
        return starts_upper
    # Headline-like line without final punctuation followed by a capitalised line.
    return starts_upper and len(_WORDS.findall(previous)) <= 15


def _tidy(paragraph: str) -> str:
    if "  " in paragraph:  # a substring test is far cheaper than a regex scan
        paragraph = _SPACES.sub(" ", paragraph)
    return paragraph.strip()


def _is_junk(paragraph: str) -> bool:
    """A whole paragraph of boilerplate: credit, caption, byline, share/related prompt."""
    # Twice as many spaces as the word limit is surely over it: skip counting long paragraphs.
    if (
        paragraph.count(" ") > 2 * _MAX_JUNK_WORDS
        or len(_WORDS.findall(paragraph)) > _MAX_JUNK_WORDS
    ):
        return False
    if not _WORDS.search(paragraph):
        return True  # only punctuation / symbols: separators such as "* * *"
    match = _JUNK_PARAGRAPH.fullmatch(paragraph)
    if match:
        return paragraph[:2].casefold() != "by" or bool(_BYLINE.match(paragraph))
    # A caption: no sentence punctuation of its own, ends with a photo credit.
    if _LABELLED_CREDIT.search(paragraph):
        return True
    return bool(_CAPTION_CREDIT.search(paragraph)) and not _TERMINAL.search(
        _CAPTION_CREDIT.sub("", paragraph).rstrip()
    )


def _drop_trailing_bio(paragraphs: list[str]) -> list[str]:
    """Drop author bios in the last two paragraphs ("Jane Doe is a reporter for …")."""
    keep = list(paragraphs)
    for index in range(len(keep) - 1, max(len(keep) - 3, 0) - 1, -1):
        if _AUTHOR_BIO.match(keep[index]) and len(_WORDS.findall(keep[index])) <= 60:
            del keep[index]
    return keep


def _folded_words(text: str, limit: int | None = None) -> list[str]:
    """The case-folded words of `text`, only the first `limit` of them when given."""
    matches = _WORDS.finditer(text.casefold())
    return [match.group() for match in islice(matches, limit)]


def _drop_repeated_title(paragraphs: list[str], title: str) -> list[str]:
    """Drop the headline when it is repeated as the first paragraph or first sentence."""
    wanted = _folded_words(title)
    if not wanted:
        return paragraphs
    for index, paragraph in enumerate(paragraphs[:3]):
        # One word more than the title tells "the title alone" from "the title and more"
        # without splitting a whole (often long) paragraph into words.
        words = _folded_words(paragraph, len(wanted) + 1)
        if words == wanted:
            return paragraphs[:index] + paragraphs[index + 1 :]
        if index == 0 and len(words) > len(wanted) and words[:-1] == wanted:
            # "Headline Body starts here…": the title glued to the first sentence.
            cut = _prefix_length(paragraph, title)
            if cut:
                return [paragraph[cut:].lstrip(" .:-–—"), *paragraphs[1:]]
    return paragraphs


def _prefix_length(paragraph: str, title: str) -> int:
    """Length of the prefix of `paragraph` that spells out `title` (words compared)."""
    needed = len(_WORDS.findall(title))
    for match in _WORDS.finditer(paragraph):
        needed -= 1
        if needed == 0:
            return match.end()
    return 0


def _fix_leading_credit(paragraph: str) -> str:
    """Drop a bare wire credit; keep a dateline ("London (CNN)") attached to the sentence."""
    glued = _GLUED_CREDIT.match(paragraph)
    if glued:
        return glued.group(1) + " " + paragraph[glued.end() :]
    return _LEADING_CREDIT.sub("", paragraph, count=1)
