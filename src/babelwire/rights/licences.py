"""Creative Commons licences from their URLs, in every form pages write them.

A licence URL is recognised when it names a Creative Commons licence or public-domain tool:
``http``/``https``/scheme-relative, with or without ``www.``, ``licenses`` or ``licences``, with
or without a version, a jurisdiction port (``/3.0/de/``) and a deed or legal-code page in any
language (``deed.fr``, ``legalcode.de``). Each is turned into one canonical URL, so that two
spellings of the same licence are one licence. Anything else is not a licence babelwire knows
(``parse_licence`` returns None); the policy then treats the page as all rights reserved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

CC_HOSTS = frozenset({"creativecommons.org", "www.creativecommons.org"})
_VERSION = re.compile(r"^\d+(?:\.\d+)?$")
_JURISDICTION = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2,4})?$")
_PAGE = re.compile(r"^(?:deed|legalcode)(?:\.[\w-]+)?$|^rdf$|^$")
# CC licence codes, old spellings included, to their usual order of elements
_CODES = {
    "by": "by", "by-sa": "by-sa", "by-nd": "by-nd", "by-nc": "by-nc", "by-nc-sa": "by-nc-sa",
    "by-nc-nd": "by-nc-nd", "by-nd-nc": "by-nc-nd", "by-sa-nc": "by-nc-sa",
    "nd": "nd", "nc": "nc", "sa": "sa", "nc-sa": "nc-sa", "nd-nc": "nc-nd", "nc-nd": "nc-nd",
}
_PUBLIC_DOMAIN = {"zero": "CC0", "mark": "Public Domain Mark"}


@dataclass(frozen=True)
class Licence:
    """A recognised licence: its canonical URL, its short name and what it allows."""

    url: str
    name: str
    derivatives: bool = True      # a translation is a derivative work
    commercial: bool = True
    share_alike: bool = False
    attribution: bool = True

    @property
    def restriction(self) -> int:
        """How much the licence forbids, to pick the stricter of two: no derivatives weighs
        more than non-commercial, which weighs more than share-alike, than attribution."""
        return (8 * (not self.derivatives) + 4 * (not self.commercial) + 2 * self.share_alike
                + self.attribution)


def parse_licence(url: str) -> Licence | None:
    """The licence ``url`` names, or None if it is not a Creative Commons licence URL."""
    raw = url.strip()
    try:
        parts = urlsplit(raw if "//" in raw else "//" + raw)
        host = parts.hostname or ""
    except ValueError:               # "http://[not an address]/": no URL at all
        return None
    if parts.scheme not in ("", "http", "https") or host not in CC_HOSTS:
        return None
    path = [p for p in parts.path.lower().split("/") if p]
    if len(path) < 2:
        return None
    if path[0] == "publicdomain":
        return _public_domain(path[1:])
    if path[0] not in ("licenses", "licences") or path[1] not in _CODES:
        return None
    return _cc_licence(_CODES[path[1]], path[2:])


def _cc_licence(code: str, rest: list[str]) -> Licence | None:
    version = rest.pop(0) if rest and _VERSION.match(rest[0]) else ""
    port = rest.pop(0) if version and rest and _JURISDICTION.match(rest[0]) \
        and not _PAGE.match(rest[0]) else ""
    if len(rest) > 1 or (rest and not _PAGE.match(rest[0])):
        return None
    tail = "/".join(p for p in (version, port) if p)
    url = f"https://creativecommons.org/licenses/{code}/" + (tail + "/" if tail else "")
    name = " ".join(p for p in ("CC", code.upper(), version, port.upper()) if p)
    elements = code.split("-")
    return Licence(url=url, name=name, derivatives="nd" not in elements,
                   commercial="nc" not in elements, share_alike="sa" in elements,
                   attribution="by" in elements)


def _public_domain(rest: list[str]) -> Licence | None:
    tool = _PUBLIC_DOMAIN.get(rest[0]) if rest else None
    if tool is None:
        return None
    version = rest[1] if len(rest) > 1 and _VERSION.match(rest[1]) else "1.0"
    return Licence(url=f"https://creativecommons.org/publicdomain/{rest[0]}/{version}/",
                   name=f"{tool} {version}", attribution=False)


def stricter(a: Licence, b: Licence) -> Licence:
    """The licence that forbids more (the first of two that forbid as much)."""
    return b if b.restriction > a.restriction else a
