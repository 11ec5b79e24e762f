"""Language identification with langdetect, seeded so that the same text always gets the same answer
(computed by `langdetect_fast`: langdetect's own answer, bit for bit, in half the time)."""

from __future__ import annotations

from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from cleaner.annotate.langdetect_fast import detect_langs
from cleaner.config import Config
from cleaner.document import Document

DetectorFactory.seed = 0


def detect_language(text: str, sample_chars: int, min_chars: int) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) from a bounded sample; (None, 0.0) when there is too little text."""
    sample = text[:sample_chars]
    if len(sample.strip()) < min_chars:
        return None, 0.0
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None, 0.0
    return best.lang, round(best.prob, 4)


def annotate_language(document: Document, config: Config) -> None:
    """Pipeline step: `metadata.language` and `metadata.language_confidence` of the clean text."""
    settings = config["language"]
    lang, prob = detect_language(document.text, settings["sample_chars"], settings["min_chars"])
    document.metadata["language"] = lang
    document.metadata["language_confidence"] = prob
