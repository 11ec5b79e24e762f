"""Per-document views: the input with every removed span highlighted by category, as `cleaner explain`
shows it in a terminal, plus the record's provenance, duplicate cluster and flags with evidence."""

from __future__ import annotations

from html import escape
from typing import Any

from cleaner.document import Document, removed_chars_by_category
from cleaner.explain import segments
from cleaner.report.aggregate import source_of
from cleaner.report.page import breakable, doc_link, figure, page


def _dedup_status(metadata: dict[str, Any]) -> str:
    dedup = metadata.get("dedup") or {}
    if dedup.get("kept") is False:
        return "duplicate"
    return "kept" if dedup else ""


def document_row(record: dict[str, Any]) -> dict[str, Any]:
    """The figures of one document shown in the report's document table."""
    meta = record["metadata"]
    raw_chars, clean_chars = len(record["raw"]), len(record["text"])
    return {
        "id": record["id"],
        "source": source_of(record),
        "title": meta.get("title"),
        "language": meta.get("language") or "unknown",
        "raw_chars": raw_chars,
        "clean_chars": clean_chars,
        "noise_share": round(1 - clean_chars / raw_chars, 4) if raw_chars else 0.0,
        "categories": sorted(record["attributes"]),
        "flags": sorted({flag["name"] for flag in meta.get("flags") or []}),
        "dedup": _dedup_status(meta),
        "emptied": "empty_after_cleaning" in meta,
    }


def _emptied_note(metadata: dict[str, Any]) -> str:
    emptied = metadata.get("empty_after_cleaning")
    if not emptied:
        return ""
    rules = ", ".join(f"<code>{escape(rule)}</code> ({chars:,} chars)" for rule, chars in emptied["rules"].items())
    return (f'<p class="note">Cleaning left this document shorter than {emptied["min_chars"]:,} characters; '
            f"it is kept and marked <code>empty_after_cleaning</code>. Removed by: {rules}.</p>")


def _facts_table(pairs: list[tuple[str, Any]]) -> str:
    rows = "".join(f"<tr><th>{breakable(k)}</th><td>{escape(str(v))}</td></tr>"
                   for k, v in pairs if v not in (None, "", [], {}))
    return f'<table class="facts">{rows}</table>' if rows else '<p class="empty">None recorded.</p>'


def _highlighted(document: Document, colours: dict[str, str]) -> str:
    out: list[str] = []
    for text, covering in segments(document):
        if not covering:
            out.append(escape(text))
            continue
        label = ", ".join(sorted({f"{s.category}/{s.rule} ({s.score:g})" for s in covering}))
        colour = colours.get(covering[0].category, "#888")
        # a removed line break is shown as ⏎ so the reader sees that the line was joined
        shown = escape(text).replace("\n", "⏎\n")
        out.append(f'<del style="--c:{colour}" title="{escape(label)}">{shown}</del>')
    return "".join(out)


def render_view(record: dict[str, Any], colours: dict[str, str], report_title: str,
                linked: set[str] | None = None) -> str:
    """The HTML page of one record (written at `view_href(id)` beside index.html).

    `linked`: the ids that have a view too (None: all do), so links to other documents never dangle.
    """
    document = Document.from_dict(record)
    meta = document.metadata
    removed = removed_chars_by_category(document.spans)
    legend = "".join(f'<li><span class="swatch" style="background:{colours.get(cat, "#888")}"></span>'
                     f"{escape(cat)} <b>{chars:,}</b> chars</li>" for cat, chars in sorted(removed.items()))
    facts = [(f"{name} (by {span.rule})", value) for span in document.spans for name, value in span.facts]
    flags = []
    for flag in meta.get("flags") or []:
        evidence = "".join(f"<li><code>[{figure(ev[0])}:{figure(ev[1])}]</code> {escape(str(ev[2]))}</li>"
                           for ev in flag.get("evidence") or [])
        flags.append(f'<div class="flagbox"><h3>{escape(flag["name"])} <small>score {figure(flag.get("score"))} '
                     f'/ threshold {figure(flag.get("threshold"))}</small></h3>'
                     f'<p>{escape(str(flag.get("detail") or ""))}</p>'
                     f"<ul>{evidence}</ul></div>")
    dedup = meta.get("dedup") or {}
    duplicate_of = dedup.get("duplicate_of")
    dedup_html = _facts_table([("cluster", dedup.get("cluster")), ("kept", dedup.get("kept")),
                               ("similarity", dedup.get("similarity"))])
    if duplicate_of:
        dedup_html += f"<p>Duplicate of {doc_link(duplicate_of, linked, root='../')}</p>"
    body = f"""
<nav><a href="../index.html">← {escape(report_title)}</a></nav>
<header><h1>{escape(meta.get("title") or document.id)}</h1>
<p class="sub"><code>{escape(document.id)}</code> · {escape(document.source)}</p>{_emptied_note(meta)}</header>
<section class="cards">
<div class="card"><b>{len(document.raw):,}</b><span>input characters</span></div>
<div class="card"><b>{len(document.text):,}</b><span>clean characters</span></div>
<div class="card"><b>{len(document.spans):,}</b><span>removed spans</span></div>
<div class="card"><b>{escape(str(meta.get("language") or "unknown"))}</b><span>language</span></div>
</section>
<div class="grid2">
<section><h2>Provenance</h2>{_facts_table([(k, meta.get(k)) for k in
    ("title", "author", "date", "url", "domain", "license", "language", "language_confidence", "source_path")]
    + sorted((f"provenance.{k}", v) for k, v in (meta.get("provenance") or {}).items()))}</section>
<section><h2>Duplicates</h2>{dedup_html}<h2>Moved to provenance</h2>{_facts_table(facts)}</section>
</div>
<section><h2>Flags</h2>{"".join(flags) or '<p class="empty">No flags.</p>'}</section>
<section><h2>Input with removals</h2>
<p>Struck-through text was removed; hover it for the category, rule and score.
Same information as <code>cleaner explain --id {escape(document.id)}</code>.</p>
<ul class="legend">{legend or "<li>Nothing removed.</li>"}</ul>
<pre class="doc">{_highlighted(document, colours)}</pre></section>
"""
    return page(f"{meta.get('title') or document.id} · audit", body)
