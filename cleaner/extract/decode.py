"""Bytes to text: what the bytes prove first, then what they declare, then a guess; refuse binary data.

The rule order, and the `Decoded.encoding_from` each rule records:

1. a file format's magic number (PDF, PNG, ZIP, ...): refused as `binary`;
2. a byte order mark: UTF-8, UTF-16 LE/BE or UTF-32 LE/BE (`bom`);
3. valid UTF-8 (`utf8`); UTF-8 whose undecodable bytes are fewer than its multi-byte characters, those
   bytes replaced by U+FFFD (`utf8_repaired`): a Latin-1 text has no valid multi-byte character at all;
4. a declared charset: the HTTP Content-Type (WARC), else `<meta charset>`, `<meta http-equiv>` or an
   XML declaration in the first 1024 bytes (`declared`); labels mean what browsers take them to mean
   (WHATWG Encoding Standard: `iso-8859-1` is windows-1252, `shift_jis` is cp932, `gb2312` is GBK);
5. detection by charset_normalizer among the encodings of the web (the WHATWG list: a page in cp775
   or mac_iceland cannot even be shown by a browser), windows-1252 when its reading has fewer odd words
   than the guess, or as many and as good a score, or when there is no guess and most of its words are
   words (`detected`).

Rules 4 and 5 accept a reading with undecodable bytes on the same terms as rule 3. Last, the share of
control characters is measured on the decoded text, so UTF-16 and UTF-32 are text, not binary (and on
the bytes first when there is no byte order mark, which no reading left can change).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from charset_normalizer import from_bytes

# magic numbers of formats that are never articles, whatever their file name says
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF")
_CONTROL_CODES = [c for c in range(32) if c not in (9, 10, 12, 13)]
_CONTROL_BYTES = bytes(_CONTROL_CODES)
# str.count per character is several times faster than str.translate with a table
_CONTROL_CHARS = [chr(c) for c in _CONTROL_CODES]
# the control share and the readings' odd words are judged on the first 64 Ki characters
_SAMPLE = 65536
# UTF-32 first: its little-endian mark starts with UTF-16's
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# browsers read the first 1024 bytes for a declaration (WHATWG "prescan a byte stream")
DECLARATION_BYTES = 1024
_DECLARATION = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)"""  # <meta charset=x>, and http-equiv's content
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG labels Python does not know
_WHATWG_LABELS = {
    "windows-874": "cp874", "x-mac-cyrillic": "mac_cyrillic", "x-cp1252": "cp1252", "unicode-1-1-utf-8": "utf-8",
    "x-euc-jp": "euc_jp", "cseuckr": "cp949", "cn-big5": "big5hkscs", "x-x-big5": "big5hkscs", "csgb2312": "gbk",
    "gb_2312-80": "gbk", "x-gbk": "gbk", "x-sjis": "cp932", "windows-31j": "cp932", "iso-8859-8-i": "iso8859-8",
}
# Python codecs whose WHATWG namesake decodes more (browsers read "iso-8859-1" as windows-1252)
_WHATWG_DECODERS = {
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "tis-620": "cp874", "iso8859-11": "cp874",
    "gb2312": "gbk", "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs",
}
# every WHATWG encoding but UTF-8, which rule 3 has tried, and UTF-16, which a browser reads only after
# a byte order mark
WEB_ENCODINGS = (
    "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7",
    "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u",
    "mac_roman", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "mac_cyrillic", "gbk", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949",
)
WESTERN = "cp1252"
# a lone surrogate marks each byte that did not decode: no codec's strict output contains one
_BAD_BYTE = "\udcff"
_MARK_BAD_BYTES = "cleaner.mark_bad_bytes"


def _mark_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return _BAD_BYTE * (error.end - error.start), error.end


codecs.register_error(_MARK_BAD_BYTES, _mark_bad_bytes)


