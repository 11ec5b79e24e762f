"""The report's HTML: `index.html` drawn from the summary alone, and the page shell all views share.

Self-contained: styles, charts (inline SVG) and the one small table-sorting script are in the file.
Nothing time-dependent appears except what `run.json` says about the run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from html import escape
from typing import Any

from cleaner.report import charts
from cleaner.report.aggregate import LENGTH_EDGES, MOST_REMOVED

# Layout for values of any length: a long unbroken one (path, URL, id, hash) wraps anywhere rather than
# push its table or card wider than the window, and a cell is never squeezed below a short word (4.5em);
# figures, 12-character ids and column headers stay whole, and pills wrap only after `_` or `.`. Below
# 900 px the padding and table type shrink so that the nine columns of the document table still fit.
CSS = """
:root{--ink:#0f172a;--soft:#475569;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--accent:#0072B2}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--ink);background:var(--bg)}main{max-width:1180px;margin:0 auto;padding:24px 28px 60px;
overflow-wrap:anywhere}
header h1{margin:0;font-size:28px}.sub{color:var(--soft);margin:4px 0 0}
nav{position:sticky;top:0;z-index:2;background:#0f172acc;backdrop-filter:blur(6px);padding:8px 28px;
margin:0 -28px 18px}nav a{color:#e2e8f0;margin-right:16px;text-decoration:none;font-size:14px}
nav a:hover{color:#fff;text-decoration:underline}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:16px 0}
h2{margin:0 0 10px;font-size:19px}h3{font-size:15px;margin:12px 0 6px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:12px;background:none;border:0;
padding:0}.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card b{display:block;font-size:24px;line-height:1.2}.card span{color:var(--soft);font-size:13px}
.card.warn b{color:#D55E00}.card.good b{color:#009E73}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:0 16px;align-items:start}
.grid2>*{min-width:0}
svg.chart{width:100%;height:auto;display:block}svg.bars{max-width:620px}svg .axis{font-size:12px;fill:#475569}
svg .value{font-size:12px;fill:#0f172a;font-weight:600}svg .track{fill:#f1f5f9}svg .grid{stroke:#e2e8f0}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:6px 8px;border-bottom:1px solid var(--line);
text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n,code.id{white-space:nowrap}td{min-width:4.5em}
thead th{overflow-wrap:normal;cursor:pointer;user-select:none;background:#f1f5f9}.scroll{max-height:560px;overflow:auto;
border:1px solid var(--line);border-radius:8px}.scroll thead th{position:sticky;top:0}
thead th:hover{background:#e2e8f0}table.facts th{width:35%;color:var(--soft);font-weight:500;cursor:auto;
background:none;position:static}
.pill{display:inline-block;padding:0 7px;margin:1px 2px 1px 0;border-radius:9px;background:#e2e8f0;font-size:12px;
overflow-wrap:normal}
/* a row of pills would claim the table's spare width, which the titles and sources need more */
.pills{max-width:12em}.pill.dup{background:#fde68a}.pill.flag{background:#fecaca}.pill.kept{background:#bbf7d0}
.bar{display:inline-block;height:8px;border-radius:4px;background:var(--accent);vertical-align:middle;margin-right:6px}
details{margin:4px 0}summary{cursor:pointer;font-weight:600}.empty,.note{color:var(--soft)}
code{font-size:12.5px;background:#f1f5f9;padding:0 4px;border-radius:4px}
pre.doc{white-space:pre-wrap;word-wrap:break-word;font:13.5px/1.6 ui-monospace,Menlo,Consolas,monospace;
background:#fcfcfd;border:1px solid var(--line);border-radius:8px;padding:14px}
del{text-decoration:line-through;text-decoration-color:var(--c);background:color-mix(in srgb,var(--c) 18%,white);
border-bottom:2px solid var(--c);color:#334155}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.flagbox{border-left:4px solid #D55E00;padding-left:12px;margin:10px 0}footer{color:var(--soft);font-size:13px}
.fit{overflow-x:auto}
@media (max-width:900px){main{padding:16px 12px 40px}nav{margin:0 -12px 14px;padding:8px 12px}section{padding:12px}
table{font-size:13px}th,td{padding:5px 4px}}
"""

# Click a column header to sort by it; numbers sort by the data-v value the cell carries.
SCRIPT = """
document.querySelectorAll("table.sortable thead th").forEach(function (th) {
  th.addEventListener("click", function () {
    var col = th.cellIndex, body = th.closest("table").tBodies[0], asc = th.dataset.dir !== "asc";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v || a.cells[col].textContent;
      var y = b.cells[col].dataset.v || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    th.dataset.dir = asc ? "asc" : "desc";
  });
});
"""

DUPLICATE, QUARANTINED, KEPT = "#E69F00", "#D55E00", "#009E73"
PILL = 32  # characters of a category, flag or language name shown in a pill; the rest in its tooltip


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main><script>{SCRIPT}</script></body></html>\n")


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _num(cell: float, text: str | None = None) -> str:
    return f'<td class="n" data-v="{cell}">{escape(text if text is not None else f"{cell:,}")}</td>'


def _table(headers: list[str], rows: list[str], numeric: set[int] = frozenset()) -> str:
    """A sortable table; a long one scrolls inside its own box so the page stays short. Cells wrap long
    values, so the table fits its card; on a screen too narrow even for that, it scrolls sideways in its
    card instead of pushing the page wider."""
    if not rows:
        return '<p class="empty">None.</p>'
    head = "".join(f'<th class="n">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
                   for i, h in enumerate(headers))
    table = f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="{"scroll" if len(rows) > 15 else "fit"}">{table}</div>'


def figure(value: Any) -> str:
    """A value read from a record, shown as text: checked records hold numbers here, but nothing reaches
    the page unescaped."""
    return escape(str(value))


# a name's pieces: up to 12 characters ending at a dot or an underscore, or 12 without one
NAME_PIECE = re.compile(r"[^._]{1,12}[._]?|[._]")


def breakable(name: str) -> str:
    """A dotted or snake_case name as HTML that may wrap after a dot or an underscore, not mid-word,
    when its column is narrow (and every 12 characters of a longer run without either)."""
    return "<wbr>".join(escape(piece) for piece in NAME_PIECE.findall(name))


def shortened(value: str, limit: int = 48, show: Callable[[str], str] = escape) -> str:
    """`value` as HTML (by `show`), cut to `limit` characters in the middle when longer, with the whole of
    it in a tooltip. For paths, URLs and names in table cells: they are told apart by their start and
    their end (the root or host, the file name), and a long one would make its row tall and its
    column crowd out the others."""
    if len(value) <= limit:
        return show(value)
    head = limit // 3
    return f'<span title="{escape(value)}">{show(value[:head] + "…" + value[head + 1 - limit:])}</span>'


def view_href(doc_id: str) -> str:
    """Where the per-document view of `doc_id` lives, relative to index.html.

    The file is named by a hash of the id, never by the id itself: ids come from the records, and one
    like `../../x` must not choose where the report writes. 16 hex digits (64 bits) make a clash
    unlikely among the few hundred views a report holds.
    """
    return f"docs/{hashlib.sha256(doc_id.encode('utf-8')).hexdigest()[:16]}.html"


def doc_link(doc_id: str | None, linked: set[str] | None, root: str = "") -> str:
    """A document id, linked to its view when the report has one (`linked` None: every document has one).

    `root` leads from the linking page to the report folder ("../" from a view).
    """
    if not doc_id:
        return ""
    code = f'<code class="id">{escape(doc_id[:12])}</code>'
    if linked is None or doc_id in linked:
        return f'<a href="{escape(root + view_href(doc_id))}" title="{escape(doc_id)}">{code}</a>'
    return f'<span title="{escape(doc_id)} (no view: not in the sample)">{code}</span>'


def _bins() -> list[str]:
    short = [f"{e // 1000}k" if e >= 1000 else str(e) for e in LENGTH_EDGES]
    return [f"<{edge}" for edge in short] + [f"≥{short[-1]}"]


def _category(name: str, colours: dict[str, str]) -> str:
    swatch = f'<span class="swatch" style="background:{colours[name]}"></span>'
    return f'<span class="pill">{swatch}{shortened(name, PILL, breakable)}</span>'


def _headline(s: dict[str, Any]) -> str:
    t = s["totals"]
    cards = [
        ("", f"{t['inputs']:,}", "documents in"),
        ("good", f"{t['kept']:,}", "kept"),
        ("warn" if t["duplicates"] else "", f"{t['duplicates']:,}", "duplicates"),
        ("warn" if t["quarantined"] else "", f"{t['quarantined']:,}", "quarantined"),
        ("", _pct(t["noise_share"]), "of input characters removed"),
        ("warn" if t["flagged_documents"] else "", f"{t['flagged_documents']:,}", "flagged documents"),
        ("warn" if t["empty_after_cleaning"] else "", f"{t['empty_after_cleaning']:,}", "emptied by cleaning"),
        ("", f"{len(s['languages'])}", "languages"),
        ("", _pct(s["provenance"]["complete_share"]), "with author, date, URL and license"),
    ]
    html = "".join(f'<div class="card {cls}"><b>{value}</b><span>{escape(label)}</span></div>'
                   for cls, value, label in cards)
    funnel = charts.stacked_bar([("kept", t["kept"], KEPT), ("duplicates", t["duplicates"], DUPLICATE),
                                 ("quarantined", t["quarantined"], QUARANTINED)], "What became of the inputs")
    return f'<section class="cards">{html}</section><section><h2>What became of the inputs</h2>{funnel}</section>'


def _noise(s: dict[str, Any], colours: dict[str, str]) -> str:
    noise, raw = s["noise"], s["totals"]["raw_chars"]
    by_chars = sorted(noise["removed_chars_by_category"].items(), key=lambda kv: (-kv[1], kv[0]))
    chart = charts.bar_chart(by_chars, "Characters removed by noise category", colours)
    rows = [f'<tr><td><span class="swatch" style="background:{colours[cat]}"></span>{escape(cat)}</td>'
            f"{_num(chars)}{_num(noise['spans_by_category'][cat])}{_num(noise['documents_by_category'][cat])}"
            f"{_num(chars / raw if raw else 0, _pct(chars / raw if raw else 0))}</tr>" for cat, chars in by_chars]
    table = _table(["category", "characters", "spans", "documents", "share of input"], rows, {1, 2, 3, 4})
    tops = []
    for cat, top in noise["top_removed_lines"].items():
        lines = "".join(f'<tr>{_num(count)}<td><code>{escape(line)}</code></td></tr>' for line, count in top["lines"])
        caveat = "" if top["exact"] else (f' <span class="note">(counts may be low by up to '
                                          f'{top["max_undercount"]:,})</span>')
        tops.append(f'<details{" open" if len(tops) < 2 else ""}><summary><span class="swatch" '
                    f'style="background:{colours[cat]}"></span>{escape(cat)}{caveat}</summary>'
                    f'<table><thead><tr><th class="n">documents</th><th>removed line</th></tr></thead>'
                    f"<tbody>{lines}</tbody></table></details>")
    return (f'<section id="noise"><h2>Noise removed</h2><div class="grid2"><div>{chart}</div><div>{table}</div></div>'
            f'<h3>Most recurring removed lines</h3><p class="note">Each line counted once per document it was removed '
            f'from.</p>{"".join(tops) or "<p class=empty>Nothing removed.</p>"}</section>')


def _emptied(s: dict[str, Any], linked: set[str] | None) -> str:
    emptied, count = s["empty_after_cleaning"], s["totals"]["empty_after_cleaning"]
    if not count:
        return ('<section id="emptied"><h2>Emptied by cleaning</h2><p class="empty">Cleaning left no document '
                'empty.</p></section>')
    rows = [f"<tr><td>{escape(rule)}</td>{_num(documents)}</tr>" for rule, documents in
            sorted(emptied["documents_by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))]
    examples = " ".join(doc_link(doc_id, linked) for doc_id in emptied["examples"])
    return (f'<section id="emptied"><h2>Emptied by cleaning</h2><p>{count:,} documents were left shorter than '
            f'<code>input.min_chars</code>. They are kept, marked <code>metadata.empty_after_cleaning</code> with '
            f'the rules that removed their text; a document emptied by several rules counts for each.</p>'
            + _table(["rule", "documents emptied"], rows, {1})
            + f'<p class="note">The first {len(emptied["examples"]):,} in corpus order: {examples}</p></section>')


def _sources(s: dict[str, Any]) -> str:
    rows = []
    widest = max((r["noise_share"] for r in s["sources"]["rows"]), default=0) or 1
    for r in s["sources"]["rows"]:
        languages = " ".join(f'<span class="pill">{shortened(k, PILL, breakable)} {v}</span>'
                             for k, v in list(r["languages"].items())[:4])
        rows.append(f'<tr><td>{shortened(r["source"])}</td>{_num(r["documents"])}'
                    + _num(r["mean_clean_chars"], format(r["mean_clean_chars"], ",.0f")) +
                    f'<td class="n" data-v="{r["noise_share"]}"><span class="bar" style="width:'
                    f'{r["noise_share"] / widest * 60:.0f}px"></span>{_pct(r["noise_share"])}</td>'
                    f'{_num(r["duplicate_share"], _pct(r["duplicate_share"]))}<td>{languages}</td>'
                    f'{_num(r["flagged"])}</tr>')
    more = s["sources"]["not_shown"]
    note = f'<p class="note">{more:,} smaller sources not shown (see summary.json counts).</p>' if more else ""
    return (f'<section id="sources"><h2>Sources <small class="note">({s["sources"]["count"]:,}; web domain, '
            f'else input path)</small></h2>'
            + _table(["source", "documents", "mean clean length", "noise share", "duplicate share", "languages",
                      "flagged"], rows, {1, 2, 3, 4, 6}) + note + "</section>")


def _edge(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _signal_bins(edges: list[float]) -> list[str]:
    return [f"<{_edge(edge)}" for edge in edges] + [f"≥{_edge(edges[-1])}"]


def _quality(s: dict[str, Any]) -> str:
    q = s["quality"]
    if not q["documents_assessed"]:
        return (f'<section id="quality"><h2>Quality</h2><p class="empty">No document was assessed '
                f'({q["documents_not_assessed"]:,} not in a language the heuristics read).</p></section>')
    families = q["families"]
    rates = charts.bar_chart([("every family", q["pass_rate_all"])]
                             + [(name, f["pass_rate"]) for name, f in families.items()],
                             "Pass rate by family", percent=True)
    reasons = [f"<tr><td>{breakable(name)}</td><td>{breakable(reason)}</td>{_num(count)}"
               f"{_num(count / f['assessed'], _pct(count / f['assessed']))}</tr>"
               for name, f in families.items() for reason, count in
               sorted(f["reasons"].items(), key=lambda kv: (-kv[1], kv[0]))]
    histograms = "".join(
        f'<div><h3>{escape(h["family"])} · {escape(h["signal"])}</h3>'
        + charts.histogram(_signal_bins(h["edges"]), [("documents", h["counts"], charts.ACCENT)],
                           f'{h["family"]} {h["signal"]}', axis=h["signal"], unit="") + "</div>"
        for h in q["histograms"])
    rows = [f'<tr><td>{shortened(r["source"])}</td>{_num(r["documents"])}'
            f'{_num(r["noise_share"], _pct(r["noise_share"]))}{_num(r["duplicate_share"], _pct(r["duplicate_share"]))}'
            f'{_num(r["quality_pass_rate"], _pct(r["quality_pass_rate"]) if r["quality_assessed"] else "–")}'
            f'{_num(r["flagged_share"], _pct(r["flagged_share"]))}{_num(r["median_clean_chars"])}</tr>'
            for r in s["sources"]["rows"]]
    return (f'<section id="quality"><h2>Quality</h2><p>The Gopher, C4 and FineWeb heuristics as datatrove computes '
            f'them, on the clean text of {q["documents_assessed"]:,} documents ({q["documents_not_assessed"]:,} not '
            f'assessed: a language they were not made for). Signals only: nothing was dropped '
            f'(<code>cleaner filter --drop-if</code> drops on request). {q["documents_passing_all"]:,} documents '
            f'({_pct(q["pass_rate_all"])}) pass every family.</p>'
            f'<div class="grid2"><div>{rates}</div><div>'
            + _table(["family", "fails for", "documents", "share of assessed"], reasons, {2, 3}) + "</div></div>"
            + '<h3>Quality by source</h3><p class="note">Click a column to sort. Quality pass rate: share of the '
              "source's assessed documents that every family passes; median length in clean characters.</p>"
            + _table(["source", "documents", "noise share", "duplicate share", "quality pass rate", "flagged share",
                      "median length"], rows, {1, 2, 3, 4, 5, 6})
            + f'<h3>Signal distributions</h3><div class="grid2">{histograms}</div></section>')


def _languages_lengths(s: dict[str, Any]) -> str:
    languages = sorted(s["languages"].items(), key=lambda kv: (-kv[1], kv[0]))
    lengths = s["lengths"]
    hist = charts.histogram(_bins(), [("before cleaning", lengths["raw"], charts.MUTED),
                                      ("after cleaning", lengths["clean"], charts.ACCENT)], "Length distribution")
    return (f'<div class="grid2"><section id="languages"><h2>Languages</h2>'
            f'{charts.bar_chart(languages, "Documents by language")}</section>'
            f'<section id="lengths"><h2>Length before and after cleaning</h2>{hist}<p class="note">Mean '
            f'{lengths["raw_mean"]:,.0f} → {lengths["clean_mean"]:,.0f} characters.</p></section></div>')


def _dedup(s: dict[str, Any], linked: set[str] | None) -> str:
    d = s["dedup"]
    if not d["records_with_dedup"]:
        return ('<section id="duplicates"><h2>Duplicate clusters</h2><p class="empty">The records carry no dedup '
                'results (run the dedup stage to fill this in).</p></section>')

    def similarity(c: dict[str, Any]) -> str:
        low, high = c["similarity_min"], c["similarity_max"]
        return "" if low is None else (f"{low:.3f}" if low == high else f"{low:.3f}–{high:.3f}")

    rows = [f'<tr><td>{shortened(c["cluster"])}</td>{_num(c["size"])}<td>{doc_link(c["kept"], linked)}</td>'
            f'<td>{doc_link(c["example_duplicate"], linked)}</td><td class="n">{similarity(c)}</td></tr>'
            for c in d["largest"]]
    return (f'<section id="duplicates"><h2>Duplicate clusters</h2><p>{d["clusters"]:,} clusters hold '
            f'{d["documents_in_clusters"]:,} documents; {s["totals"]["duplicates"]:,} were dropped as duplicates. '
            f'Largest {len(d["largest"])}:</p>'
            + _table(["cluster", "size", "kept document", "a duplicate", "similarity to kept"], rows, {1, 4})
            + "</section>")


def _flags(s: dict[str, Any], linked: set[str] | None) -> str:
    f = s["flags"]
    if not f["by_name"]:
        return ('<section id="flags"><h2>Bias and provenance flags</h2><p class="empty">No document is flagged.</p>'
                '</section>')
    chart = charts.bar_chart([(n, v["documents"]) for n, v in sorted(f["by_name"].items(),
                              key=lambda kv: (-kv[1]["documents"], kv[0]))], "Flagged documents by flag")
    rows = [f'<tr><td>{escape(name)}</td>{_num(v["documents"])}'
            + _num(v["mean_score"], format(v["mean_score"], ".3f")) + "</tr>" for name, v in f["by_name"].items()]
    examples = [f'<tr><td>{doc_link(ex["id"], linked)}</td><td>{shortened(ex["source"])}</td>'
                f'<td><span class="pill flag">{shortened(fl["name"], PILL, breakable)}</span></td>'
                f'<td class="n">{figure(fl["score"])} / {figure(fl["threshold"])}</td><td>'
                + "<br>".join(f"“{escape(e)}”" for e in fl["evidence"]) + "</td></tr>"
                for ex in f["examples"] for fl in ex["flags"]]
    shown = len(f["examples"])
    unread = ("<p class=\"note\">Not assessed (the flag cannot read the document's language, so it has no score): "
              + ", ".join(f"{escape(name)} {count:,}" for name, count in f["not_assessed"].items()) + "</p>"
              if f["not_assessed"] else "")
    note = (f'<p class="note">The first {shown:,} flagged documents in corpus order, with up to 3 evidence snippets '
            f'per flag.</p>') if shown < s["totals"]["flagged_documents"] else ""
    return (f'<section id="flags"><h2>Bias and provenance flags</h2><div class="grid2"><div>{chart}</div><div>'
            + _table(["flag", "documents", "mean score"], rows, {1, 2}) + unread
            + f'</div></div><h3>Flagged documents and their evidence</h3>{note}'
            + _table(["document", "source", "flag", "score / threshold", "evidence"], examples) + "</section>")


def _provenance(s: dict[str, Any]) -> str:
    p = s["provenance"]
    bars = charts.bar_chart([(name, share) for name, share in p["share"].items()],
                            "Share of documents with each provenance fact", percent=True)
    return (f'<section id="provenance"><h2>Provenance completeness</h2>{bars}<p class="note">'
            f'{p["complete"]:,} documents ({_pct(p["complete_share"])}) have all four.</p></section>')


def _quarantine(s: dict[str, Any]) -> str:
    q = s["quarantine"]
    if not q["by_reason"]:
        return '<section id="quarantine"><h2>Quarantine</h2><p class="empty">Nothing was quarantined.</p></section>'
    chart = charts.bar_chart(sorted(q["by_reason"].items(), key=lambda kv: (-kv[1], kv[0])),
                             "Quarantined inputs by reason", {r: QUARANTINED for r in q["by_reason"]})
    rows = [f'<tr><td>{escape(str(e["reason"]))}</td><td><code>{shortened(str(e["key"]))}</code></td>'
            f'<td>{escape(str(e["detail"] or ""))}</td></tr>' for e in q["examples"]]
    return (f'<section id="quarantine"><h2>Quarantine</h2>{chart}<h3>The first {len(rows)} entries</h3>'
            + _table(["reason", "input", "detail"], rows) + "</section>")


def _documents(s: dict[str, Any], colours: dict[str, str]) -> str:
    v = s["views"]
    how = (f"Every one of the {s['totals']['documents']:,} documents has a view." if v["mode"] == "all" else
           f"The corpus has {s['totals']['documents']:,} documents, so views were written for a deterministic sample "
           f"of {len(v['documents']):,}, taken in this order up to the limit of {v['limit']:,}: the flagged "
           f"and the emptied documents listed above, the kept document and one duplicate of each listed cluster, the "
           f"{MOST_REMOVED} documents with the most removed characters, then a uniform sample by id hash. "
           f"For any other document use <code>cleaner explain --id ID</code>.")
    rows = []
    for r in v["documents"]:
        pills = "".join(f'<span class="pill flag">{shortened(n, PILL, breakable)}</span>' for n in r["flags"])
        if r["dedup"]:
            pills += f'<span class="pill {"dup" if r["dedup"] == "duplicate" else "kept"}">{r["dedup"]}</span>'
        if r["emptied"]:
            pills += '<span class="pill flag">emptied</span>'
        rows.append(f'<tr><td>{doc_link(r["id"], None)}</td><td>{escape(r["title"] or "")}</td>'
                    f'<td>{shortened(r["source"])}</td><td>{shortened(r["language"], PILL)}</td>{_num(r["raw_chars"])}'
                    f'{_num(r["clean_chars"])}{_num(r["noise_share"], _pct(r["noise_share"]))}'
                    f'<td><div class="pills">{"".join(_category(c, colours) for c in r["categories"])}</div></td>'
                    f'<td><div class="pills">{pills}</div></td></tr>')
    return (f'<section id="documents"><h2>Documents</h2><p class="note">{how}</p>'
            + _table(["id", "title", "source", "language", "input chars", "clean chars", "removed", "noise categories",
                      "status"], rows, {4, 5, 6}) + "</section>")


def _run_footer(run: dict[str, Any] | None) -> str:
    if not run:
        return '<footer><p>No run.json beside the records: run details unknown.</p></footer>'
    timing, versions = run.get("timing", {}), run.get("versions", {})
    return (f'<footer><p>Run finished {figure(timing.get("finished", "?"))} in {figure(timing.get("seconds", "?"))} '
            f's with cleaner {figure(versions.get("cleaner", "?"))}, config <code>'
            f'{figure(run.get("config_hash", "?"))}</code>, {figure(run.get("jobs", "?"))} job(s). Figures: '
            f'<a href="summary.json">summary.json</a> · <a href="summary.md">summary.md</a>.</p></footer>')


def _invalid(s: dict[str, Any]) -> str:
    """Lines the audit skipped because they were not records it could read; nothing when there were none."""
    invalid = s["invalid_records"]
    if not invalid["count"]:
        return ""
    rows = [f'<tr><td>{escape(e["file"])}</td>{_num(e["line"])}<td><code>{escape(e["field"])}</code></td>'
            f'<td>{escape(e["problem"])}</td></tr>' for e in invalid["examples"]]
    return (f'<section id="invalid"><h2>Invalid records skipped</h2><p>{invalid["count"]:,} lines were not '
            f'records of the expected shape and are left out of every figure below. The first {len(rows)}:</p>'
            + _table(["file", "line", "field", "problem"], rows, {1}) + "</section>")


def index_page(summary: dict[str, Any], run: dict[str, Any] | None, title: str) -> str:
    colours = charts.category_palette(summary["noise"])
    views = summary["views"]
    linked = None if views["mode"] == "all" else set(views["selected"])
    nav = "".join(f'<a href="#{anchor}">{name}</a>' for anchor, name in (
        ("noise", "Noise"), ("emptied", "Emptied"), ("sources", "Sources"), ("quality", "Quality"),
        ("languages", "Languages"),
        ("duplicates", "Duplicates"), ("flags", "Flags"), ("provenance", "Provenance"), ("quarantine", "Quarantine"),
        ("documents", "Documents")))
    body = (f'<nav>{nav}</nav><header><h1>Corpus audit · {escape(title)}</h1><p class="sub">'
            f'{summary["totals"]["documents"]:,} documents from {summary["sources"]["count"]:,} sources; '
            f'{summary["totals"]["raw_chars"]:,} input characters cleaned to {summary["totals"]["clean_chars"]:,}.'
            "</p></header>"
            + _invalid(summary) + _headline(summary) + _noise(summary, colours) + _emptied(summary, linked)
            + _sources(summary) + _quality(summary)
            + _languages_lengths(summary) + _dedup(summary, linked) + _flags(summary, linked)
            + f'<div class="grid2">{_provenance(summary)}{_quarantine(summary)}</div>'
            + _documents(summary, colours) + _run_footer(run))
    return page(f"Corpus audit · {title}", body)
