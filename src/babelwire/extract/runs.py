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

Runs are wrapped only in an element *beside trafilatura's body*: one that holds a paragraph of
that body, as a leaf block child or as one of its own runs (:func:`_beside_body`). Wrapped
everywhere, runs made segments of menus, sidebars and comment threads too (text written between
``<br>`` or beside a heading is common there), and the model took some of them for article
text: on a page whose body trafilatura missed, the model's own reading (the fallback of
:mod:`~babelwire.extract.article`) then held a comment thread (macrumors.com), and an
unmatched block of a whole page of menus held a segment of running text, so it was no longer
judged as furniture (jaraguadosul.com.br). Beside the body, a run is the article's own text
that trafilatura cut out, or a box within it, which the model then judges like any paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml import etree

from babelwire.extract.blocks import collapse

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


def _words(text: str | None, members: list[etree._Element]) -> str:
    return (text or "") + "".join(etree.tostring(m, method="text", encoding="unicode",
                                                 with_tail=True) for m in members)


def _wrap(element: etree._Element, at: int, text: str | None,
          members: list[etree._Element]) -> etree._Element:
    """Put ``text`` and ``members`` (children of ``element`` from index ``at``) in a new
    ``<p>`` at index ``at``."""
    paragraph = element.makeelement("p", {})
    paragraph.text = text
    element.insert(at, paragraph)
    for member in members:
        paragraph.append(member)     # moves it, with its tail
    return paragraph


_Run = tuple[etree._Element | None, list[etree._Element]]


def _beside_body(element: etree._Element, words: list[str], blocks: Collection[str],
                 holding: Collection[etree._Element], body: Collection[str]) -> bool:
    """Whether ``element`` holds a paragraph of trafilatura's body: a leaf block child, or one
    of its runs (their ``words``), whose text is a line of ``body``."""
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag.lower() in blocks and child not in holding \
                and collapse(child.text_content()) in body:
            return True
    return any(collapse(text) in body for text in words)


def _wrap_element(element: etree._Element, blocks: Collection[str],
                  holding: Collection[etree._Element], body: Collection[str],
                  made: list[etree._Element]) -> None:
    """Wrap the runs of ``element``'s own text when it stands beside ``body`` (see the module
    docstring), adding the new ``<p>`` to ``made``."""
    runs: list[_Run] = [(None, [])]
    for child in element:
        if _breaks(child, blocks, holding):
            runs.append((child, []))
        else:
            runs[-1][1].append(child)
    if not any(members for _, members in runs) and not (element.text or "").strip() \
            and not any((opener.tail or "").strip() for opener, _ in runs if opener is not None):
        return      # block children only, with white space between them: no run
    # each run's text (the opener's tail, or the element's own text for the first)
    words = [_words(element.text if opener is None else opener.tail, members)
             for opener, members in runs]
    if not _beside_body(element, words, blocks, holding, body):
        return
    # from the end: earlier indexes stay valid; only a run that holds a word is wrapped
    for (opener, members), text in zip(reversed(runs), reversed(words), strict=True):
        if not _WORD.search(text):
            continue
        if opener is None:
            own, element.text = element.text, None
            at = 0
        else:
            own, opener.tail = opener.tail, None
            at = element.index(opener) + 1
        made.append(_wrap(element, at, own, members))


def wrap_runs(tree: etree._Element, blocks: tuple[str, ...],
              body: Collection[str]) -> list[etree._Element]:
    """Wrap the runs of text that no element of ``blocks`` holds in ``<p>`` elements, in place,
    in the elements that hold a line of trafilatura's ``body`` (see the module docstring);
    the new ``<p>`` elements."""
    holding = _holding(tree, blocks)
    tags = frozenset(blocks)
    made: list[etree._Element] = []
    for element in list(holding):
        if isinstance(element.tag, str) and element.tag.lower() not in HIDDEN:
            _wrap_element(element, tags, holding, body, made)
    return made
