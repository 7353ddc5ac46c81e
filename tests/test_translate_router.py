"""Routing language pairs to engines, directly or through a pivot (translate/router.py)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from babelwire.exceptions import UnsupportedPair
from babelwire.settings import Settings
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import Answer, Job
from babelwire.translate.router import Router, build_router


def test_direct_pair(router: Router) -> None:
    route = router.route("es", "en")
    assert route.pivot is None and route.label == "apertium"


def test_english_to_french_pivots_through_spanish(router: Router) -> None:
    route = router.route("en", "fr")
    assert route.pivot == "es"
    assert [(s.src, s.tgt) for s in route.steps] == [("en", "es"), ("es", "fr")]
    routed = router.translate(['Analysts at <k id="1">Morgan Stanley</k> wrote '
                               '<g id="1">the report</g> today.'], "en", "fr")
    assert routed.engine == "apertium (en→es→fr)"
    text = routed.texts[0]
    assert '<k id="1">Morgan Stanley</k>' in text and '<g id="1">' in text
    assert "aujourd'hui" in text


def test_unsupported_pair(router: Router) -> None:
    with pytest.raises(UnsupportedPair):
        router.route("en", "ja")


class _Fake:
    """An engine that only says which pairs it serves and tags what it translated."""

    max_segments = 0

    def __init__(self, name: str, pairs: set[tuple[str, str]]) -> None:
        self.name = name
        self._pairs = dict.fromkeys(pairs, "")
        self.closed = False

    def pairs(self) -> Mapping[tuple[str, str], str]:
        return self._pairs

    def run(self, job: Job) -> Answer:
        return Answer([f"{s}|{self.name}:{job.src}>{job.tgt}" for s in job.segments])

    def close(self) -> None:
        self.closed = True


def test_engines_are_tried_in_order_and_closed() -> None:
    first, second = _Fake("one", {("en", "es")}), _Fake("two", {("en", "es"), ("es", "de")})
    router = Router([first, second])
    assert router.translate(["x"], "en", "es").texts == ["x|one:en>es"]
    routed = router.translate(["x"], "en", "de")
    assert routed.texts == ["x|one:en>es|two:es>de"]
    assert routed.engine == "one+two (en→es→de)"
    router.close()
    assert first.closed and second.closed


def test_build_router_from_settings(settings: Settings) -> None:
    router = build_router(settings)
    try:
        assert router.route("fr", "es").label == "apertium"
    finally:
        router.close()


def test_segments_without_a_letter_are_not_sent_to_an_engine() -> None:
    # Reference marks, years and separators as link texts or whole segments (Wikipedia's "^"
    # back-links, "[1]", a table cell "2009"): nothing to translate, and engines mangle them.
    fake = _Fake("fake", {("en", "es")})
    router = Router([fake])
    try:
        segments = ['<g id="2">^</g>', "[1]", "2009", "|", "The house.", '<g id="1">x</g> ^']
        routed = router.translate(segments, "en", "es")
    finally:
        router.close()
    assert routed.texts[:4] == segments[:4]
    assert routed.texts[4:] == ["The house.|fake:en>es", '<g id="1">x</g> ^|fake:en>es']
    assert routed.engine == "fake"


class _Recording:
    """An engine that hands every job to Apertium and notes its pair."""

    name = "apertium"
    max_segments = 0

    def __init__(self, engine: ApertiumEngine) -> None:
        self.engine = engine
        self.pairs_asked: list[tuple[str, str]] = []

    def pairs(self) -> dict[tuple[str, str], str]:
        return self.engine.pairs()

    def run(self, job: Job) -> Answer:
        self.pairs_asked.append((job.src, job.tgt))
        return self.engine.run(job)

    def close(self) -> None:
        pass


def test_only_a_word_the_target_does_not_know_sends_a_sentence_through_other_pivots(
        apertium: ApertiumEngine) -> None:
    # a protected name is not a word the target should know: no other pivot is asked
    recording = _Recording(apertium)
    router = Router([recording])
    named = 'Analysts at <k id="1">Zxqvbn Holdings</k> wrote the report today.'
    alone = router.translate([named], "en", "fr").texts
    assert recording.pairs_asked == [("en", "es"), ("es", "fr")]
    # a word the engine did not know is: English -> Catalan -> French is tried for it
    recording.pairs_asked.clear()
    both = router.translate([named, "The hazmat workers were stacking coffins."], "en", "fr")
    assert ("en", "ca") in recording.pairs_asked
    assert both.texts[0] == alone[0]        # the named sentence reads as before


class _Starting(_Fake):
    """A fake engine that notes which legs it was asked to start."""

    def __init__(self, name: str, pairs: set[tuple[str, str]]) -> None:
        super().__init__(name, pairs)
        self.started: list[tuple[str, str]] = []

    def start(self, src: str, tgt: str) -> None:
        self.started.append((src, tgt))


@pytest.mark.parametrize("route_choice", [True, False])
def test_start_starts_the_legs_of_every_route_route_choice_may_take(route_choice: bool) -> None:
    engine = _Starting("one", {("en", "es"), ("es", "fr"), ("en", "ca"), ("ca", "fr")})
    router = Router([engine], settings=Settings(engines=("one",), route_choice=route_choice))
    router.start("en", "fr")
    first = [("en", "es"), ("es", "fr")]
    assert engine.started == ([*first, ("en", "ca"), ("ca", "fr")] if route_choice else first)
    router.start("en", "de")             # no route: nothing to start, no error
    assert len(engine.started) == (4 if route_choice else 2)


def test_a_started_pipeline_translates_as_one_started_by_its_first_call() -> None:
    # the same processes either way, started earlier: the answers are the same, byte for byte
    lines = ["El ejército avanzó bajo su mando.", "Era cierto que llovía."]
    fresh, started = ApertiumEngine(), ApertiumEngine()
    try:
        started.start("es", "fr")
        assert ("es", "fr") in started._pipelines
        assert started._translate("es", "fr", lines) == fresh._translate("es", "fr", lines)
    finally:
        fresh.close()
        started.close()
    with pytest.raises(UnsupportedPair):
        started.start("es", "ja")
