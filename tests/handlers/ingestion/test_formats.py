"""Decoding raw input into article drafts: text, encodings, HTML, Markdown and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from newsbot.handlers.ingestion.decoding import (
    BINARY_REASON,
    CONTROL_REASON,
    UTF16_REASON,
    decode_bytes,
)
from newsbot.handlers.ingestion.drafts import (
    NO_WORDS_REASON,
    SPACELESS_REASON,
    ArticleDraft,
    Decoded,
    Rejection,
    SourceError,
    count_words,
    draft_from_text,
    parse_datetime,
)
from newsbot.handlers.ingestion.extract import draft_from_html, html_to_text, outlet_from_page_title
from newsbot.handlers.ingestion.formats import draft_from_markdown, drafts_from_bytes

from tests.handlers.conftest import LIBRARY_TEXT, MARKET_TEXT, STORM_TEXT, page_html


def only_draft(decoded: list[Decoded]) -> ArticleDraft:
    assert len(decoded) == 1
    draft = decoded[0]
    assert isinstance(draft, ArticleDraft), draft
    return draft


def only_rejection(decoded: list[Decoded]) -> Rejection:
    assert len(decoded) == 1
    rejection = decoded[0]
    assert isinstance(rejection, Rejection), rejection
    return rejection


# ------------------------------------------------------------------------------ plain text


def test_first_line_is_the_title() -> None:
    draft = draft_from_text(f"Storm hits coast\n\n{STORM_TEXT}", source="text")
    assert draft.title == "Storm hits coast"
    assert draft.text == STORM_TEXT


def test_given_title_keeps_the_whole_text() -> None:
    draft = draft_from_text(STORM_TEXT, source="text", title="  Storm  ")
    assert draft.title == "Storm"
    assert draft.text == STORM_TEXT


@pytest.mark.parametrize(
    "text",
    [
        " ".join(STORM_TEXT.split()),  # one paragraph
        " ".join(STORM_TEXT.split()) + "\n\n" + MARKET_TEXT,  # a first line too long for a title
    ],
    ids=["one-paragraph", "long-first-line"],
)
def test_text_without_a_headline_line_keeps_all_its_text_and_no_title(text: str) -> None:
    # A title taken from the text itself would be cut from the body as a repeated headline.
    draft = draft_from_text(text, source="text")
    assert (draft.title, draft.text) == (None, text)


@pytest.mark.parametrize("text", ["", "   \n\t  \n"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(SourceError, match="there is no text"):
        draft_from_text(text, source="text")


def test_too_short_text_is_refused_with_the_word_count() -> None:
    with pytest.raises(SourceError, match=r"too short for an article \(5 words"):
        draft_from_text("Headline\nOnly five words in here.", source="text")


def test_punctuation_is_not_words() -> None:
    with pytest.raises(SourceError) as caught:
        draft_from_text("Headline\n" + "!!! ??? ... " * 30, source="text")
    assert str(caught.value) == NO_WORDS_REASON
    with pytest.raises(SourceError, match=r"too short for an article \(2 words"):
        draft_from_text("Headline\n" + "-- — * · ... " * 30 + "two words", source="text")


@pytest.mark.parametrize(
    "text",
    [
        "港口大桥今天正式通车。市长表示，这座桥将缩短两岸居民的通勤时间。" * 5,
        "港湾の新しい橋が今日開通しました。市長は通勤時間が短くなると述べました。" * 5,
        "สะพานท่าเรือแห่งใหม่เปิดใช้งานแล้ววันนี้ นายกเทศมนตรีกล่าวว่าจะช่วยลดเวลา " * 5,
        "항구 다리가 오늘 개통되었습니다. 시장은 통근 시간이 줄어들 것이라고 말했습니다. " * 5,
    ],
    ids=["chinese", "japanese", "thai", "korean"],
)
def test_text_in_scripts_without_spaces_gets_its_own_reason(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        draft_from_text(f"Headline\n{text}", source="text")
    assert str(caught.value) == SPACELESS_REASON


def test_a_few_foreign_names_do_not_make_a_text_spaceless() -> None:
    text = STORM_TEXT.replace("Mayor Anna Berg", "Mayor 王小明 (Wang Xiaoming) of 北京")
    assert draft_from_text(f"Storm\n{text}", source="text").text == text


@pytest.mark.parametrize(
    ("text", "words"),
    [("Storm hits coast", 3), ("!!! ??? ...", 0), ("“Yes,” — 2024 … ok.", 3), ("", 0)],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


# -------------------------------------------------------------------------------- decoding


def test_utf8_is_decoded() -> None:
    assert decode_bytes("Zoë’s café".encode()) == "Zoë’s café"


def test_undeclared_cp1252_is_decoded() -> None:
    text = "“Le marché est très nerveux”, a déclaré Jonas Pétrov à Lindenport."
    assert decode_bytes(text.encode("cp1252")) == text


def test_declared_charset_wins() -> None:
    text = "Грузовые перевозки выросли на пять процентов за год."
    assert decode_bytes(text.encode("koi8-r"), charset="koi8-r") == text


def test_undeclared_cyrillic_is_detected() -> None:
    text = (
        "Городской совет утвердил новый бюджет на следующий год. Депутаты обсуждали его "
        "почти шесть часов, после чего большинство проголосовало за документ."
    )
    assert decode_bytes(text.encode("cp1251")) == text


def test_utf16_with_bom_is_decoded() -> None:
    assert decode_bytes("Grain prices rise".encode("utf-16")) == "Grain prices rise"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "this is a PDF document, not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a PNG image, not text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "this is a ZIP archive (Word and OpenDocument"),
        (b"words\x00\x00\x01\x00\x00\x02\x00\x00\x00\x03\x00\x00more", BINARY_REASON),
        (bytes(range(1, 32)) * 40, CONTROL_REASON),
        ("Grain prices rise in Lindenport".encode("utf-16-le"), UTF16_REASON),
        ("Grain prices rise in Lindenport".encode("utf-16-be"), UTF16_REASON),
    ],
    ids=["pdf", "png", "zip", "nuls", "controls", "utf16le", "utf16be"],
)
def test_data_that_is_not_text_is_refused_saying_what_it_is(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        decode_bytes(data)
    assert str(caught.value).startswith(reason)


def test_a_few_stray_nuls_are_dropped() -> None:
    assert decode_bytes(b"plain words then a NUL \x00byte") == "plain words then a NUL byte"
    html = page_html("Storm hits coast", STORM_TEXT).replace("<article>", "<article>\x00")
    draft = only_draft(drafts_from_bytes(html.encode(), "storm.html"))
    assert "Elmshore" in draft.text and "\x00" not in draft.text


def test_zero_width_and_bidi_characters_are_text() -> None:
    # Persian uses the zero-width non-joiner inside words; emoji sequences use joiners.
    text = "\u200f" + "می\u200cخواهم \u200bبه \u202eخانه\u202c بروم 👨\u200d👩\u200d👧 " * 40
    assert decode_bytes(text.encode()) == text


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(SourceError, match="there is no text"):
        decode_bytes(b" \n\t ")


def test_binary_file_becomes_a_rejection_not_an_exception() -> None:
    rejection = only_rejection(drafts_from_bytes(b"\xff\xd8\xff\xe0JFIF", "photo.txt"))
    assert rejection.source == "photo.txt"
    assert rejection.reason.startswith("this is a JPEG image, not text")


def test_image_mime_type_is_refused_without_decoding() -> None:
    data = f"Title\n\n{STORM_TEXT}".encode()
    rejection = only_rejection(drafts_from_bytes(data, "scan", mime_type="image/jpeg"))
    assert rejection.reason == BINARY_REASON


# ------------------------------------------------------------------------------------ HTML


def test_html_main_text_without_scripts_styles_or_navigation() -> None:
    html = page_html("Storm hits coast", STORM_TEXT, canonical="https://courier.example/storm")
    draft = draft_from_html(html, source="page.html")
    assert "Elmshore" in draft.text and "Mayor Anna Berg" in draft.text
    for unwanted in ("SECRETSCRIPT", "SECRETSTYLE", "color:", "Home", "Copyright"):
        assert unwanted not in draft.text
    assert draft.title is not None and draft.title.startswith("Storm hits coast")
    assert draft.author == "Ines Holm"
    assert draft.outlet == "Coast Courier"
    assert draft.published_at is not None and draft.published_at.date().isoformat() == "2024-03-05"
    assert draft.url == "https://courier.example/storm"


@pytest.mark.parametrize(
    ("title_tag", "outlet"),
    [
        ("Storm hits coast | Harbour Daily", "Harbour Daily"),
        ("Storm hits coast &#8211; The Valley Courier", "The Valley Courier"),
        ("Storm hits coast", None),  # no site name in the title
        ("Harbour Daily | Storm hits coast", None),  # the last part is the headline
    ],
)
def test_outlet_from_the_page_title_when_metadata_names_no_site(
    title_tag: str, outlet: str | None
) -> None:
    html = f"<html><head><title>{title_tag}</title></head><body></body></html>"
    assert outlet_from_page_title(html, "Storm hits coast") == outlet


def test_a_page_without_site_metadata_takes_its_outlet_from_the_title() -> None:
    html = page_html("Storm hits coast", STORM_TEXT).replace(
        '<meta property="og:site_name" content="Coast Courier">', ""
    )
    draft = draft_from_html(html, source="page.html", url="http://127.0.0.1:8080/storm")
    assert draft.outlet == "Coast Courier"


def test_html_paragraphs_are_separated_by_blank_lines() -> None:
    draft = draft_from_html(page_html("Grain prices rise", MARKET_TEXT), source="page.html")
    assert "\n\n" in draft.text
    assert all(line.strip() for line in draft.text.split("\n\n"))


def test_html_to_text_drops_scripts_and_keeps_blocks() -> None:
    html = (
        "<div><script>alert('x')</script><style>p{}</style><p>First <b>para</b>.</p>"
        "<p>Second para.</p><noscript>enable js</noscript></div>"
    )
    assert html_to_text(html) == "First para.\n\nSecond para."


def test_html_without_text_is_refused() -> None:
    html = "<html><head><script>var x = 1;</script></head><body><img src=a.png></body></html>"
    rejection = only_rejection(drafts_from_bytes(html.encode(), "empty.html"))
    assert "no readable text" in rejection.reason


def test_unknown_extension_is_sniffed_as_html() -> None:
    data = page_html("Library reopens", LIBRARY_TEXT).encode()
    draft = only_draft(drafts_from_bytes(data, "download"))
    assert "SECRETSCRIPT" not in draft.text and "Harrowgate" in draft.text


# -------------------------------------------------------------------------------- Markdown


def test_markdown_heading_is_the_title_and_markup_is_removed() -> None:
    markdown = (
        "# Grain prices **rise**\n\n"
        "Traders at the [Lindenport exchange](https://example.com/x) reported a *busy* "
        "morning.\n\n> Buyers are nervous, said a broker.\n\n- first point\n- second point\n\n"
        "```\ncode stays\n```\n\n" + MARKET_TEXT
    )
    draft = draft_from_markdown(markdown, source="a.md")
    assert draft.title == "Grain prices rise"
    assert "Lindenport exchange reported a busy morning." in draft.text
    assert "https://example.com" not in draft.text
    assert "Buyers are nervous" in draft.text and ">" not in draft.text
    assert "code stays" in draft.text and "```" not in draft.text


def test_markdown_front_matter_title() -> None:
    markdown = f"---\ntitle: 'Library reopens'\nauthor: x\n---\n{LIBRARY_TEXT}"
    draft = only_draft(drafts_from_bytes(markdown.encode(), "library.md"))
    assert draft.title == "Library reopens"
    assert draft.text.startswith("The city library")


# ------------------------------------------------------------------------------------ JSON


def test_json_object_with_metadata() -> None:
    article = {
        "headline": "Storm hits coast",
        "body": STORM_TEXT,
        "link": "https://courier.example/storm",
        "site_name": "Coast Courier",
        "byline": "Ines Holm",
        "date": "2024-03-05T10:00:00+01:00",
    }
    draft = only_draft(drafts_from_bytes(json.dumps(article).encode(), "storm.json"))
    assert draft == ArticleDraft(
        source="storm.json",
        text=STORM_TEXT,
        title="Storm hits coast",
        url="https://courier.example/storm",
        outlet="Coast Courier",
        author="Ines Holm",
        published_at=datetime(2024, 3, 5, 9, 0, tzinfo=UTC),
    )


def test_json_list_rejects_bad_items_one_by_one() -> None:
    items = [
        {"title": "Storm", "text": STORM_TEXT},
        {"title": "No text here"},
        "not an object",
        {"title": "Tiny", "text": "Too short."},
        {"title": "Market", "text": MARKET_TEXT},
    ]
    decoded = drafts_from_bytes(json.dumps(items).encode(), "batch.json")
    kinds = [type(d).__name__ for d in decoded]
    assert kinds == ["ArticleDraft", "Rejection", "Rejection", "Rejection", "ArticleDraft"]
    assert [d.source for d in decoded] == [f"batch.json #{n}" for n in range(1, 6)]
    reasons = [d.reason for d in decoded if isinstance(d, Rejection)]
    assert 'no text — add a "text" or "body" field' in reasons[0]
    assert "expected an article object" in reasons[1]
    assert "too short" in reasons[2]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"title": "broken", ', "not valid JSON (line 1"),
        (b"[]", "must hold an article object or a list"),
        (b"42", "must hold an article object or a list"),
    ],
)
def test_unusable_json_is_one_rejection(data: bytes, reason: str) -> None:
    assert reason in only_rejection(drafts_from_bytes(data, "bad.json")).reason


def test_jsonl_reports_bad_lines_by_number() -> None:
    lines = [
        json.dumps({"title": "Storm", "text": STORM_TEXT}),
        "",
        "{not json",
        json.dumps({"title": "Library", "text": LIBRARY_TEXT}),
    ]
    decoded = drafts_from_bytes("\n".join(lines).encode(), "feed.jsonl")
    assert [d.source for d in decoded] == [
        "feed.jsonl line 1",
        "feed.jsonl line 3",
        "feed.jsonl line 4",
    ]
    assert isinstance(decoded[1], Rejection) and "not valid JSON" in decoded[1].reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "this JSON is nested too deeply to read"),
        (b'{"title": "x", "text": "y", "id": ' + b"9" * 5000 + b"}", "a number too long"),
    ],
    ids=["deep", "long-number"],
)
def test_json_beyond_the_parsers_limits_is_one_rejection(data: bytes, reason: str) -> None:
    assert reason in only_rejection(drafts_from_bytes(data, "bad.json")).reason


def test_jsonl_lines_beyond_the_parsers_limits_are_rejected_one_by_one() -> None:
    lines = [
        json.dumps({"title": "Storm", "text": STORM_TEXT}),
        "[" * 100_000 + "]" * 100_000,
        '{"title": "x", "text": "y", "date": ' + "9" * 5000 + "}",
        json.dumps({"title": "Library", "text": LIBRARY_TEXT}),
    ]
    decoded = drafts_from_bytes("\n".join(lines).encode(), "feed.jsonl")
    assert [type(d).__name__ for d in decoded] == [
        "ArticleDraft",
        "Rejection",
        "Rejection",
        "ArticleDraft",
    ]
    assert decoded[1] == Rejection(
        "feed.jsonl line 2", "this JSON is nested too deeply to read — fix this line and resend it"
    )
    assert decoded[2] == Rejection(
        "feed.jsonl line 3", "this JSON has a number too long to read — fix this line and resend it"
    )


def test_a_json_date_outside_the_datetime_range_is_dropped_not_the_article() -> None:
    items = [
        {"title": "Storm", "text": STORM_TEXT, "date": "9999-12-31T23:59:59-12:00"},
        {"title": "Market", "text": MARKET_TEXT, "date": "0001-01-01T00:00:00+14:00"},
    ]
    decoded = drafts_from_bytes(json.dumps(items).encode(), "batch.json")
    assert [(type(d).__name__, getattr(d, "published_at", "-")) for d in decoded] == [
        ("ArticleDraft", None),
        ("ArticleDraft", None),
    ]


def test_json_mime_type_beats_the_extension() -> None:
    data = json.dumps({"title": "Market", "text": MARKET_TEXT}).encode()
    draft = only_draft(drafts_from_bytes(data, "upload.txt", mime_type="application/json"))
    assert draft.title == "Market"


# ----------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T10:00:00Z", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("2024-03-05T12:00:00+02:00", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        (1709632800, datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("yesterday-ish", None),
        ("", None),
        (True, None),
        (None, None),
        (10**20, None),
        ("9999-12-31T23:59:59-12:00", None),
        ("0001-01-01T00:00:00+14:00", None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected
