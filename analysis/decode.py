"""Bytes to text: byte-order marks, strict UTF-8, then charset-normalizer.

The cascade, in order:

1. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides the codec.
2. Bytes that decode as strict UTF-8 are UTF-8 (the common case, and one a
   detector can misjudge on short texts).
3. Otherwise charset-normalizer detects the codec (cp1252, latin-1, UTF-16
   without BOM, ...). Its verdict is accepted only when its mess ratio is at
   most :data:`MAX_MESS_RATIO`; above that the input is treated as binary.

Bytes with NUL characters that are not UTF-16/32 are binary and rejected.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from analysis.errors import InputRejected

MAX_MESS_RATIO = 0.2

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data`` or raise :class:`InputRejected` saying why it cannot be."""
    if not data.strip():
        raise InputRejected("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(_normalise_newlines(data.decode(encoding)), encoding)
            except UnicodeDecodeError as error:
                raise InputRejected(f"starts with a {encoding} byte-order mark but {error}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if "\x00" in text:
            return _detect(data, reason_if_binary="binary file (contains NUL bytes)")
        return DecodedText(_normalise_newlines(text), "utf-8")
    return _detect(data, reason_if_binary="binary or undecodable file (no text encoding fits)")


def _detect(data: bytes, *, reason_if_binary: str) -> DecodedText:
    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_MESS_RATIO:
        raise InputRejected(reason_if_binary)
    text = str(best)
    if "\x00" in text:
        raise InputRejected(reason_if_binary)
    return DecodedText(_normalise_newlines(text), best.encoding)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
