"""The engine-neutral inline markup (translate/markup.py)."""

from __future__ import annotations

import pytest

from babelwire.translate import markup


@pytest.mark.parametrize("segment", [
    'according to <g id="1"><k id="2">Bloomberg</k></g> &amp; others &lt;3',
    'a <x id="3"/> b <g id="1">c <g id="2">d</g></g>',
    "plain text",
])
def test_round_trip(segment: str) -> None:
    assert markup.serialize(markup.parse(segment)) == segment


def test_parse_is_forgiving() -> None:
    nodes = markup.parse('a </g> b <g id="1">c <k id="2">d</g> e')
    assert markup.serialize(nodes) == 'a  b <g id="1">c <k id="2">d</k></g> e'
    assert markup.count_ids(nodes) == {("g", 1): 1, ("k", 2): 1}


def test_unknown_words_are_counted_and_unwrapped() -> None:
    nodes = markup.parse('acabando un <u>reliance</u> en <g id="1"><u>Qualcomm</u></g>')
    assert markup.strip_unknown(nodes) == 2
    assert markup.serialize(nodes) == 'acabando un reliance en <g id="1">Qualcomm</g>'
