"""Bytes in every encoding a crawl meets become the right words, and the record says how they were read.

Each case is the bytes of one input, words its text must contain, and the expected `encoding`,
`encoding_from` and `replaced_bytes`; every case is checked through `decode_bytes` and through the CLI.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.document import record_schema
from cleaner.extract.decode import DecodeError, decode_bytes
from tests.conftest import read_jsonl, run_cli

MAX_CONTROL_SHARE = 0.02  # the default input.max_control_share

FRENCH = "Le café de la gare était fermé ; à côté, une boulangerie vendait des crêpes et des éclairs.\n"
GERMAN = "Die Größe der Straße überraschte die Bürger, während draußen der Schnee fällt.\n"
QUOTES = "“It’s not over,” she said — and the café’s owner agreed: “We’ll reopen in spring…”\n"
JAPANESE = ("東京は日本の首都であり、世界有数の大都市です。"
            "今日は朝から雨が降っていて、駅には傘を持った人がたくさんいました。\n")
CHINESE = "北京是中华人民共和国的首都，也是全国的政治、文化中心。今天天气晴朗，很多市民到公园散步。\n"
FINNISH = ("Hyvää huomenta! Tänään sää on kylmä, ja järvellä on jäätä. Lapset leikkivät pihalla, ja äiti "
           "keittää kahvia keittiössä.\n")
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy."


def with_stray_bytes(text: str, count: int) -> bytes:
    """`text` in UTF-8 with `count` Latin-1 "é" bytes pushed in between its words."""
    words = text.encode("utf-8").split(b" ")
    for n in range(count):
        words[1 + n * 2] += b"\xe9"
    return b" ".join(words)


def html_page(head: str, body: str) -> str:
    return f"<html><head>{head}<title>News</title></head><body><article><p>{body}</p></article></body></html>"


@dataclass
class Case:
    name: str  # the file name the CLI reads it from
    data: bytes
    words: list[str]
    encoding: str
    encoding_from: str
    replaced_bytes: int = 0


CASES = [
    Case("latin1.txt", FRENCH.encode("latin-1"), ["café", "était", "crêpes"], "cp1252", "detected"),
    Case("latin1_one_word.txt", "Perché".encode("latin-1"), ["Perché"], "cp1252", "detected"),
    Case("cp1252_quotes.txt", QUOTES.encode("cp1252"), ["“It’s not over,”", "café’s", "spring…”"],
         "cp1252", "detected"),
    Case("utf8_one_stray.txt", with_stray_bytes(GERMAN, 1), ["Größe", "Straße", "überraschte"], "utf-8",
         "utf8_repaired", 1),
    Case("utf8_stray_bytes.txt", with_stray_bytes(GERMAN, 4), ["Größe", "Straße", "draußen"], "utf-8",
         "utf8_repaired", 4),
    Case("utf8_bom.txt", codecs.BOM_UTF8 + GERMAN.encode("utf-8"), ["Die Größe"], "utf-8-sig", "bom"),
    Case("utf16le.txt", codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"), ["Größe", "Straße"], "utf-16-le", "bom"),
    Case("utf16be.txt", codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), ["café", "était"], "utf-16-be", "bom"),
    Case("utf32.txt", codecs.BOM_UTF32_LE + JAPANESE.encode("utf-32-le"), ["東京は日本の首都"], "utf-32-le", "bom"),
    Case("utf32be.txt", codecs.BOM_UTF32_BE + GERMAN.encode("utf-32-be"), ["Größe"], "utf-32-be", "bom"),
    Case("czech_iso8859_2.html", html_page('<meta charset="iso-8859-2">', CZECH).encode("iso-8859-2"),
         ["Příliš žluťoučký kůň"], "iso8859-2", "declared"),
    # browsers read a page labelled ISO-8859-1 as windows-1252, whose curly quotes such pages hold
    Case("quotes_labelled_latin1.html", html_page('<meta charset="ISO-8859-1">', QUOTES).encode("cp1252"),
         ["“It’s not over,”", "café’s"], "cp1252", "declared"),
    Case("japanese_shift_jis.html", html_page(
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', JAPANESE).encode("cp932"),
         ["東京は日本の首都であり"], "cp932", "declared"),
    Case("chinese_gb18030.html", ('<?xml version="1.0" encoding="GB18030"?>\n'
                                  + html_page("", CHINESE)).encode("gb18030"), ["北京是中华人民共和国的首都"],
         "gb18030", "declared"),
    # a Latin-1 line pasted into a UTF-8 article: the UTF-8 stays, the Latin-1 bytes are replaced
    Case("mixed_mostly_utf8.txt", GERMAN.encode("utf-8") * 3 + "Un café.\n".encode("latin-1"),
         ["Größe", "Straße", "Un caf\ufffd."], "utf-8", "utf8_repaired", 1),
    # a UTF-8 line appended to a Latin-1 article: the Latin-1 stays, the UTF-8 line is mojibake
    Case("mixed_mostly_latin1.txt", FRENCH.encode("latin-1") + "Größere Straßen.\n".encode(),
         ["café", "était", "crêpes"], "cp1252", "detected"),
    # the same where charset_normalizer accepts no candidate: windows-1252, as browsers fall back to
    Case("mixed_no_candidate.txt", FINNISH.encode("latin-1") + "Größere Straßen.\n".encode(),
         ["Hyvää huomenta", "järvellä", "keittiössä"], "cp1252", "detected"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_decode_bytes_reads_the_words_and_says_how(case: Case) -> None:
    decoded = decode_bytes(case.data, MAX_CONTROL_SHARE)
    for word in case.words:
        assert word in decoded.text
    assert (decoded.encoding, decoded.encoding_from, decoded.replaced_bytes) == (
        case.encoding, case.encoding_from, case.replaced_bytes)


def test_the_declared_charset_wins_over_a_detection_that_differs() -> None:
    declared = next(case for case in CASES if case.name == "czech_iso8859_2.html")
    undeclared = decode_bytes(html_page("", CZECH).encode("iso-8859-2"), MAX_CONTROL_SHARE)
    assert undeclared.encoding_from == "detected" and undeclared.encoding != declared.encoding
    assert CZECH not in undeclared.text


def test_the_http_charset_wins_over_the_meta_tag() -> None:
    page = html_page('<meta charset="windows-1252">', "Москва — столица России.").encode("cp1251")
    decoded = decode_bytes(page, MAX_CONTROL_SHARE, declared_charset="windows-1251")
    assert "Москва — столица России." in decoded.text
    assert (decoded.encoding, decoded.encoding_from) == ("cp1251", "declared")


def test_the_cli_reads_a_warc_record_in_its_http_charset(tmp_path: Path) -> None:
    page = html_page('<meta charset="windows-1252">', "Москва — столица России, крупнейший город страны.")
    archive = tmp_path / "crawl.warc.gz"
    with open(archive, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1251")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://news.example.ru/moscow", "response", payload=io.BytesIO(page.encode("cp1251")),
            http_headers=headers, warc_headers_dict={"WARC-Date": "2024-04-03T10:00:00Z"}))
    result = run_cli("clean", str(archive), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    [record] = read_jsonl(tmp_path / "out" / "documents.jsonl")
    assert "Москва — столица России" in record["text"]
    assert (record["metadata"]["encoding"], record["metadata"]["encoding_from"]) == ("cp1251", "declared")


def test_valid_utf8_wins_over_a_wrong_declaration() -> None:
    page = html_page('<meta charset="iso-8859-1">', "Die Größe der Straße.").encode("utf-8")
    decoded = decode_bytes(page, MAX_CONTROL_SHARE, declared_charset="iso-8859-1")
    assert "Die Größe der Straße." in decoded.text and decoded.encoding_from == "utf8"


@pytest.mark.parametrize("data", [bytes(range(256)) * 64, codecs.BOM_UTF16_LE + bytes(4096),
                                  b"\x00\x01\x02\x03" * 1000 + "café".encode("latin-1")],
                         ids=["all_byte_values", "utf16_bom_then_nuls", "controls_then_latin1"])
def test_binary_data_is_still_binary(data: bytes) -> None:
    with pytest.raises(DecodeError) as refused:
        decode_bytes(data, MAX_CONTROL_SHARE)
    assert refused.value.reason == "binary"


def test_bytes_that_make_no_words_in_any_encoding_are_undecodable() -> None:
    printable_high_bytes = bytes(range(0xA0, 0x100)) * 40  # no control bytes, but no language either
    with pytest.raises(DecodeError) as refused:
        decode_bytes(printable_high_bytes, MAX_CONTROL_SHARE)
    assert refused.value.reason == "undecodable"


def test_the_cli_records_the_words_and_the_encoding_of_every_case(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for case in CASES:
        (folder / case.name).write_bytes(case.data)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "lines.jsonl").write_text('{"text": "Le café de la gare était fermé."}\n', encoding="utf-8")
    result = run_cli("clean", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    records = {Path(record["source"]).name: record for record in read_jsonl(tmp_path / "out" / "documents.jsonl")}
    [refused] = read_jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert (Path(refused["source"]).name, refused["reason"]) == ("binary.txt", "binary")
    validator = jsonschema.Draft202012Validator(record_schema())
    for record in records.values():
        validator.validate(record)
    for case in CASES:
        record = records[case.name]
        for word in case.words:
            assert word in record["raw"], (case.name, word)
        metadata = record["metadata"]
        assert (metadata["encoding"], metadata["encoding_from"], metadata["replaced_bytes"]) == (
            case.encoding, case.encoding_from, case.replaced_bytes), case.name
    text_input = records["lines.jsonl:1"]["metadata"]
    assert (text_input["encoding"], text_input["encoding_from"], text_input["replaced_bytes"]) == ("unicode", "text", 0)
