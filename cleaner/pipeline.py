"""One document through the stages: decode -> extract -> normalise (`prepare`) -> clean -> annotate.

The stages after extraction are plain functions `step(document, config) -> None` listed in `STEPS`;
each only adds spans or metadata. Engines (local pool, Ray) call `process` and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib.metadata import version as package_version

from cleaner.annotate.flags import annotate_flags
from cleaner.annotate.language import annotate_language
from cleaner.annotate.provenance import harvest_provenance
from cleaner.annotate.quality import annotate_quality
from cleaner.config import Config
from cleaner.document import Document, removed_chars_by_category, removed_chars_by_rule
from cleaner.extract.decode import Decoded, DecodeError, decode_bytes
from cleaner.extract.html import extract_html, looks_like_html
from cleaner.extract.normalize import normalize_text
from cleaner.extract.urls import domain_of
from cleaner.extract.visible import VISIBLE_TEXT, visible_text
from cleaner.io.readers import Quarantined, RawInput
from cleaner.noise.context import CorpusContext
from cleaner.noise.engine import clean_document
from cleaner.noise.tidy import CATEGORY as WHITESPACE
from cleaner.noise.tidy import tidy_spans

Step = Callable[[Document, Config], None]


def tidy_whitespace(document: Document, config: Config) -> None:
    """Pipeline step: collapse the blank lines that removals left behind."""
    document.add_spans(tidy_spans(document.raw, document.spans, document.replacements))


def mark_empty_after_cleaning(document: Document, config: Config) -> None:
    """Pipeline step: say which rules removed the text of a document that cleaning left (nearly) empty.

    Such a document is kept, not dropped or quarantined: its record still shows what was removed, so an
    over-eager rule can be found and the removal undone from the record alone. Empty means shorter than
    `input.min_chars` once stripped, the bar every input already passed before cleaning.
    """
    min_chars = config["input"]["min_chars"]
    if len(document.text.strip()) >= min_chars:
        return
    # tidying only deletes the line breaks other removals left behind: it never empties a document
    spans = [span for span in document.spans if span.category != WHITESPACE]
    document.metadata["empty_after_cleaning"] = {
        "min_chars": min_chars,
        "rules": dict(sorted(removed_chars_by_rule(spans).items())),
        "categories": dict(sorted(removed_chars_by_category(spans).items())),
    }


# noise cleaning runs first, outside STEPS, because it alone also reads the corpus context;
# the emptiness check right after tidying, once the clean text is final;
# provenance before flags: the registry flags read the source registry entry it records;
# quality after language, which decides whether the heuristics apply
STEPS: list[Step] = [tidy_whitespace, mark_empty_after_cleaning, annotate_language, harvest_provenance,
                     annotate_flags, annotate_quality]

CLEANER_VERSION = package_version("cleaner")


def document_id(key: str, raw_sha256: str) -> str:
    """Stable id: the same input (where it came from, what it held) always gets the same id."""
    return hashlib.sha256(f"{key}\x00{raw_sha256}".encode()).hexdigest()[:32]


def prepare(item: RawInput, config: Config) -> Document | Quarantined:
    """Decode, extract and normalise one raw input into an uncleaned document (or say why it cannot be one)."""
    raw_bytes = item.content.encode("utf-8") if isinstance(item.content, str) else item.content
    raw_sha256 = hashlib.sha256(raw_bytes).hexdigest()
    if isinstance(item.content, str):
        decoded = Decoded(item.content, "unicode", "text")
    else:
        try:
            decoded = decode_bytes(item.content, config["input"]["max_control_share"],
                                   item.extra.get("http_charset"))
        except DecodeError as exc:
            return Quarantined(item.key, item.source, exc.reason, exc.detail)
    text = decoded.text

    kind = item.kind if item.kind != "auto" else ("html" if looks_like_html(text) else "text")
    metadata: dict = {
        "input_key": item.key,
        "source_path": item.source,
        "url": item.url,
        "format": item.format,
        "content_type": kind,
        # what decided it: the file suffix, the JSONL field, the WARC Content-Type, the caller, or the content
        "content_type_from": item.kind_from or ("detected" if item.kind == "auto" else "given"),
        "encoding": decoded.encoding,
        "encoding_from": decoded.encoding_from,
        "replaced_bytes": decoded.replaced_bytes,
        "raw_sha256": raw_sha256,
        "raw_bytes": len(raw_bytes),
        "added_from": item.added_from,
    }
    if item.id_hint is not None:
        metadata["input_id"] = item.id_hint
    metadata.update({k: v for k, v in item.extra.items() if v is not None})
    extractor = extraction = None
    if kind == "html":
        extracted = extract_html(text, item.url, config["extract"])
        extraction = extracted.extraction
        if extracted.text.strip():
            text = extracted.text
            metadata.update(extracted.metadata)
            metadata["url"] = item.url or extracted.metadata.get("url")
            extractor = extracted.extractor
        else:
            # no article found (a list page, a blog front page): the engine cleans the whole visible page
            text = visible_text(text)
            if not text.strip():
                return Quarantined(item.key, item.source, "no_main_text", "no article and no visible text")
            metadata["text_from"] = VISIBLE_TEXT
            extractor = {"name": "cleaner.visible_text", "package": "cleaner", "version": CLEANER_VERSION,
                         "options": {}, "why": "no extractor found main text"}

    raw = normalize_text(text)
    if len(raw.strip()) < config["input"]["min_chars"]:
        return Quarantined(item.key, item.source, "empty", "no text after decoding and extraction")
    metadata["domain"] = domain_of(metadata.get("url"))
    metadata["tool"] = {"name": "cleaner", "version": CLEANER_VERSION, "config_hash": config.hash,
                        "extractor": extractor}
    if extraction is not None:
        metadata["tool"]["extraction"] = extraction
    return Document(
        id=document_id(item.key, raw_sha256), source=item.source, raw=raw, added=item.added,
        created=metadata.get("date"), metadata=metadata,
    )


def finish(document: Document, config: Config, context: CorpusContext | None = None) -> Document:
    """Clean and annotate a prepared document (in place; returned for convenience).

    `context` holds corpus statistics from a first pass (`cleaner.engine.local.first_pass`); only noise
    rules read it.
    """
    clean_document(document, config, context)
    for step in STEPS:
        step(document, config)
    document.metadata["clean_sha256"] = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    document.metadata["clean_chars"] = len(document.text)
    document.metadata["raw_chars"] = len(document.raw)
    return document


def process(item: RawInput, config: Config, context: CorpusContext | None = None) -> Document | Quarantined:
    """Turn one raw input into a cleaned, annotated document, or say why it cannot be one."""
    document = prepare(item, config)
    return document if isinstance(document, Quarantined) else finish(document, config, context)
