"""Provenance harvesting: where a document came from, who made it, under what licence, in one place.

Reads what earlier stages left: the reader's and extractor's metadata (path, URL, WARC date,
trafilatura's title/author/date/sitename/licence) and the facts that noise rules attached to the
spans they removed (`author`, `author_bio`, `translator`, `license`, `license_text`, `funder`,
`disclaimer`, `image_credit`, `url`, `date`). Writes `metadata.provenance`; docs/provenance.md
describes every field and its W3C PROV / Croissant / Dolma name.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from cleaner.annotate.language import detect_language
from cleaner.annotate.licenses import NOTICE as LICENSE_NOTICE
from cleaner.annotate.licenses import credited_publisher, normalise_license
from cleaner.annotate.source_registry import load_registry, lookup
from cleaner.config import Config
from cleaner.document import LEARNED_CATEGORY, Document
from cleaner.extract.urls import domain_of
from cleaner.noise.tidy import CATEGORY as WHITESPACE
from cleaner.stopwords import FUNCTION_WORDS

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
# an author bio opens with the author's name: "Dana Whitfield is a freelancer."
_BIO_NAME = re.compile(r"^\s*([A-Z][\w.'’-]+(?:[ \u00a0][A-Z][\w.'’-]+){0,3})"
                       r"[ \u00a0](?:is|was|has|holds|teaches|writes)\b")
# a first line that reads like a site's section label, not the title: "[ARTICLE] ..."
_TOKEN = re.compile(r"\w+")
_LABEL_PREFIX = re.compile(r"^\s*\[[A-Z][A-Z ]{1,30}\]\s*")


def parse_date(text: str) -> str | None:
    """ISO 8601 date (YYYY-MM-DD) from '2024-03-27', '27 Mar 2024', 'March 27, 2024'; None otherwise."""
    for pattern, order in ((_ISO, "ymd"), (_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"] if parts["m"].isdigit() else _MONTHS.get(parts["m"][:3].lower())
            try:
                return date(int(parts["y"]), int(month or 0), int(parts["d"])).isoformat()
            except ValueError:
                continue
    return None


def _facts(document: Document) -> dict[str, list[tuple[str, str]]]:
    """fact name -> [(value, categories of every span over the text that carried it)], in text order.

    Several rules may judge the same line: a date line that one rule reads as a dateline and another
    as part of a related-articles list carries both categories, so either can disqualify the fact.
    Values are de-duplicated.
    """
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seen: dict[str, set[str]] = defaultdict(set)
    spans = document.sorted_spans()
    starts = [span.start for span in spans]
    # a sweep in start order: the spans still open at a fact span's start, plus those starting inside it
    # (one pass, not a scan of every span per fact: 20,000 byline lines took 18 s)
    open_ends: list[tuple[int, str]] = []
    open_categories: Counter[str] = Counter()
    added = 0
    for span in spans:
        if not span.facts:
            continue
        while added < len(spans) and spans[added].start <= span.start:
            heapq.heappush(open_ends, (spans[added].end, spans[added].category))
            open_categories[spans[added].category] += 1
            added += 1
        while open_ends and open_ends[0][0] <= span.start:
            open_categories[heapq.heappop(open_ends)[1]] -= 1
        inside = {s.category for s in spans[bisect_right(starts, span.start):bisect_left(starts, span.end)]}
        covering = ",".join(sorted({category for category, n in open_categories.items() if n > 0} | inside))
        for name, value in span.facts:
            value = value.strip()
            if value and value.lower() not in seen[name]:
                seen[name].add(value.lower())
                found[name].append((value, covering))
    return found


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.strip().lower(), value.strip())
    return [v for k, v in seen.items() if k]


def _published(meta: dict[str, Any], facts: dict[str, list[tuple[str, str]]], url: str | None,
               ignore: set[str]) -> tuple[str | None, str | None]:
    """(ISO date, where it came from): page metadata, then a dateline/byline fact, then the URL path."""
    if meta.get("date") and parse_date(str(meta["date"])):
        return parse_date(str(meta["date"])), "html_meta"
    for value, categories in facts.get("date", []):
        if ignore.isdisjoint(categories.split(",")) and parse_date(value):  # dates of related links are not ours
            return parse_date(value), f"text_line ({categories})"
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if match:
        try:
            return date(*map(int, match.groups())).isoformat(), "url"
        except ValueError:
            pass
    return None, None


def _first_line(document: Document) -> str:
    """The first line a reader of the page saw: the first line of `raw` unless an explicit rule removed it.

    The learned classifier may drop a short headline as `boilerplate`; it is still the title.
    """
    offset = 0
    for line in document.raw.split("\n"):
        if line.strip():
            covering = {s.category for s in document.spans if s.start <= offset < s.end}
            if not covering - {LEARNED_CATEGORY, WHITESPACE}:
                return line
            break
        offset += len(line) + 1
    return next((line for line in document.text.split("\n") if line.strip()), "")


def _title(meta: dict[str, Any], document: Document) -> tuple[str | None, str | None]:
    if meta.get("title"):
        return str(meta["title"]).strip(), "html_meta"
    line = _LABEL_PREFIX.sub("", _first_line(document)).strip()
    # a title is a short first line that is not a sentence
    if line and len(line) <= 150 and not line.endswith((".", ":", ";")):
        return line, "first_line"
    return None, None


def _license(meta: dict[str, Any], facts: dict[str, list[tuple[str, str]]], text: str) -> dict[str, Any] | None:
    candidates = [(v, "fact") for v, _ in facts.get("license_text", []) + facts.get("license", [])]
    if meta.get("license"):
        candidates.append((str(meta["license"]), "html_meta"))
    candidates += [(line.strip(), "text_line") for line in text.split("\n") if LICENSE_NOTICE.search(line)]
    for statement, origin in candidates:
        named = normalise_license(statement)
        if named:
            return {"id": named[0], "name": named[1], "evidence": statement, "from": origin,
                    "credit": credited_publisher(statement)}
    return None


def _looks_like(paragraph: str, language: str | None) -> bool:
    """True when the paragraph's function words are mostly those of `language` (en, de, fr, es only)."""
    if language not in FUNCTION_WORDS:
        return False
    tokens = _TOKEN.findall(paragraph.lower())
    hits = {lang: sum(map(words.__contains__, tokens)) for lang, words in FUNCTION_WORDS.items()}
    return hits[language] >= 0.15 * len(tokens) and hits[language] == max(hits.values())


