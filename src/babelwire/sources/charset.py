"""Turning the bytes of a feed or a page into correct Unicode, whatever their declarations claim.

feedparser follows RFC 3023 to the letter (``text/xml`` without a charset means US-ASCII, no header
means ISO-8859-1), pages often declare one charset and are written in another, and real servers
say whatever they like, so text comes out as mojibake. We decode first, the way browsers and
Miniflux do (feedparser is then handed UTF-8 only), by one rule for feeds and pages alike:

1. a byte order mark wins;
2. UTF-16/32 without a mark is recognised from the ``<`` of the first markup;
3. bytes that are valid UTF-8 are UTF-8 (a single-byte text that happens to be valid UTF-8 is
   vanishingly rare, while "declared ISO-8859-1, written in UTF-8" is common); so are bytes that
   are UTF-8 but for a few stray bytes, at least :data:`WHOLE_PER_STRAY` whole multi-byte
   characters for each (a string that a CMS cut inside a character, an alt text or a comment
   pasted in windows-1252): each stray byte is read as windows-1252. A single such byte used to
   send the whole page to chardet, which read it as Mac Roman or windows-1252: every accented
   letter of the article garbled. (Single-byte text almost never holds a valid multi-byte
   sequence: a letter of 0xC0-0xF4 followed by one of 0x80-0xBF, such as "Ã©".)
4. else the HTTP charset, then the document's own declaration (the XML declaration of a feed, the
   ``<meta>`` charset of a page), whichever decodes cleanly, read as browsers read the label
   (ISO-8859-1 as windows-1252 and so on);
5. else chardet's guess, else windows-1252 with replacement characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import chardet

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Byte patterns of "<" followed by an ASCII character in the wide encodings (XML 1.0 appendix F).
_WIDE = (
    (re.compile(rb"^\x00\x00\x00<"), "utf-32-be"),
    (re.compile(rb"^<\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"^\x00<\x00[^\x00]"), "utf-16-be"),
    (re.compile(rb"^<\x00[^\x00]\x00"), "utf-16-le"),
)

_XML_DECL_ENCODING = re.compile(
    rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']"
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)

# Labels whose web meaning is wider than Python's codec of the same name (WHATWG Encoding
# Standard): servers that say latin-1 send windows-1252, and so on.
_WEB_SUPERSETS = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}

# Control characters XML 1.0 forbids; they make the strict parser give up on the whole document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# C1 controls written where windows-1252 punctuation was meant ("don\x92t"): never real text.
_C1_AS_CP1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}

_SNIFF_BYTES = 65_536


def codec_for(label: str | None) -> str | None:
    """Python codec name for an encoding label, widened as browsers do; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _WEB_SUPERSETS.get(name, name)


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, if any."""
    match = _CHARSET_PARAM.search(content_type or "")
    return match.group(1) if match else None


def declared_encoding(content: bytes) -> str | None:
    """The encoding named by the XML declaration (which may follow comments), if any."""
    match = _XML_DECL_ENCODING.search(content[:1024])
    return match.group(1).decode("ascii") if match else None


def declared_charset(page: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KB, if any."""
    match = _META_CHARSET.search(page[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode_xml(content: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a feed document; returns (text, codec used). Never raises on bad bytes."""
    text, codec = _decode(content, charset_of(content_type), declared_encoding(content))
    return clean_text(text), codec


WHOLE_PER_STRAY = 4


def _stray_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: the bytes UTF-8 cannot read, read as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start:error.end]
    return bytes(stray).decode("cp1252", errors="replace"), error.end


codecs.register_error("babelwire-stray-cp1252", _stray_as_cp1252)
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _nearly_utf8(content: bytes) -> str | None:
    """The text of ``content`` when it is UTF-8 but for a few stray bytes (rule 3 of this
    module's docstring), those read as windows-1252; None when it is not."""
    replaced = content.decode("utf-8", errors="replace")
    marks = replaced.count("\ufffd")
    stray = marks - content.count("\ufffd".encode())
    whole = len(_NON_ASCII.findall(replaced)) - marks
    if stray <= 0 or whole < WHOLE_PER_STRAY * stray:
        return None
    return content.decode("utf-8", errors="babelwire-stray-cp1252")


def decode_html(page: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode a page; ``encoding`` is the charset the server declared (HTTP ``Content-Type``), if
    known. Returns (text, codec used). Never raises on bad bytes."""
    return _decode(page, encoding, declared_charset(page))


def _decode(content: bytes, http: str | None, declared: str | None) -> tuple[str, str]:
    """The rule of this module's docstring."""
    wide = _unicode_form(content)
    if wide is not None:
        codec, skip = wide
        return content[skip:].decode(codec, errors="replace"), codec
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    nearly = _nearly_utf8(content)
    if nearly is not None:
        return nearly, "utf-8"
    for label in _labels(content, http, declared):
        candidate = codec_for(label)
        if candidate is None or candidate == "utf-8":
            continue
        try:
            return content.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    return content.decode("cp1252", errors="replace"), "cp1252"


def sniff_text(head: bytes) -> str:
    """The start of a document as text good enough to find its markup (not its exact letters)."""
    wide = _unicode_form(head)
    if wide is None:
        return head.decode("latin-1")
    codec, skip = wide
    return head[skip:].decode(codec, errors="replace")


def _unicode_form(content: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) for UTF-8 with a BOM and for UTF-16/32; None for anything else."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec, len(bom)
    for pattern, codec in _WIDE:
        if pattern.match(content):
            return codec, 0
    return None


def clean_text(text: str) -> str:
    """Drop characters XML forbids and turn stray C1 controls into the windows-1252 they meant."""
    return _XML_ILLEGAL.sub("", text).translate(_C1_AS_CP1252)


def _labels(content: bytes, http: str | None, declared: str | None) -> Iterator[str | None]:
    """Encodings to try, in order; chardet (slow) only runs if the declared ones fail."""
    yield http
    yield declared
    guess = chardet.detect(content[:_SNIFF_BYTES]).get("encoding")
    yield str(guess) if guess else None
