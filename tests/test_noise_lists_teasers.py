"""Lists inside the article stay, teaser rails go (also with each headline glued to its summary)."""

from __future__ import annotations

from cleaner.config import Config
from cleaner.document import Document
from cleaner.noise.classifier import LINE_FEATURES, _glued_pieces, line_features
from cleaner.noise.engine import clean_document
from cleaner.noise.registry import TextView
from cleaner.noise.teaser_rails import glued_headline

MENU = ["Home", "News", "Reviews", "Downloads", "Forums", "Contact"]
HEADLINE = "Firmware 4.2 for the Nokia E71 is out"
INTRO = ("Nokia has released firmware version 4.2 for the E71, and owners can install it now through the "
         "software updater on their desktop computer or over the air from the phone itself.")
CHANGELOG = ["Changes and improvements:", "- Faster start-up of the camera.", "- Fix for the incoming call hang.",
             "- Better Wi-Fi authentication.", "- Fewer crashes in the mail client.", "- Turkish SMS input fixed.",
             "- Updated maps application."]
OUTRO = ("We installed the update on two phones this morning and both came back without problems, although the "
         "first start after the update took a little longer than usual, so be patient with it.")
MORE = ["The update is the first for the phone in almost a year, and Nokia said that it would be the last "
        "one before the company moves its developers to the new generation of handsets announced in the spring.",
        "Owners who bought the phone through an operator may have to wait a few more weeks, because operators "
        "test every firmware on their own networks before they let their customers install it on the phones.",
        "Nokia recommends a full backup of contacts, messages and calendar entries before the update starts, since "
        "a failed installation can leave the phone without its data, and a charged battery."]
FOOTER = ["About us", "Privacy policy", "Terms of use", "Copyright 2012 Mobile News"]


def cleaned(lines: list[str]) -> Document:
    document = Document(id="t", source="test", raw="\n".join(lines) + "\n", metadata={"content_type": "text"})
    clean_document(document, Config())
    return document


def test_a_changelog_between_article_paragraphs_is_kept() -> None:
    document = cleaned([*MENU, HEADLINE, INTRO, *CHANGELOG, OUTRO, *FOOTER])
    assert all(item in document.text for item in CHANGELOG)
    assert INTRO in document.text and OUTRO in document.text
    # the menus around the article still go
    assert "Downloads" not in document.text and "Terms of use" not in document.text


def test_the_list_features_see_a_list_opened_by_a_colon_between_paragraphs() -> None:
    lines = [*MENU, HEADLINE, INTRO, *CHANGELOG, OUTRO, *FOOTER]
    x = line_features(lines)
    enclosed, intro = (x[:, LINE_FEATURES.index(name)] for name in ("list_block_enclosed", "list_block_intro"))
    items = slice(len(MENU) + 3, len(MENU) + 2 + len(CHANGELOG))
    assert (enclosed[items] > 2).all() and intro[items].all()
    # the top menu has prose on one side only, and no colon opens it
    assert (enclosed[:len(MENU)] == 0).all() and not intro[:len(MENU)].any()


def test_a_tag_list_after_the_article_is_still_removed() -> None:
    tags = ["Tags: Nokia, E71, firmware, Symbian", "- [Nokia](/tag/nokia)", "- [Symbian](/tag/symbian)",
            "- [Firmware](/tag/firmware)"]
    document = cleaned([*MENU, HEADLINE, INTRO, *CHANGELOG, OUTRO, *tags, *FOOTER])
    assert all(tag not in document.text for tag in tags)
    assert "tag_list" in {span.category for span in document.spans}
    assert all(item in document.text for item in CHANGELOG)


TEASERS = [
    "Markets Go Dark Ahead of the Storm",
    "The stock and options markets will close on Monday because of the hurricane, the exchanges said.",
    "Evacuations as the Hurricane Edges Closer",
    "A million residents along the coast were ordered to leave their homes on Sunday evening.",
    "Readers Share Their Photos of the Storm",
    "Our readers up and down the coast sent their pictures of the storm, and you can share yours.",
]


def test_a_teaser_rail_after_the_article_is_removed_with_its_own_category() -> None:
    document = cleaned([*MENU, HEADLINE, INTRO, *MORE, OUTRO, "From the home page", *TEASERS, *FOOTER])
    assert all(teaser not in document.text for teaser in TEASERS)
    rail = [span for span in document.spans if span.category == "teaser_rail"]
    assert rail and {span.rule for span in rail} == {"teaser_rail_v1"}
    assert INTRO in document.text and OUTRO in document.text


def test_an_article_with_subheadings_is_not_a_rail() -> None:
    # the same shape between the article's paragraphs: sections, not teasers
    document = cleaned([*MENU, HEADLINE, INTRO, *TEASERS, OUTRO, *FOOTER])
    assert not any(span.category == "teaser_rail" for span in document.spans)
    assert all(teaser in document.text for teaser in TEASERS)


def test_a_rail_of_headlines_glued_to_their_summaries_is_removed() -> None:
    glued = [f"{headline}{summary}" for headline, summary in zip(TEASERS[::2], TEASERS[1::2], strict=True)]
    document = cleaned([*MENU, HEADLINE, INTRO, *MORE, OUTRO, "More stories", *glued, *FOOTER])
    assert all(line not in document.text for line in glued)
    assert any(span.category == "teaser_rail" for span in document.spans)


def test_a_glued_headline_is_cut_where_its_summary_starts() -> None:
    text = "College Honours Its Student-AthleteA 24-year-old swimmer was named athlete of the year on Friday."
    assert text[glued_headline(text):].startswith("A 24-year-old")
    # brand names in camel case and one prose sentence are not glued headlines
    assert glued_headline("Apple released the iPhone update on Friday for all users in Europe.") is None
    assert glued_headline("We watched the video on YouTube with friends and family last night.") is None


def test_the_classifier_can_judge_a_glued_headline_apart_from_its_summary() -> None:
    raw = "Home\n  Woman says Lohan cost her thousandsA woman who was in the car says that she lost her job.\n"
    glued = TextView(raw).content_lines()[1]
    pieces = _glued_pieces(glued)
    assert pieces is not None
    (start, cut, headline), (at, stop, summary) = pieces
    assert (start, stop, cut) == (glued.start, glued.stop, at)
    assert raw[raw.index("Woman"):cut] == headline == "Woman says Lohan cost her thousands"
    assert raw[at:stop].rstrip("\n") == summary and summary.startswith("A woman")
    # the second half of a brand in camel case opens no summary
    brand = TextView("Please enable JavaScript to view the comments powered by Disqus.\n").lines[0]
    assert _glued_pieces(brand) is None
