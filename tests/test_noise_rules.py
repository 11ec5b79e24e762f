"""The explicit rule families on small, made-up pages: what each removes, what it keeps, which facts it records."""

from __future__ import annotations

import pytest

from cleaner.config import Config
from cleaner.document import Document
from cleaner.noise import RULES
from cleaner.noise.engine import clean_document
from cleaner.noise.license_notices import license_id

BODY = (
    "The city council approved the new budget on Tuesday after a long debate about housing and transport.\n\n"
    "Councillors argued for hours over the cost of the tram extension, which critics say is far too high.\n\n"
    "The mayor said the plan would be reviewed next year, once the first contracts have been signed.\n"
)


def cleaned(text: str, *disabled: str) -> Document:
    """The document after the explicit rules (the learned classifier is tested in test_noise_classifier.py)."""
    document = Document(id="t", source="test", raw=text)
    clean_document(document, Config({"noise": {"disabled_rules": ["line_classifier_v7", *disabled]}}))
    return document


def facts(document: Document) -> dict[str, str]:
    return {key: value for span in document.spans for key, value in span.facts}


@pytest.mark.parametrize(("line", "category"), [
    ("Leave a Reply", "comment_widget"),
    ("You are commenting using your Google account. Log Out / Change )", "comment_widget"),
    ("Subscribe to our weekly newsletter", "newsletter_cta"),
    ("Join our Telegram channel for daily market alerts", "community_cta"),
    ("Follow @CityDesk on X", "social_cta"),
    ("You may also like", "related_links"),
    ("Tags: budget, housing, trams", "tag_list"),
    ("Skip to main content", "navigation"),
    ("We use cookies to improve your experience on our site.", "cookie_consent"),
])
def test_tail_widget_lines_are_removed_with_their_category(line: str, category: str) -> None:
    document = cleaned(BODY + "\n" + line + "\n")
    assert line not in document.text
    assert BODY.strip() in document.text
    assert category in {span.category for span in document.spans}


def test_body_prose_mentioning_trigger_words_is_kept() -> None:
    text = BODY + "\nThe council will subscribe to a new auditing service and publish a newsletter for residents.\n"
    assert "auditing service" in cleaned(text).text


def test_byline_translation_and_bio_become_facts() -> None:
    text = ("By Amara Okafor\n\n" + BODY + "\nAmara Okafor is a senior correspondent covering West Africa.\n"
            "Translated from the French by Paul Girard\n")
    document = cleaned(text)
    assert facts(document)["author"] == "Amara Okafor"
    assert facts(document)["translator"] == "Paul Girard"
    assert "senior correspondent" in facts(document)["author_bio"]
    assert "Okafor" not in document.text and "Girard" not in document.text


def test_license_funding_credit_url_and_date_become_facts() -> None:
    text = ("Budget passes\n\nPublished 3 May 2024\n\n<https://example.org/news/budget-passes>\n\n" + BODY
            + "\nA crowded council chamber during the vote (Ana Ruiz/Reuters)\n"
            "This article is republished under a Creative Commons Attribution-NonCommercial 4.0 licence.\n"
            "This reporting was supported by the Ocean Trust. The views expressed are the author's own.\n")
    found = facts(cleaned(text))
    assert found["date"] == "2024-05-03"
    assert found["url"] == "https://example.org/news/budget-passes"
    assert found["image_credit"] == "Ana Ruiz/Reuters"
    assert found["license"] == "CC-BY-NC-4.0"
    assert found["funder"] == "the Ocean Trust"
    assert found["disclaimer"].startswith("The views expressed")


@pytest.mark.parametrize(("text", "expected"), [
    ("under a Creative Commons Attribution-NoDerivatives license", "CC-BY-ND"),
    ("licensed CC BY-SA 4.0", "CC-BY-SA-4.0"),
    ("Creative Commons Attribution 4.0 International", "CC-BY-4.0"),
    ("All rights reserved", None),
])
def test_license_ids_are_normalised(text: str, expected: str | None) -> None:
    assert license_id(text) == expected


