"""Bytes to text: byte-order marks, UTF-8 (strict, then repaired), then detection.

The cascade, in order:

1. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides the codec.
2. Bytes that decode as strict UTF-8 are UTF-8 (the common case, and one a
   detector can misjudge on short texts). A few NUL bytes among them (at most
   :data:`MAX_NUL_SHARE` of the bytes) are dropped; more mean UTF-16 without
   a BOM, or a binary file, and go to step 4.
3. Bytes that are UTF-8 but for a cut-off last character, or for a few broken
   sequences (at least :data:`UTF8_EVIDENCE_RATIO` valid multi-byte
   characters per broken one), are UTF-8: the cut-off character is dropped
   and each broken sequence becomes U+FFFD.
4. Otherwise charset-normalizer detects the codec (cp1252, latin-1, UTF-16
   without BOM, ...). Its verdict is accepted only when its mess ratio is at
   most :data:`MAX_MESS_RATIO`; above that the input is treated as binary.
   Among readings within :data:`CP1252_TIE_CHAOS` of the best, Windows-1252
   wins: it is by far the most common legacy codec of Western news text, and
   the detector otherwise often picks cp1250, cp852 or a Mac code page for it
   ("naïve" read as "naďve"). Not when the cp1252 reading holds the letters
   where cp1254 keeps Turkish ones (Ð ð Ý ý Þ þ).

Bytes whose decoded text still holds NUL characters are binary and rejected.
Every repair or guess is described in :attr:`DecodedText.notes`, which ingest
puts in the report.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from analysis.errors import InputRejected

MAX_MESS_RATIO = 0.2
MAX_NUL_SHARE = 0.01
UTF8_EVIDENCE_RATIO = 10
CP1252_TIE_CHAOS = 0.05
_CP1254_TELLS = frozenset("ÐðÝýÞþ")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    """Decoded text, its codec, and what had to be repaired or guessed to get it."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


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
    except UnicodeDecodeError as error:
        repaired = _repaired_utf8(data, error)
        if repaired is not None:
            return repaired
        return _detect(data, reason_if_binary="binary or undecodable file (no text encoding fits)")
    nul_count = text.count("\x00")
    if nul_count == 0:
        return DecodedText(_normalise_newlines(text), "utf-8")
    if nul_count <= MAX_NUL_SHARE * len(data) and text.replace("\x00", "").strip():
        return DecodedText(_normalise_newlines(text.replace("\x00", "")), "utf-8",
                           (f"dropped {nul_count} NUL byte(s)",))
    return _detect(data, reason_if_binary="binary file (contains NUL bytes)")


def _repaired_utf8(data: bytes, error: UnicodeDecodeError) -> DecodedText | None:
    """UTF-8 with a cut-off last character or a few broken sequences, else None."""
    if error.reason == "unexpected end of data" and error.end == len(data):
        try:
            text = data[:error.start].decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and "\x00" not in text:
            return DecodedText(_normalise_newlines(text), "utf-8", (
                f"the file ends inside a UTF-8 character; its last {len(data) - error.start} "
                "byte(s) were dropped",))
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    if "\x00" in text or multibyte < UTF8_EVIDENCE_RATIO * broken:
        return None
    return DecodedText(_normalise_newlines(text), "utf-8", (
        f"{broken} invalid UTF-8 sequence(s) replaced by U+FFFD (first at byte {error.start})",))


def _detect(data: bytes, *, reason_if_binary: str) -> DecodedText:
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > MAX_MESS_RATIO:
        raise InputRejected(reason_if_binary)
    text, encoding = str(best), best.encoding
    if "cp1252" in best.could_be_from_charset:
        encoding = "cp1252"  # the same text; name the codec the file most likely used
    else:
        for match in matches:
            near_best = match.chaos <= best.chaos + CP1252_TIE_CHAOS
            if near_best and "cp1252" in match.could_be_from_charset:
                western = data.decode("cp1252", errors="replace")
                if not _CP1254_TELLS.intersection(western):
                    text, encoding = western, "cp1252"
                break
    if "\x00" in text:
        raise InputRejected(reason_if_binary)
    return DecodedText(_normalise_newlines(text), encoding,
                       (f"not UTF-8; decoded as {encoding} (detected)",))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
