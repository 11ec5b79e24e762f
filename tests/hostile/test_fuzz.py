"""Property-based fuzzing (Hypothesis) of the stages that read untrusted bytes and text.

The default profile, `ci`, runs a bounded number of examples chosen from a fixed seed, so every run of
the suite tests the same inputs; `HYPOTHESIS_PROFILE=long` searches many more, at random, and keeps the
failures it finds in `.hypothesis/` to replay them first next time (docs/hardening.md).
"""

from __future__ import annotations

import gzip
import os

import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import clean
from cleaner.api import QuarantineError
from cleaner.config import Config
from cleaner.document import Document, record_schema
from cleaner.extract.decode import BINARY_MAGIC, DecodeError, decode_bytes
from cleaner.io.readers import Quarantined, RawInput, read_inputs
from cleaner.noise import RULES, tidy
from cleaner.pipeline import process

# deadline=None: a slow example (charset detection on a large blob, a cold trafilatura) is not a failure;
# the wall-time bounds of whole runs are in test_resource_bounds.py
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CONFIG = Config()
MAX_BYTES = 64 * 1024
QUARANTINE_REASONS = {"empty", "binary", "undecodable", "oversized", "corrupt_gzip", "corrupt_warc", "invalid_json",
                      "missing_text", "unsupported_content_type", "http_status", "no_main_text", "missing",
                      "unreadable", "not_a_regular_file"}
# (rule id, category) of every span a document may carry: the registered rules and the blank-line tidy
REGISTERED = {(rule.name, rule.category) for rule in RULES.rules.values()} | {(tidy.RULE, tidy.CATEGORY)}

# charsets as a Content-Type header may declare them: real, unknown, empty and absurd names
CHARSETS = st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32",
                                                 "utf-7", "shift_jis", "gb18030", "koi8-r", "iso-2022-jp", "idna",
                                                 "rot13", "base64", "hex", "zlib", "no-such-charset", "", "x" * 300]),
                     st.text(max_size=20))

# text without lone surrogates: a Python str may hold them, but no reader can produce one
UNICODE = st.characters(blacklist_categories=("Cs",))

# pieces of the noise rules' trade and of markup, to build inputs that reach past the first regex
FRAGMENTS = ["[Share](#)", "[", "]", "(", ")", "{", "}", "<div>", "</div>", "<", ">", "*", "**", "#", "- ", "| ",
             "http://example.org/a?b=c", "www.", "@", "\n", "\n\n", " ", "  ", "\t", "\x00", "\x0c", "\r", "\r\n",
             "\u2028", "\u200b", "\ufeff", "Subscribe to our newsletter", "Sign up", "Read more:", "Related:",
             "By Jane Doe", "Photo: AP", "© 2024", "CC BY-SA 4.0", "Translated by", "Comments (12)", "Tags:",
             "Reply", "Posted on March 3, 2024", "LONDON (Reuters) -", "Funded by the", "Share on Facebook",
             "The council voted on the new harbour plan after a long debate.", ".", "...", "!", "?", ":", ";"]
PIECE = st.one_of(st.sampled_from(FRAGMENTS), st.text(UNICODE, max_size=40))
# a piece repeated: long lines of punctuation, runs of spaces, thousands of tiny lines, deep brackets
REPEATED = st.tuples(PIECE, st.integers(1, 3000)).map(lambda pair: (pair[0] * pair[1])[:30_000])
HOSTILE_TEXT = st.lists(st.one_of(PIECE, REPEATED), max_size=30).map("".join)

TAGS = ["div", "p", "span", "a", "b", "article", "main", "li", "ul", "table", "td", "script", "style", "nav",
        "header", "footer", "h1", "pre", "iframe", "noscript"]


def _element(tag: str, attribute: str, children: list[str]) -> str:
    return f'<{tag} class="{attribute}">{"".join(children)}</{tag}>'


HTML = st.recursive(
    st.one_of(PIECE, st.sampled_from(["<br>", "<!--", "-->", "&amp;", "&#0;", "&#x110000;", "<![CDATA[", "<?xml"])),
    lambda children: st.builds(_element, st.sampled_from(TAGS), st.text(UNICODE, max_size=20),
                               st.lists(children, max_size=6)),
    max_leaves=60,
).map(lambda body: f"<html><head><title>t</title></head><body>{body}</body></html>")


@given(st.binary(max_size=8192), st.floats(0, 1), CHARSETS)
def test_arbitrary_bytes_decode_to_unicode_or_raise_decode_error(data: bytes, max_control_share: float,
                                                                 charset: str | None) -> None:
    try:
        decoded = decode_bytes(data, max_control_share, charset)
    except DecodeError as exc:
        assert exc.reason in ("binary", "undecodable")
        return
    assert decoded.encoding and decoded.encoding_from
    decoded.text.encode("utf-8")  # valid Unicode, no lone surrogates: the record must be writable as JSON



@pytest.mark.parametrize("charset", ["latin\x001", "idna", "rot13", "base64", "hex"])
def test_a_declared_charset_that_names_no_web_encoding_is_ignored_like_an_unknown_one(charset: str) -> None:
    # found by the fuzzer above: "embedded null character" (a ValueError, no LookupError), and codecs that
    # are no text encodings or take no custom error handler
    data = "Le café était plein, et la pluie tombait sur la place.\n".encode("cp1252")
    assert decode_bytes(data, 0.02, charset) == decode_bytes(data, 0.02, "no-such-charset") == \
        decode_bytes(data, 0.02, None)