def test_event_box_goes_until_the_next_call_to_action() -> None:
    box = "Upcoming Events\n\nWebinar, online\nCloud Security Forum 2025\n4-5 Nov, 2025\n\nJoin our community\n"
    text = BODY + "\n" + box
    document = cleaned(text)
    assert "Cloud Security Forum" not in document.text and "4-5 Nov" not in document.text
    assert {"event_ad", "community_cta"} <= {span.category for span in document.spans}


def test_link_lists_and_markup_residue() -> None:
    text = "- [Climate](/topics/climate)\n- [Energy](/topics/energy)\n\n" + BODY.replace("budget", "[budget](#)", 1)
    document = cleaned(text)
    assert "Climate" not in document.text
    assert "approved the new budget on Tuesday" in document.text


def test_paragraph_broken_mid_sentence_is_joined() -> None:
    text = BODY + "\nThe opposition vowed to keep fighting the plan in the\n\ncourts and at the ballot box in spring.\n"
    assert "fighting the plan in the courts and at the ballot box" in cleaned(text).text


def test_duplicated_title_keeps_the_first_copy() -> None:
    document = cleaned("Rents rise again in Lisbon\n\nRents Rise Again in Lisbon\n\n" + BODY)
    assert document.text.startswith("Rents rise again in Lisbon\n")
    assert "Rents Rise Again" not in document.text


def test_disabled_rule_does_nothing() -> None:
    text = BODY + "\nLeave a Reply\n"
    assert "Leave a Reply" in cleaned(text, "comment_widget_v1").text


def test_every_rule_is_versioned_and_described() -> None:
    for name, rule in RULES.rules.items():
        assert name.rsplit("_v", 1)[1].isdigit(), name
        assert rule.__doc__ and rule.description and rule.category


def test_same_input_same_spans() -> None:
    text = BODY + "\nLeave a Reply\nHome | News | Sport | Weather\n"
    assert cleaned(text).spans == cleaned(text).spans


THREAD = (
    "3 comments\n\n"
    "Lena Park 07.09.12 at 08:11\n\nGreat piece, although the tram numbers look optimistic to me.\n\n"
    "Omar 07.10.12 at 19:55\n\nI disagree with Lena: the cost estimates were audited twice.\n\nReply\n\n"
    "Lena Park 07.11.12 at 05:05\n\nFair point, thanks for the correction.\n"
)


def test_a_comment_thread_after_the_article_is_removed_to_its_last_comment() -> None:
    article = BODY + "\nOpposition members promised to keep pressing for a cheaper route along the river.\n"
    document = cleaned(article + "\n" + THREAD + "\nPrivacy\n")
    assert article.strip() in document.text
    for gone in ("3 comments", "Lena Park", "audited twice", "Fair point"):
        assert gone not in document.text
    assert "comment_thread" in {span.category for span in document.spans}


def test_a_dated_byline_chained_with_the_comments_below_a_short_article_stays() -> None:
    # the byline's date is a header a few lines above the first comment: the thread starts after the body
    byline = "by Dana Ruiz on 07.08.12 at 09:30\n\n"
    more = "".join(f"Reader{i} 07.1{i}.12 at 10:0{i}\n\nAnother view on the tram budget, number {i}.\n\n"
                   for i in range(4))
    article = BODY + "\nOpposition members promised to keep pressing for a cheaper route along the river.\n"
    document = cleaned(byline + article + "\n" + THREAD + "\n" + more)
    assert article.strip() in document.text
    for gone in ("Lena Park", "audited twice", "Reader3"):
        assert gone not in document.text


def test_a_comment_section_without_headers_is_removed_from_its_opener() -> None:
    article = BODY + "\nOpposition members promised to keep pressing for a cheaper route along the river.\n"
    comments = ("{ 2 comments… read them below or add one }\n\n"
                "I have taken that tram every day for ten years and it was never this expensive to run.\n\n"
                "The council should publish the audit so that everyone can read the numbers for themselves.\n")
    # the count under the headline is the same opener: only the last one opens the section
    document = cleaned("Council passes budget\n\n4 comments\n\n" + article + "\n" + comments)
    assert article.strip() in document.text
    for gone in ("read them below", "ten years", "publish the audit"):
        assert gone not in document.text
    assert cleaned(article).text.strip() == article.strip()
    feed = "You can follow this conversation by subscribing to the comment feed for this post.\n\n"
    assert "ten years" not in cleaned(article + "\n" + feed + comments.split("\n\n", 1)[1]).text


