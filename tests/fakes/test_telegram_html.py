"""Telegram's HTML parse mode as the fake server applies it (TDLib's rules and error texts)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.telegram_html import EntityParseError, check_link, parse_html, trim, utf16_len


def parsed(source: str) -> tuple[str, list[dict[str, Any]]]:
    result = trim(parse_html(source))
    return result.text, list(result.entities)


def test_plain_text_passes_through() -> None:
    assert parsed("Just words, 100% fine.") == ("Just words, 100% fine.", [])


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
    ],
)
def test_each_supported_tag_makes_its_entity(tag: str, kind: str) -> None:
    assert parsed(f"x <{tag}>word</{tag}>") == (
        "x word",
        [{"type": kind, "offset": 2, "length": 4}],
    )


def test_tags_are_case_insensitive_and_nest() -> None:
    text, entities = parsed("<B>a<i>b</i></B>")
    assert text == "ab"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 1, "length": 1},
    ]


def test_offsets_count_utf16_units() -> None:
    text, entities = parsed("😀 <b>x</b>")
    assert text == "😀 x"
    assert entities == [{"type": "bold", "offset": 3, "length": 1}]
    assert utf16_len("😀é") == 3


def test_entities_and_literal_ampersands() -> None:
    text, _ = parsed("AT&T &nbsp; &lt;b&gt; &quot;q&quot; &#128512; &#x1F600;")
    assert text == 'AT&T &nbsp; <b> "q" 😀 😀'


def test_links_are_normalised_or_dropped() -> None:
    assert parsed('<a href="https://e.org/?a=1&amp;b=2">l</a>')[1] == [
        {"type": "text_link", "offset": 0, "length": 1, "url": "https://e.org/?a=1&b=2"}
    ]
    assert parsed("<a href=example.com>l</a>")[1][0]["url"] == "http://example.com"
    # Telegram silently drops a link it does not accept rather than failing the message.
    assert parsed('<a href="javascript:alert(1)">l</a>') == ("l", [])
    assert check_link("tg://user?id=1") == "tg://user?id=1"
    assert check_link("not a link") is None


def test_pre_with_code_language_and_special_tags() -> None:
    assert parsed('<pre><code class="language-python">x = 1</code></pre>')[1] == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"}
    ]
    # A language on a bare <code> is dropped.
    assert parsed('<code class="language-py">x</code>')[1] == [
        {"type": "code", "offset": 0, "length": 1}
    ]
    assert parsed("<blockquote expandable>q</blockquote>")[1][0]["type"] == (
        "expandable_blockquote"
    )
    assert parsed('<span class="tg-spoiler">s</span>')[1][0]["type"] == "spoiler"
    assert parsed('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>')[1] == [
        {"type": "custom_emoji", "offset": 0, "length": 2, "custom_emoji_id": "5368324170671202286"}
    ]


def test_empty_tags_make_no_entity_and_short_end_tag_closes() -> None:
    assert parsed("<b></b>x") == ("x", [])
    assert parsed("<i>x</>") == ("x", [{"type": "italic", "offset": 0, "length": 1}])


def test_unknown_attributes_are_ignored() -> None:
    assert parsed("<b class=x title='t'>y</b>") == (
        "y",
        [{"type": "bold", "offset": 0, "length": 1}],
    )


def test_trim_strips_whitespace_and_clips_entities() -> None:
    assert parsed("  \n<b> hi </b>\n ") == ("hi", [{"type": "bold", "offset": 0, "length": 2}])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("é <x>", 'Unsupported start tag "x" at byte offset 3'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b x>y</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_invalid_html_reports_telegrams_reason(source: str, reason: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert reason in caught.value.reason
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
