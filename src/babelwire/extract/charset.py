"""Decoding page bytes to text when the declared charset may be wrong.

The rule, in order:

1. a byte-order mark (UTF-8, UTF-16) decides;
2. bytes that decode as strict UTF-8 are UTF-8, whatever the page or server declares: text in a
   legacy 8-bit charset that contains any non-ASCII letter is almost never valid UTF-8 by chance,
   while pages served as UTF-8 but labelled ``iso-8859-1`` are common;
3. otherwise the charset given by the caller (the HTTP header), then the one declared in the page
   (``<meta charset>`` or ``http-equiv``), each only if the bytes decode with it without error
   (ISO-8859-1 is read as windows-1252, as browsers do);
4. otherwise charset_normalizer's guess, except that windows-1252 is taken whenever it is among the
   guesses that read the bytes about as cleanly as the best one (chaos within 0.1): on short Latin
   text charset_normalizer cannot tell windows-1252 from windows-1250 ("España" vs "Espańa"), and
   windows-1252 is both the web's most common legacy charset and browsers' default;
5. otherwise UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_CHAOS_MARGIN = 0.1
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Browsers read these labels as windows-1252, which defines the 0x80-0x9F range.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


def declared_charset(page: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KB, if any."""
    match = _META_CHARSET.search(page[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _try_decode(page: bytes, charset: str | None) -> str | None:
    """Decode strictly with ``charset``; None when the label is unknown or a byte does not fit."""
    if not charset:
        return None
    name = _WHATWG_ALIASES.get(charset.strip().lower(), charset.strip().lower())
    try:
        return page.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_html(page: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes by the rule in this module's docstring.

    ``encoding`` is the charset the server declared (HTTP ``Content-Type``), if known.
    Returns ``(text, charset actually used)``.
    """
    for bom, name in _BOMS:
        if page.startswith(bom):
            return page.decode(name, errors="replace"), name
    try:
        return page.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for candidate in (encoding, declared_charset(page)):
        text = _try_decode(page, candidate)
        if text is not None:
            return text, str(candidate).lower()
    guess = _detect(page)
    if guess is not None:
        return page.decode(guess, errors="replace"), guess
    return page.decode("utf-8", errors="replace"), "utf-8"


def _detect(page: bytes) -> str | None:
    """charset_normalizer's guess, windows-1252 preferred among near-equal ones (rule 4)."""
    matches = list(from_bytes(page))
    if not matches:
        return None
    best = min(match.chaos for match in matches)
    near = [m for m in matches if m.chaos <= best + _CHAOS_MARGIN]
    if any("cp1252" in m.could_be_from_charset for m in near):
        return "cp1252"
    return str(near[0].encoding)