class DecodeError(ValueError):
    """Bytes that are not text; `reason` is the quarantine reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that read it, the rule that chose it, and how many bytes became U+FFFD."""

    text: str
    encoding: str
    encoding_from: str  # bom | utf8 | utf8_repaired | declared | detected; "text" for input that was never bytes
    replaced_bytes: int = 0


def decode_bytes(data: bytes, max_control_share: float, declared_charset: str | None = None) -> Decoded:
    """Decode by the rules above, or raise DecodeError('binary' | 'undecodable', detail).

    `declared_charset` is what the container said (the HTTP Content-Type of a WARC record); it wins
    over a declaration inside the document, as in browsers.
    """
    if data.startswith(BINARY_MAGIC):
        raise DecodeError("binary", f"starts with {data[:4]!r}")
    if not data.startswith(tuple(bom for bom, _ in BOMS)):
        # Without a byte order mark every reading is ASCII-compatible: a control byte is the same control
        # character in each, so binary bytes are refused before the costly readings. (Latin-1 maps each
        # byte to the character of the same number.)
        _refuse_binary(_controls_in_bytes(data[:_SAMPLE]), min(len(data), _SAMPLE), max_control_share)
    decoded = _decode(data, declared_charset)
    if decoded is None:
        raise DecodeError("undecodable", "no charset decodes these bytes")
    sample = decoded.text[:_SAMPLE]
    _refuse_binary(sum(map(sample.count, _CONTROL_CHARS)), len(sample), max_control_share)
    return decoded


def _decode(data: bytes, declared_charset: str | None) -> Decoded | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text, replaced = _read_marking_bad_bytes(data[len(bom):], encoding)
            return Decoded(text, encoding + "-sig" if encoding == "utf-8" else encoding, "bom", replaced)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf8")
    except UnicodeDecodeError:
        pass
    repaired = _sound_reading(data, "utf-8", "utf8_repaired")
    if repaired is not None:
        return repaired
    declared = _web_codec(declared_charset) or _declared_in_document(data)
    reading = _sound_reading(data, declared, "declared") if declared else None
    if reading is not None:
        return reading
    detected = _detect(data)
    return _sound_reading(data, detected, "detected") if detected else None


