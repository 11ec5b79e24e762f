"""Bias and provenance flags: signals with evidence, not verdicts. One module per flag, one registry."""

from __future__ import annotations

from cleaner.annotate.flags import (  # noqa: F401  (importing a flag module registers its flags)
    funding_disclosure,
    loaded_language,
    one_sided_sourcing,
    opinion,
    registry_flags,
    republished,
    sponsored_content,
    translated,
)
from cleaner.annotate.flags.embedding_model import record_sentence_model
from cleaner.annotate.flags.registry import FLAGS
from cleaner.config import Config
from cleaner.document import Document


def annotate_flags(document: Document, config: Config) -> None:
    """Pipeline step: `metadata.flags` (raised flags with evidence), `metadata.flag_scores` (all scores) and
    `metadata.flags_not_assessed` (flag -> why it could not read this document).

    Scores of flags that were not raised are kept so that an audit can re-threshold without re-running.
    """
    settings = config["flags"]
    unknown = set(settings["disabled"]) - set(FLAGS)
    if unknown:
        raise ValueError(f"flags.disabled names unknown flags: {sorted(unknown)}")
    raised, scores, not_assessed = [], {}, {}
    language = document.metadata.get("language")
    for name, cls in FLAGS.items():
        if name in settings["disabled"]:
            continue
        if cls.languages is not None and language not in cls.languages:
            not_assessed[name] = (f"reads {', '.join(sorted(cls.languages))} text only; document language "
                                  f"{language or 'not detected'}")
            continue
        found = cls().assess(document, settings[name])
        if found is None:
            continue
        scores[name] = found.score
        threshold = settings[name]["threshold"]
        if found.score < threshold:
            continue
        evidence = [[start, end, text] for start, end, text in found.evidence]
        detail = found.detail
        if len(evidence) > settings["max_evidence"]:
            detail += f" (first {settings['max_evidence']} of {len(evidence)} evidence spans shown)"
            evidence = evidence[:settings["max_evidence"]]
        entry = {"name": name, "rule": cls.rule, "score": found.score, "threshold": threshold,
                 "evidence": evidence, "detail": detail}
        entry.update(found.facts)
        raised.append(entry)
    document.metadata["flags"] = raised
    document.metadata["flag_scores"] = dict(sorted(scores.items()))
    document.metadata["flags_not_assessed"] = dict(sorted(not_assessed.items()))
    record_sentence_model(document, settings)