@given(st.text(UNICODE, max_size=2000))
def test_valid_utf8_round_trips_through_the_decoder(text: str) -> None:
    data = text.encode("utf-8")
    if data.startswith(BINARY_MAGIC):  # "%PDF..." is refused as binary, whatever follows
        return
    # with any share of control characters allowed, UTF-8 is decoded as such; only a leading BOM goes
    decoded = decode_bytes(data, max_control_share=1.0)
    assert (decoded.text, decoded.encoding) == (text.removeprefix("\ufeff"), "utf-8")


def _json_value() -> st.SearchStrategy[object]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**64 - 1), st.floats(allow_nan=False),
                       st.text(UNICODE, max_size=50), HOSTILE_TEXT, HTML)
    return st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                        max_leaves=8)


JSON_RECORD = st.dictionaries(st.sampled_from(["text", "html", "url", "id", "added", "title"]), _json_value(),
                              max_size=5).map(orjson.dumps)
JSONL = st.lists(st.one_of(JSON_RECORD, st.binary(max_size=100), st.just(b""), st.just(b"[1, 2]")),
                 max_size=8).map(b"\n".join)


@st.composite
def warc(draw: st.DrawFn) -> bytes:
    """WARC records with fuzzed types, headers, lengths and payloads, maybe cut short, maybe gzipped."""
    records = []
    for _ in range(draw(st.integers(1, 3))):
        body = draw(st.one_of(st.binary(max_size=500), HTML.map(str.encode), HOSTILE_TEXT.map(str.encode)))
        status = draw(st.sampled_from([b"200 OK", b"404 Not Found", b"abc", b""]))
        ctype = draw(st.sampled_from([b"text/html", b"text/plain", b"image/png", b"", b"text/html; charset=",
                                      b"text/html; charset=utf-7", b"text/html; charset=no-such",
                                      b"text/html; charset=utf-16; x"]))
        http = b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype + b"\r\n\r\n" + body
        length = draw(st.one_of(st.just(len(http)), st.integers(0, 2 * len(http) + 10)))
        rec_type = draw(st.sampled_from([b"response", b"resource", b"request", b"warcinfo", b"bogus"]))
        date = draw(st.sampled_from([b"2024-03-01T10:00:00Z", b"not a date", b""]))
        records.append(b"WARC/1.0\r\nWARC-Type: " + rec_type + b"\r\nWARC-Target-URI: http://example.org/a\r\n"
                       b"WARC-Date: " + date + b"\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
                       b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
                       + str(length).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    data = b"".join(records)
    data = data[:draw(st.integers(0, len(data)))] if draw(st.booleans()) else data
    return gzip.compress(data, mtime=0) if draw(st.booleans()) else data


CONTENT = {
    ".txt": st.one_of(st.binary(max_size=4096), HOSTILE_TEXT.map(str.encode)),
    ".html": st.one_of(st.binary(max_size=4096), HTML.map(str.encode)),
    ".jsonl": st.one_of(st.binary(max_size=4096), JSONL),
    ".jsonl.gz": st.one_of(st.binary(max_size=4096), JSONL.map(lambda data: gzip.compress(data, mtime=0)),
                           JSONL.map(lambda data: gzip.compress(data, mtime=0)[:-5])),
    ".warc": st.one_of(st.binary(max_size=4096), warc()),
}


@given(st.sampled_from(sorted(CONTENT)).flatmap(lambda suffix: st.tuples(st.just(suffix), CONTENT[suffix])))
def test_every_file_yields_documents_or_quarantine_entries_never_an_exception(tmp_path_factory: pytest.TempPathFactory,
                                                                            file: tuple[str, bytes]) -> None:
    suffix, data = file
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    items = list(read_inputs([str(path)], MAX_BYTES))
    assert items, "a file left no trace"
    for item in items:
        assert isinstance(item, (RawInput, Quarantined))
        # the pipeline itself, not the engine's guard that would quarantine a crash as processing_error
        outcome = process(item, CONFIG) if isinstance(item, RawInput) else item
        if isinstance(outcome, Quarantined):
            assert outcome.reason in QUARANTINE_REASONS, outcome
        else:
            orjson.loads(outcome.to_json())


def _spans_are_sound(document: Document) -> None:
    for span in document.spans:
        assert 0 <= span.start < span.end <= len(document.raw), span
        assert (span.rule, span.category) in REGISTERED, span


def _cleaned(content: str, kind: str) -> Document | None:
    """The cleaned document, or None when the input is one the API refuses (e.g. nothing but blanks)."""
    try:
        return clean(content, kind=kind)
    except QuarantineError as exc:
        assert exc.reason in QUARANTINE_REASONS
        return None


@given(HOSTILE_TEXT)
def test_the_noise_engine_cleans_any_text_with_spans_inside_raw_from_registered_rules(text: str) -> None:
    document = _cleaned(text, "text")
    if document is not None:
        _spans_are_sound(document)


@given(HTML)
def test_any_html_is_cleaned_with_spans_inside_raw_from_registered_rules(html: str) -> None:
    document = _cleaned(html, "html")
    if document is not None:
        _spans_are_sound(document)


VALIDATOR = jsonschema.Draft202012Validator(record_schema())


@given(st.one_of(HOSTILE_TEXT.map(lambda text: (text, "text")), HTML.map(lambda html: (html, "html"))))
def test_every_record_rebuilds_its_text_and_validates_against_the_schema(content: tuple[str, str]) -> None:
    document = _cleaned(*content)
    if document is None:
        return
    record = orjson.loads(document.to_json())
    assert Document.from_dict(record).text == record["text"]
    VALIDATOR.validate(record)

