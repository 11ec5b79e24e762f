"""Document quality signals of the published web-corpus heuristics (Gopher, C4, FineWeb), one module per
family, one registry; signals and verdicts only, nothing is dropped here (see `cleaner filter`)."""

from __future__ import annotations

from typing import Any

from cleaner.annotate.quality import c4, fineweb, gopher_quality, gopher_repetition  # noqa: F401  (registers)
from cleaner.annotate.quality.registry import FAMILIES, QualityText
from cleaner.config import Config
from cleaner.document import Document


def assess_text(text: str, settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every enabled family's record entry for a text: `{family: {rule, pass, reasons, signals}}`."""
    view = QualityText(text)
    out = {}
    for name, cls in FAMILIES.items():
        if name in settings["disabled"]:
            continue
        family = cls()
        signals = family.measure(view, settings[name])
        reasons = family.judge(signals, settings[name])
        # signals unrounded: `cleaner filter` re-judges them under other thresholds and must agree with `pass`
        out[name] = {"rule": cls.rule, "pass": not reasons, "reasons": reasons, "signals": signals}
    return dict(sorted(out.items()))


def annotate_quality(document: Document, config: Config) -> None:
    """Pipeline step: `metadata.quality`, the families' signals and verdicts on the clean text, or
    `metadata.quality_not_assessed` when the document's language is not one the heuristics were made for."""
    settings = config["quality"]
    languages = settings["languages"]
    language = document.metadata.get("language")
    if languages and language not in languages:
        document.metadata["quality_not_assessed"] = (f"the heuristics read {', '.join(languages)} text; document "
                                                     f"language {language or 'not detected'}")
        return
    document.metadata["quality"] = assess_text(document.text, settings)
