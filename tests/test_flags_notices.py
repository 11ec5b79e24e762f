"""Notice flags (translated, funding_disclosure, sponsored_content, republished): evidence in the clean
text when the notice is still there, else the removed span (offsets into raw, said so in the detail)."""

from __future__ import annotations

from cleaner.annotate.flags import annotate_flags
from cleaner.config import Config
from cleaner.document import Document, Span

BODY = "The council opened the new bridge on Monday after two years of work.\n"


def flags_of(raw: str, spans: list[Span] | None = None) -> dict[str, dict]:
    document = Document("id", "test.txt", raw, spans=list(spans or []))
    annotate_flags(document, Config())
    return {flag["name"]: flag for flag in document.metadata["flags"]}


def test_translation_credit_in_the_text_names_the_translator() -> None:
    flag = flags_of(BODY + "Translated by Lin Mei-hua\n")["translated"]
    assert flag["translator"] == ["Lin Mei-hua"]
    assert flag["evidence"] == [[len(BODY), len(BODY) + 25, "Translated by Lin Mei-hua"]]


def test_translation_credit_removed_by_a_noise_rule_is_still_evidence() -> None:
    raw = BODY + "Translated by Lin Mei-hua\n"
    credit = Span(len(BODY), len(raw), "translation_credit", "translation_credit_v1", 1.0,
                  (("translator", "Lin Mei-hua"),))
    flag = flags_of(raw, [credit])["translated"]
    assert "into raw" in flag["detail"]
    assert flag["evidence"] == [[len(BODY), len(raw), "Translated by Lin Mei-hua"]]
    assert flag["translator"] == ["Lin Mei-hua"]


def test_funding_note_names_the_funder() -> None:
    flag = flags_of(BODY + "This research was funded by the Wellcome Trust under grant 12345.\n")["funding_disclosure"]
    assert flag["funder"] == ["the Wellcome Trust"]


def test_sponsorship_and_syndication_notices() -> None:
    assert "sponsored_content" in flags_of("SPONSORED CONTENT\n" + BODY)
    assert "republished" in flags_of(BODY + "This article was originally published on The Conversation.\n")
    assert "republished" in flags_of(BODY + "Licensed under Creative Commons Attribution 4.0.\n")


def test_plain_report_raises_no_notice_flag() -> None:
    # 'supported' and 'translated' in running prose are not notices
    raised = flags_of(BODY + "Residents supported the plan, which translated into faster commutes.\n")
    assert not {"translated", "funding_disclosure", "sponsored_content", "republished"} & set(raised)


def test_notice_phrases_inside_body_sentences_are_prose() -> None:
    prose = ("Doctors said the virus first appeared in the city's markets late last year.\n"
             "The museum, in partnership with local schools, will open a new wing in May.\n"
             "The bypass was funded by the regional government, which approved it in 2019.\n"
             "Her novel was translated by a friend into French, she said.\n")
    raised = flags_of(BODY + prose)
    assert not {"translated", "funding_disclosure", "sponsored_content", "republished"} & set(raised)


def test_notices_are_read_at_the_start_of_a_line_or_of_a_sentence_about_the_piece() -> None:
    assert "republished" in flags_of(BODY + "A version of this story first appeared in The Atlantic.\n")
    assert "republished" in flags_of(BODY + "Thanks for reading. This article is republished from The Conversation "
                                            "under a Creative Commons license.\n")
    assert "sponsored_content" in flags_of(BODY + "In partnership with Acme Bank\n")
    flag = flags_of("Paid post: Acme Cloud\n" + BODY)["sponsored_content"]
    assert flag["sponsor"] == ["Acme Cloud"]
    flag = flags_of(BODY + "Editor's note: This reporting was supported by the Harbour Foundation.\n")
    assert flag["funding_disclosure"]["funder"] == ["the Harbour Foundation"]


def test_a_notice_removed_as_noise_is_read_the_same_way() -> None:
    # a removed span is evidence when the notice starts it, not when a body sentence it holds says the phrase
    notice = "This article was originally published on The Conversation.\n"
    prose = "Scientists said the strain first appeared in bats decades ago, long before it reached people.\n"
    raw = BODY + prose + notice
    spans = [Span(len(BODY), len(BODY) + len(prose), "boilerplate", "line_classifier_v7", 0.9),
             Span(len(BODY) + len(prose), len(raw), "boilerplate", "line_classifier_v7", 0.9)]
    flag = flags_of(raw, spans)["republished"]
    assert [text for _, _, text in flag["evidence"]] == [notice.strip()]
    assert "republished" not in flags_of(BODY + prose, spans[:1])


def test_support_from_before_a_clause_is_prose_and_as_a_credit_a_disclosure() -> None:
    assert "funding_disclosure" not in flags_of(BODY + "With support from neighbours, they rebuilt the school.\n")
    flag = flags_of(BODY + "With support from the Ford Foundation.\n")["funding_disclosure"]
    assert flag["funder"] == ["the Ford Foundation"]