def _read_marking_bad_bytes(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode, each byte that does not decode replaced by U+FFFD; return (text, bytes replaced)."""
    text = data.decode(encoding, _MARK_BAD_BYTES)
    replaced = text.count(_BAD_BYTE)
    return (text.replace(_BAD_BYTE, "\ufffd") if replaced else text), replaced


def _sound_reading(data: bytes, encoding: str, rule: str) -> Decoded | None:
    """`data` read with `encoding` when that loses fewer bytes than it decodes non-ASCII characters.

    ASCII decodes alike in every candidate, so only the non-ASCII characters are evidence for a reading;
    a reading that loses more bytes than it explains is the wrong one (Latin-1 read as UTF-8 explains none).
    """
    text, replaced = _read_marking_bad_bytes(data, encoding)
    if replaced:
        non_ascii = len(text) - len(text.encode("ascii", "ignore")) - replaced
        if replaced >= non_ascii:
            return None
    return Decoded(text, codecs.lookup(encoding).name, rule, replaced)


def _web_codec(label: str | None) -> str | None:
    """The Python codec a browser would decode a charset label with; None for an unknown label."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        codec = codecs.lookup(_WHATWG_LABELS.get(label, label)).name
    except (LookupError, ValueError):  # an unknown name, or one holding NUL ("embedded null character")
        return None
    codec = codecs.lookup(_WHATWG_DECODERS[codec]).name if codec in _WHATWG_DECODERS else codec
    # a browser ignores a label that names no encoding of the web (base64, rot13, idna...)
    return codec if codec in _web_codec_names() else None


@cache
def _web_codec_names() -> frozenset[str]:
    return frozenset(codecs.lookup(name).name for name in (*WEB_ENCODINGS, "utf-8", "utf-16-le", "utf-16-be"))


def _declared_in_document(data: bytes) -> str | None:
    """The charset a `<meta>` tag or an XML declaration near the start names, when it is a usable one."""
    found = _DECLARATION.search(data[:DECLARATION_BYTES])
    if found is None:
        return None
    codec = _web_codec((found.group(1) or found.group(2)).decode("ascii"))
    # a declaration readable as ASCII proves the bytes are not UTF-16 or UTF-32 (browsers read it as UTF-8)
    return None if codec is None or codec.startswith(("utf-16", "utf-32")) else codec


def _detect(data: bytes) -> str | None:
    """charset_normalizer's best web encoding, unless windows-1252 reads the bytes as well or better."""
    matches = from_bytes(data, cp_isolation=list(WEB_ENCODINGS))
    best = matches.best()
    try:
        data.decode(WESTERN)
    except UnicodeDecodeError:
        return None if best is None else best.encoding
    # a single-byte reading: the first _SAMPLE bytes are the first _SAMPLE characters
    western_odd, western_words = _odd_words(data[:_SAMPLE].decode(WESTERN))
    if best is None:
        # nothing passed detection (a Latin-1 text with a UTF-8 line in it can fail every candidate):
        # windows-1252, the browsers' fallback, when most of the words it reads are words
        return WESTERN if western_odd < western_words - western_odd else None
    # Western text often fits several code pages equally well, and on a short text the guess is often
    # a code page that makes words no language has ("Hyv‰‰", "Perch健"): windows-1252 wins when its
    # reading has fewer such words, or as many and a score as good as the guess's
    guessed_odd, _ = _odd_words(str(best)[:_SAMPLE])
    tied = set(best.could_be_from_charset) | {
        m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    # as coherent: charset_normalizer recognises the language as well in the windows-1252 reading
    coherent = {m.encoding for m in matches if m.coherence >= best.coherence > 0}
    if western_odd < guessed_odd or (western_odd == guessed_odd and WESTERN in tied | coherent):
        return WESTERN
    return best.encoding


# words are split at spaces and ASCII punctuation (markup too: "<p>Καλημέρα" holds one Greek word);
# typographic punctuation may open or close a word, and a few marks may stand inside one
_WORD_BREAK = re.compile(r"[\s!-/:-@\[-`{-~]+")
_EDGE_PUNCTUATION = "«»“”‘’„‚¿¡…–—•·"
_INSIDE_WORD = frozenset("’‘·–")
# scripts written without spaces between them share one word
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "HANGUL", "IDEOGRAPHIC"})


def _odd_words(text: str) -> tuple[int, int]:
    """(words no language writes, words with a non-ASCII character): pure ASCII words are no evidence.

    An odd word has a symbol inside it, two scripts in one, or a leading accent: the wrong code page
    turns letters into symbols or into another script mid-word ("Za¿ó³æ", "Hyvдд"), the right one does not.
    """
    words = [token.strip(_EDGE_PUNCTUATION) for token in _WORD_BREAK.split(text) if not token.isascii()]
    return sum(1 for word in words if not _plausible_word(word)), len(words)


def _plausible_word(word: str) -> bool:
    if not word:
        return True
    if unicodedata.category(word[0]).startswith("M"):
        return False
    scripts = set()
    for char in word:
        if char in _INSIDE_WORD or "0" <= char <= "9" or unicodedata.category(char).startswith("M"):
            continue
        if not char.isalpha():
            return False
        scripts.add(_script(char))
    return len(scripts) <= 1


def _script(letter: str) -> str:
    if letter.isascii():
        return "LATIN"
    script = unicodedata.name(letter, "?").split()[0]
    return "EAST_ASIAN" if script in _EAST_ASIAN else script


def _controls_in_bytes(data: bytes) -> int:
    # one C pass; as many as the Latin-1 reading (byte n is character n) has control characters
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


def _refuse_binary(controls: int, sampled: int, max_control_share: float) -> None:
    """Refuse as binary a sample of `sampled` characters holding more than the allowed share of controls."""
    if sampled and controls / sampled > max_control_share:
        raise DecodeError("binary", f"{controls} control characters in the first {sampled}")
