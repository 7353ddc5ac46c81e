"""The original and its translation block by block, each pair marked with what looks wrong.

The fidelity checks judge the whole article; an editor needs to see *where*. A pair is flagged
when a link of the original block is missing from its translation (or one appears that the
original does not have), when a name a failed ``protected_names`` check reports missing occurs
in the original block but not in its translation, when the translation marks words left in another
language (``<span lang>``), and when either side has no counterpart.
Both sides are sanitised first, like everything the site shows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html
from markupsafe import Markup

from babelwire.models import Check
from babelwire.publish.sanitize import blocks, clean_html

# The names check words its failures as "'Wired' missing from block 2" (a Python repr).
_MISSING_NAME = re.compile(r"""(?:'([^']+)'|"([^"]+)") missing""")


@dataclass(frozen=True)
class Pair:
    """One block of the original beside its translation, and the problems seen in it."""

    original: Markup
    translation: Markup
    problems: tuple[str, ...]


def _hrefs(block: str) -> list[str]:
    if not block:
        return []
    return [str(h) for h in lxml.html.fragment_fromstring(block).xpath(".//a/@href")]


def _text(block: str) -> str:
    return lxml.html.fragment_fromstring(block).text_content() if block else ""


def missing_names(checks: Sequence[Check]) -> list[str]:
    """Names a failed ``protected_names`` or ``names`` check reports missing."""
    found = []
    for check in checks:
        if check.name in ("protected_names", "names") and not check.ok:
            found += [a or b for a, b in _MISSING_NAME.findall(check.detail)]
    return list(dict.fromkeys(found))


def _problems(original: str, translation: str, names: Sequence[str]) -> tuple[str, ...]:
    if not translation:
        return ("no translation for this block",)
    if not original:
        return ("this block has no counterpart in the original",)
    problems = []
    src, out = _hrefs(original), _hrefs(translation)
    problems += [f"link to {h} missing" for h in dict.fromkeys(src) if h not in out]
    problems += [f"link to {h} not in the original" for h in dict.fromkeys(out) if h not in src]
    src_text, out_text = _text(original), _text(translation)
    problems += [f"name “{n}” missing" for n in names if n in src_text and n not in out_text]
    foreign = _foreign(translation)
    if foreign:
        problems.append("left in another language: " + ", ".join(foreign))
    return tuple(problems)


def _foreign(block: str) -> list[str]:
    """The words a translation block marks as being in another language ("«word» (es)")."""
    fragment = lxml.html.fragment_fromstring(block, create_parent="div")
    return list(dict.fromkeys(f"“{s.text_content()}” ({s.get('lang')})"
                              for s in fragment.xpath(".//span[@lang]")))


def compare(original_html: str, translation_html: str, checks: Sequence[Check],
            base_url: str = "") -> list[Pair]:
    """The sanitised blocks of both sides, paired in order, with each pair's problems."""
    names = missing_names(checks)
    left = blocks(clean_html(original_html, base_url))
    right = blocks(clean_html(translation_html, base_url))
    # ``blocks`` only splits HTML that ``clean_html`` already sanitised: safe to mark up.
    return [Pair(Markup(o), Markup(t), _problems(o, t, names))
            for o, t in itertools.zip_longest(left, right, fillvalue="")]