def test_an_article_under_a_bio_box_is_not_a_trailing_excerpt() -> None:
    # a long menu puts the bio in the second half of the lines, but all the prose comes after it
    menu = "".join(f"Section {i}\n\n" for i in range(20))
    bio = "Dana Whitfield is a health reporter based in Denver. She previously covered science for KUNC.\n\n"
    article = BODY + "\nOpposition members promised to keep pressing for a cheaper route along the river.\n"
    document = cleaned(menu + bio + article)
    assert article.strip() in document.text
    assert "trailing_excerpt" not in {span.category for span in document.spans}


def test_a_long_comment_does_not_end_the_thread() -> None:
    article = BODY + "\nOpposition members promised to keep pressing for a cheaper route along the river.\n"
    long_comment = "".join(f"Point {i}: the tram budget ignores maintenance for year {i}.\n\n" for i in range(14))
    later = "Sam 07.12.12 at 09:15\n\nStill waiting for the audit to be published by the council.\n"
    # no heading: the comment-section rule has no opener to go by
    headerless = THREAD.split("\n\n", 1)[1]
    document = cleaned(article + "\n" + headerless + "\n" + long_comment + later)
    assert article.strip() in document.text
    for gone in ("Point 13", "Still waiting"):
        assert gone not in document.text


def test_time_stamped_updates_inside_the_article_are_not_a_thread() -> None:
    # a live blog: every entry has a time stamp, but there is no article prose before the first one
    entries = "".join(f"{hour}:15 pm\n\nUpdate {hour}: the council is still debating the tram budget tonight.\n\n"
                      for hour in range(4, 9))
    text = entries + BODY
    assert cleaned(text).text.strip() == text.strip()


def test_tweets_embedded_in_the_article_are_not_a_comment_thread() -> None:
    tweets = "".join(f"The tram budget vote is a disgrace, number {i}.\n\n"
                     f"— Sam Voter (@samvoter{i}) July {i + 1}, 2012\n\n" for i in range(4))
    opening = ("Residents of the eastern suburbs, who have waited ten years for the line, reacted within minutes "
               "of the vote, and many of them posted their anger about the fares and the delays online.\n\n")
    article = BODY + "\n" + opening + tweets + \
        "Opposition members promised to keep pressing for a cheaper route along the river.\n"
    document = cleaned(article)
    assert "comment_thread" not in {span.category for span in document.spans}
    assert "(@samvoter3)" in document.text and "cheaper route" in document.text


def test_a_bare_comment_count_above_most_of_the_article_does_not_open_the_comment_section() -> None:
    # a teaser and standfirst above it hold more prose than MIN_ARTICLE_WORDS, but the article starts below it
    teaser = ("Read next: the regional transport authority explains why the new tram fares rise in May, and what "
              "the council's budget means for commuters, cyclists and drivers across the eastern suburbs.\n\n"
              "Also read: why the bridge repairs on the ring road will take two more years than planned, and how "
              "the contractor's delays have already cost the city millions in penalties and detours.\n\n")
    standfirst = "Councillors argued until midnight over the cost of the extension and the bridge repairs.\n\n"
    article = ("The city council approved the new budget on Tuesday after a long debate about housing, transport "
               "and the cost of the tram extension, which critics say is far too high for a city of this size.\n\n"
               + BODY + "".join(f"\nOn point {i} of the plan, the opposition asked for an independent audit of the "
                                f"contracts before the works begin, and the mayor agreed to publish the figures.\n"
                                for i in range(4)))
    document = cleaned("Council passes budget\n\n" + teaser + standfirst + "11 Comments\n\n" + article)
    assert "comment_thread" not in {span.category for span in document.spans}
    assert BODY.strip() in document.text
