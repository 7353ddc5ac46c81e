"""Text that no block element holds, made into paragraphs the block model can score.

A page's segments (:func:`~babelwire.extract.features.segments`) are its leaf block elements.
Text written straight into an element that also holds block elements is in none of them::

    <div class="entry">Der Beschluss ist ergangen …<br><br>Das Gericht stellt fest …
      <h3>Aufbau</h3>Die Beklagte …<br><br>…</div>

so the model never judges it, and the combination can never add it (the review of
telemedicus.info is all such text: the model saw only its subheadings). :func:`wrap_runs` puts
each *run* of such text in a ``<p>`` of its own, in the parsed tree, before the segments are
read: a run is what stands between two block children of the element (the text and inline
elements, links and ``<br>`` included), cut where two ``<br>`` follow each other (a paragraph
break), and it is wrapped when it holds a word. The run's elements move into the ``<p>``
unchanged, so the page reads the same; trafilatura has read the tree before.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml import etree

#: Tags that hide their text (as in :mod:`~babelwire.extract.features`) and break a run.
HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head", "select", "option",
                    "button", "textarea", "iframe", "object", "math"})
_WORD = re.compile(r"\w")


def _holding(tree: etree._Element, tags: tuple[str, ...]) -> dict[etree._Element, None]:
    """The elements that hold an element of ``tags``, in document order of their marking."""
    holding: dict[etree._Element, None] = {}
    for element in tree.iter(*tags):
        parent = element.getparent()
        while parent is not None and parent not in holding:
            holding[parent] = None
            parent = parent.getparent()
    return holding


def _breaks(child: etree._Element, blocks: Collection[str],
            holding: Collection[etree._Element]) -> bool:
    """Whether ``child`` ends a run: a block, an element holding one, a hidden element, or the
    second ``<br>`` of two in a row."""
    tag = child.tag
    if not isinstance(tag, str):
        return False        # comments and processing instructions go with the run
    tag = tag.lower()
    if tag in blocks or tag in HIDDEN or child in holding:
        return True
    if tag != "br":
        return False
    before = child.getprevious()
    return before is not None and isinstance(before.tag, str) and before.tag.lower() == "br" \
        and not (before.tail or "").strip()


def _wrap(element: etree._Element, at: int, text: str | None,
          members: list[etree._Element]) -> bool:
    """Put ``text`` and ``members`` (children of ``element`` from index ``at``) in a new
    ``<p>`` at index ``at``, when they hold a word (whether they did)."""
    words = (text or "") + "".join(etree.tostring(m, method="text", encoding="unicode")
                                   for m in members)
    if not _WORD.search(words):
        return False
    paragraph = element.makeelement("p", {})
    paragraph.text = text
    element.insert(at, paragraph)
    for member in members:
        paragraph.append(member)     # moves it, with its tail
    return True


def _wrap_element(element: etree._Element, blocks: Collection[str],
                  holding: Collection[etree._Element]) -> None:
    """Wrap the runs of ``element``'s own text (see the module docstring)."""
    runs: list[tuple[etree._Element | None, list[etree._Element]]] = [(None, [])]
    for child in element:
        if _breaks(child, blocks, holding):
            runs.append((child, []))
        else:
            runs[-1][1].append(child)
    for opener, members in reversed(runs):   # from the end: earlier indexes stay valid
        if opener is None:
            text, element.text = element.text, None
            at = 0
        else:
            text, opener.tail = opener.tail, None
            at = element.index(opener) + 1
        if not _wrap(element, at, text, members):
            _restore(element, opener, text)


def _restore(element: etree._Element, opener: etree._Element | None, text: str | None) -> None:
    """Give back a run's text that was not wrapped."""
    if opener is None:
        element.text = text
    else:
        opener.tail = text


def wrap_runs(tree: etree._Element, blocks: tuple[str, ...]) -> None:
    """Wrap the runs of text that no element of ``blocks`` holds in ``<p>`` elements (see the
    module docstring), in place."""
    holding = _holding(tree, blocks)
    tags = frozenset(blocks)
    for element in list(holding):
        if isinstance(element.tag, str) and element.tag.lower() not in HIDDEN:
            _wrap_element(element, tags, holding)
