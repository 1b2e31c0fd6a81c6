"""Cleaning keeps every story sentence and removes the junk, sentence by sentence (fixtures written for casus)."""
import json
import re

import pytest
from casus_test_helpers import FIXTURES

from casus.ingest.clean import clean_text
from casus.ingest.html import read_html_file

DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(,[^(]*)?(\([^)]*\))?\s*[-–—]\s*")


def _expected(name):
    return json.loads((FIXTURES / "inputs" / name).read_text(encoding="utf-8"))


def _check(result, expected):
    for sentence in expected["story"]:
        assert DATELINE.sub("", sentence) in result.text, sentence
    for junk in expected["junk"]:
        assert junk not in result.text, junk


def test_scraped_text_keeps_story_and_drops_junk():
    raw = (FIXTURES / "inputs" / "junky-article.txt").read_text(encoding="utf-8")
    result = clean_text(raw)
    _check(result, _expected("junky-article.expected.json"))
    reasons = {r["reason"] for r in result.removed}
    assert {"repeated-headline", "caption", "link", "author-box", "comment-form"} <= reasons
    assert result.outlet == "Warta Global News" and result.date == "2025-10-15"


def test_news_page_keeps_story_and_drops_junk():
    doc = read_html_file(FIXTURES / "inputs" / "news-page.html", "news-page.html")
    assert doc.title and doc.date == "2025-10-12"
    result = clean_text(doc.text, doc.title)
    _check(result, _expected("news-page.expected.json"))


def test_dateline_gives_date_outlet_and_is_not_coded_text():
    text = "Ships collide\n\nOSLO, 3 March 2025 (Fjord Wire) - Two ferries collided off Bergen on Monday.\n"
    result = clean_text(text)
    assert (result.date, result.outlet, result.place) == ("2025-03-03", "Fjord Wire", "OSLO")
    assert result.text.startswith("Two ferries collided")


def test_hard_wrapped_text_is_joined_into_paragraphs():
    text = ("Talks resume\n\nThe two delegations met again on Tuesday in the capital and agreed to keep\n"
            "the border crossing open for trucks carrying food and medicine for another\n"
            "three months, officials said.\n")
    assert "keep the border crossing open for trucks carrying food and medicine for another three months" in clean_text(text).text


@pytest.mark.parametrize("line", ["Read also", "See also  Minister resigns over scandal", "Leave a Reply",
                                  "Your email address will not be published. Required fields are marked *",
                                  "We use cookies to improve your experience.", "Photo: Reuters"])
def test_single_junk_lines(line):
    text = f"Headline here\n\nThe council voted on Monday to extend the mission by a year.\n\n{line}\n\nIt was the third extension since the mission began in 2019.\n"
    result = clean_text(text)
    assert line not in result.text
    assert "third extension" in result.text and "extend the mission" in result.text


def test_seed_article_junk(shared):
    result = clean_text((shared / "examples" / "seed-article.txt").read_text(encoding="utf-8"))
    removed = [r["text"] for r in result.removed]
    assert "Leave a Reply" in removed and any("Top Chef" in r for r in removed)
    assert sum("Jabori Obasanjo" in r for r in removed) == 2
    assert "Russia has moved what appears to be an invading force" in result.text
    assert "Coffee trailblazer" not in result.text and "Top Chef" not in result.text
    for r in result.removed:  # nothing removed is a story paragraph
        assert not r["text"].startswith(("Since the pro-Russian", "Germany and France", "Meanwhile"))
