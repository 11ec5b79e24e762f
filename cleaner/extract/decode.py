"""Bytes to text: refuse binary data, decode UTF-8 when it is UTF-8, detect the charset otherwise."""

from __future__ import annotations

from charset_normalizer import from_bytes

# magic numbers of formats that are never articles, whatever their file name says
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF")
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


class DecodeError(ValueError):
    """Bytes that are not text; `reason` is the quarantine reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def decode_bytes(data: bytes, max_control_share: float, declared_charset: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) or raise DecodeError('binary' | 'undecodable', detail)."""
    if data.startswith(BINARY_MAGIC):
        raise DecodeError("binary", f"starts with {data[:4]!r}")
    sample = data[:65536]
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL))
        if controls / len(sample) > max_control_share:
            raise DecodeError("binary", f"{controls} control bytes in the first {len(sample)}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", declared_charset):
        if not encoding:
            continue
        try:
            return data.decode(encoding), encoding.lower()
        except (ValueError, LookupError):  # a bad byte, an unknown name, a name holding NUL ("embedded null")
            continue
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise DecodeError("undecodable", "no charset decodes these bytes")
    # Single-byte Western text often fits several code pages equally well; like browsers (WHATWG),
    # fall back to windows-1252 when it is among the equally good candidates.
    tied = set(best.could_be_from_charset) | {
        m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    if "cp1252" in tied:
        return data.decode("cp1252", errors="replace"), "cp1252"
    return str(best), best.encoding
