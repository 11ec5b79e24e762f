"""Language identification: `langdetect_fast` gives langdetect's own answer, bit for bit (how much faster:
`bench/language.py`)."""

from __future__ import annotations

import langdetect
import pytest
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from cleaner.annotate.langdetect_fast import detect_langs
from cleaner.annotate.language import detect_language
from tests.devsets import dev_pages

DetectorFactory.seed = 0

SCRIPTS = [
    "", "   ", "12345 678", "ÄÖÜ ABC DEF GHI", "McDONALD's NASA and the UN met in NEW YORK on Monday.",
    "Привет, мир! Как дела? Это короткий тест на русском языке.", "这是一个测试句子，用于检测语言。",
    "こんにちは世界、これはテストです。", "مرحبا بالعالم، هذا اختبار قصير باللغة العربية.",
    "Der Gemeinderat hat am Dienstag beschlossen, die neue Straßenbahn erst im Frühjahr zu eröffnen.",
    "Le conseil municipal a voté mardi le report de la nouvelle ligne de tramway au printemps.",
    "Hội đồng thành phố đã bỏ phiếu hoãn tuyến xe điện mới đến mùa xuân.", "Ş ş Ţ ţ ș ț: România, județ, școală.",
]


def answers(detect: object, texts: list[str]) -> list[object]:
    out: list[object] = []
    for text in texts:
        try:
            out.append([(language.lang, language.prob) for language in detect(text)])  # type: ignore[operator]
        except LangDetectException as error:
            out.append(("no answer", str(error)))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Page text of several datasets and languages, whole samples and fragments, and odd scripts."""
    pages = [page["noisy_text"] for name in ("trafilatura_eval", "l3s_gn1", "cleaneval")
             for page in dev_pages(name, 40)]
    return [*SCRIPTS, *(piece for text in pages for piece in (text[:1000], text[1000:1400], text[:40]))]


def test_the_same_languages_and_probabilities_as_langdetect(texts: list[str]) -> None:
    assert answers(detect_langs, texts) == answers(langdetect.detect_langs, texts)


def test_too_little_text_has_no_language() -> None:
    assert detect_language("Hi.", sample_chars=1000, min_chars=20) == (None, 0.0)
    assert detect_language("Der Gemeinderat hat am Dienstag die neue Straßenbahn verschoben.", 1000, 20)[0] == "de"