def _paragraph_languages(text: str, language: str | None, settings: dict[str, Any]) -> list[list[Any]]:
    """[start, end, lang, prob] of long paragraphs that may be in another language than the document.

    langdetect is the slowest stage, so a paragraph whose function words are plainly the document's
    language is not run through it; only the others are, at most `paragraph_languages_max` of them.
    """
    found = []
    cursor = 0
    for paragraph in text.split("\n"):
        start, cursor = cursor, cursor + len(paragraph) + 1
        if len(paragraph.strip()) < settings["paragraph_min_chars"] or _looks_like(paragraph, language):
            continue
        lang, prob = detect_language(paragraph, 500, settings["paragraph_min_chars"])
        found.append([start, start + len(paragraph), lang, prob])
        if len(found) >= settings["paragraph_languages_max"]:
            break
    return found


def harvest_provenance(document: Document, config: Config) -> None:
    """Pipeline step: `metadata.provenance` from the record's metadata and its removed spans' facts."""
    settings = config["provenance"]
    meta = document.metadata
    facts = _facts(document)
    text = document.text
    url = meta.get("url") or next((v for v, _ in facts.get("url", [])), None)
    domain = meta.get("domain") or domain_of(url)
    published, published_from = _published(meta, facts, url, set(settings["date_ignore_categories"]))
    title, title_from = _title(meta, document)
    license_ = _license(meta, facts, text)
    authors = _unique(re.split(r"\s*;\s*", meta["author"]) if meta.get("author") else [])
    authors = _unique(authors + [v for v, _ in facts.get("author", [])])
    bios = [v for v, _ in facts.get("author_bio", [])]
    if not authors:  # no byline: the bio still names the author
        authors = _unique([m.group(1) for m in map(_BIO_NAME.match, bios) if m])
    registry = load_registry(settings["source_registry"] or None)
    publisher = meta.get("sitename") or (license_ or {}).get("credit")
    entry = lookup(registry, domain, [publisher] if publisher else [])
    paragraphs = _paragraph_languages(text, meta.get("language"), settings)
    languages = {lang for _, _, lang, _ in paragraphs if lang} | ({meta["language"]} if meta.get("language") else set())
    tool = meta.get("tool") or {}
    provenance = {
        "source_path": meta.get("source_path"),
        "url": url,
        "domain": domain,
        "publisher": publisher or (entry or {}).get("names", [None])[0],
        "title": title,
        "title_from": title_from,
        "authors": authors,
        "author_bio": bios,
        "translators": [v for v, _ in facts.get("translator", [])],
        "date_published": published,
        "date_published_from": published_from,
        "date_retrieved": document.added,
        "date_retrieved_from": meta.get("added_from"),
        "license": license_,
        "funders": [v for v, _ in facts.get("funder", [])],
        "disclaimers": [v for v, _ in facts.get("disclaimer", [])],
        "image_credits": [v for v, _ in facts.get("image_credit", [])],
        "raw_sha256": meta.get("raw_sha256"),
        "clean_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "raw_bytes": meta.get("raw_bytes"),
        "raw_chars": len(document.raw),
        "clean_chars": len(text),
        "input_format": meta.get("format"),
        "content_type": meta.get("content_type"),
        "encoding": meta.get("encoding"),
        "extraction": tool.get("extractor"),
        "cleaner_version": tool.get("version"),
        "config_hash": tool.get("config_hash"),
        "language": meta.get("language"),
        "language_confidence": meta.get("language_confidence"),
        "mixed_language": len(languages) > 1,
        "paragraph_languages": paragraphs if len(languages) > 1 else [],
        "source_registry": entry,
    }
    meta["provenance"] = provenance
    if document.created is None and published:
        document.created = published
