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
