"""The Apertium engine kept alive between calls (translate/engines/apertium/) and its registry."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from babelwire.exceptions import ConfigError, EngineFailed, EngineUnavailable, UnsupportedPair
from babelwire.settings import Settings
from babelwire.translate import markup
from babelwire.translate.engines.apertium.engine import ApertiumEngine, _Pipeline
from babelwire.translate.engines.apertium.process import INLINE_WRITE, KeptProcess
from babelwire.translate.engines.apertium.tagger import ModeParts, split_mode
from babelwire.translate.engines.base import Engine, translate
from babelwire.translate.engines.registry import build_engines, describe_engines


@pytest.fixture(scope="module")
def engine(apertium: ApertiumEngine) -> ApertiumEngine:
    return apertium


def test_pairs_are_iso_codes(engine: ApertiumEngine) -> None:
    assert isinstance(engine, Engine)
    assert {("en", "es"), ("es", "en"), ("fr", "es"), ("es", "fr")} <= set(engine.pairs())
    assert ("en", "fr") not in engine.pairs()


def test_plain_batch_keeps_order_and_count(engine: ApertiumEngine) -> None:
    out = translate(engine, ["Hello world.", "", "The house is red.", "Line one\nline two."],
                           "en", "es")
    assert out[0] == "Hola Mundo."
    assert out[1] == ""
    assert out[2] == "La casa es roja."
    assert "\n" not in out[3] and len(out) == 4


def test_special_characters_survive(engine: ApertiumEngine) -> None:
    out = translate(engine, ["Rates [x] rose 5 $ at home @ 50% {a} &lt;b&gt; back\\slash."],
                           "en", "es")[0]
    nodes = markup.parse(out)
    markup.strip_unknown(nodes)
    text = markup.plain_text(nodes)
    for piece in ("[x]", "$", "@", "{", "}", "<b>", "\\"):
        assert piece in text, text


def test_english_no_before_a_stop_is_the_word_unless_a_number_follows(
        engine: ApertiumEngine) -> None:
    # newstest2013 en 2308-2309, "Yes." / "And no.": the human translation has "Y no."; the
    # English analyser reads "no." as the abbreviation of "number" and wrote "Y núm.". Before a
    # number it is that abbreviation ("No. 10", "no. 2").
    out = translate(engine, ["And no.", "He said no. Then he left.", "No. 10 said no."],
                    "en", "es")
    assert out[0] == "Y no."
    assert out[1].startswith("Dijo no. "), out[1]
    assert "núm" not in out[0] + out[1]
    assert out[2] == "Núm. 10 dijo no.", out[2]


def test_english_on_before_a_noun_phrase_is_a_preposition(engine: ApertiumEngine) -> None:
    # newstest2013 en 99, 101, 193: eng-spa's tagger read "on" as the adverb ("encima") before
    # a name, a bare noun or a noun after an article: "Estudios encima la vitamina E", "el
    # efecto de vitamina D encima el cáncer", "una ley encima eutanasia"
    out = translate(engine, [
        "Studies on vitamin E are contradictory, according to the SCC.",
        "Also the effect of vitamin D on cancer is not clear.",
        "It is precisely this large gap in Quebec health care which has made a number of "
        "palliative care physicians fear the adoption of a law on euthanasia and assisted "
        "suicide.",
        "Later on, he left."], "en", "es")
    assert "encima" not in " ".join(out[:3]), out
    assert "vitamina D en el cáncer" in out[1] and "una ley en eutanasia" in out[2], out
    assert "encima" in out[3]          # an adverb before a comma stays one
    # newstest2013 en 1478: "I" after a dash was read as the Roman numeral and published as
    # "- I siempre gustado"
    out = translate(engine, ["I have the Aston Martin, by the way, because it was my dream as a "
                             "boy - I always liked James Bond."], "en", "es")
    assert "- I " not in out[0] and "- yo " in out[0], out


def test_apertium_marks_are_read_and_never_left_as_text(engine: ApertiumEngine) -> None:
    # National Rail's replacement-bus page (trafilatura's evaluation pages): eng-spa lacks
    # "subject" and writes it "\\@subject", escaped like a literal "@" of the text; Wikipedia's
    # t-SNE article (same set): "{\\displaystyle N}" is an unknown word after an escaped
    # backslash, written "\\\\*displaystyle". Both were published with the mark as text.
    out = translate(engine, [
        "Other animals are subject to the drivers discretion and will depend on the bus "
        "operators policy and space available on board.",
        "Given a set of N {\\displaystyle N} high-dimensional objects",
        "Write to hello@foxyfolksy.com or tag @foxyfolksy"], "en", "es")
    assert "<u>subject</u>" in out[0] and "@" not in out[0], out[0]
    assert "{\\<u>displaystyle</u>" in out[1] and "*" not in out[1], out[1]
    # a literal "@" stays: inside an address, and before a word (no mark is then read as one)
    assert "hello@foxyfolksy.com" in out[2] and "@<u>foxyfolksy</u>" in out[2], out[2]


def test_a_bracket_before_a_link_is_text_not_a_blank(engine: ApertiumEngine) -> None:
    # Wikipedia's section headings (en.wikipedia.org t-SNE, in trafilatura's evaluation pages):
    # "Details[<a>edit</a>]" once came back as "Detalles\\edita]", the link gone.
    out = translate(engine, ['Details[<g id="2">edit</g>]', 'see [<g id="3">1</g>] here',
                            '<g id="2">[</g>'], "en", "es")
    assert out[0].startswith('Detalles[<g id="2">') and out[0].endswith("</g>]")
    assert '[<g id="3">1</g>]' in out[1]
    assert out[2] == '<g id="2">[</g>'


@pytest.mark.parametrize("segment", ['<g id="2">^</g>', "Jump up to the note ^",
                                     "the cat^^"])
def test_a_caret_at_the_end_of_a_segment_does_not_hang_the_pipeline(segment: str) -> None:
    # Wikipedia's "^" back-links to references: apertium-transfer lost the end of a segment
    # whose last word was an escaped caret, and the call waited for it until the timeout.
    engine = ApertiumEngine(timeout=5)
    try:
        out = translate(engine, [segment, "The house is red."], "en", "es")
    finally:
        engine.close()
    assert markup.plain_text(markup.parse(out[0])).endswith("^")
    assert out[1] == "La casa es roja."


def test_a_generation_error_leaves_no_tags_in_the_text(engine: ApertiumEngine) -> None:
    # French "y" alone: Apertium's generator answers "#\\<prn\\>" (no lemma, only tags).
    out = translate(engine, ["x ^ y"], "fr", "es")[0]
    assert "<prn" not in out and "prn" not in out and "#" not in out


def test_protected_term_comes_back_verbatim_and_in_place(engine: ApertiumEngine) -> None:
    out = translate(engine, ['It was reported by <k id="1">Wired</k> today.',
                            'Analysts at <k id="1">Morgan Stanley</k> wrote it.'], "en", "es")
    assert '<k id="1">Wired</k>' in out[0] and "Alambr" not in out[0]
    assert '<k id="1">Morgan Stanley</k>' in out[1]
    assert out[0].startswith("Estuvo informado por") or "informad" in out[0]


def test_a_terms_word_that_lost_its_blank_does_not_come_back_beside_it(
        engine: ApertiumEngine) -> None:
    # English -> Catalan writes a past tense as "van" + infinitive, and only "van" keeps the
    # term's blank: "on United Airlines" came back "damunt Unir United Airlines" (then
    # "sur Unir United Airlines" in French). Where the source has another capitalised word,
    # transfer may have moved it in between, and it stays ("la Asociación Voices for Africa").
    out = translate(engine, ['Passengers on <k id="1">United Airlines</k> were stranded.'],
                    "en", "ca")[0]
    assert '<k id="1">United Airlines</k>' in out and "Unir" not in out, out
    out = translate(engine, ['The <k id="1">Voices for Africa</k> Association has found '
                             'sponsors.'], "en", "es")[0]
    assert "Asociación" in out and '<k id="1">Voices for Africa</k>' in out, out
    # (newstest2013 en 2055, the sentence's first word: "el presidente nuevo Enrique de
    # México Pena Nieto")
    out = translate(engine, ['Mexico\'s new president <k id="1">Enrique Pena Nieto</k> will '
                             'receive the presidential sash.'], "en", "es")[0]
    assert "México" in out, out

def test_links_travel_with_their_words(engine: ApertiumEngine) -> None:
    out = translate(engine, ['He said the <g id="1">report</g> was wrong.',
                            'according to <g id="1"><k id="2">Bloomberg</k></g> and others.'],
                           "en", "es")
    assert '<g id="1">informe</g>' in out[0]
    assert '<g id="1"><k id="2">Bloomberg</k></g>' in out[1]
    assert out[1].startswith("según")          # lower case kept: the source started so


def test_placeholder_keeps_its_place(engine: ApertiumEngine) -> None:
    out = translate(engine, ['He spoke to <x id="7"/> yesterday.'], "en", "es")[0]
    assert '<x id="7"/>' in out


def test_unknown_words_are_marked(engine: ApertiumEngine) -> None:
    out = translate(engine, ["The prototypes were unusable."], "en", "es")[0]
    assert "<u>unusable</u>" in out


def test_unsupported_pair(engine: ApertiumEngine) -> None:
    with pytest.raises(UnsupportedPair):
        translate(engine, ["Hello."], "en", "fr")


def test_concurrent_calls_share_one_pipeline(engine: ApertiumEngine) -> None:
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        results[n] = translate(engine, [f"The house is red and has {n} doors."] * 20, "en", "es")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n, texts in results.items():
        assert texts == [f"La casa es roja y tiene {n} puertas."] * 20


def test_dead_pipeline_is_restarted() -> None:
    eng = ApertiumEngine()
    try:
        assert translate(eng, ["Good morning."], "en", "es") == ["Buenos días."]
        pipeline = eng._pipelines[("en", "es")]
        assert pipeline.after is not None
        os.killpg(pipeline.after.proc.pid, signal.SIGKILL)
        pipeline.after.proc.wait()
        assert translate(eng, ["Good morning."], "en", "es") == ["Buenos días."]
    finally:
        eng.close()


def test_timeout_raises_engine_failed() -> None:
    pipeline = _Pipeline(ModeParts("cat > /dev/null", (), ""), 0.3, "stuck")
    with pytest.raises(EngineFailed, match="timed out"):
        pipeline.run(["Hello."])
    assert not pipeline.alive()


def test_a_tagger_that_never_answers_times_out() -> None:
    pipeline = _Pipeline(ModeParts("cat", ("sleep", "30"), "cat"), 0.3, "stuck")
    with pytest.raises(EngineFailed, match="timed out"):
        pipeline.run(["Hello."])
    assert not pipeline.alive()


def test_the_mode_is_cut_around_its_tagger(engine: ApertiumEngine) -> None:
    command = engine._command("es", "fr")
    parts = split_mode(command)
    assert parts.before.endswith("apertium-wblank-attach")
    assert parts.tagger[:2] == ("apertium-tagger", "-d")
    assert parts.tagger[-1].endswith("es-fr.prob") and "$2" not in parts.tagger
    assert parts.after.startswith("apertium-pretransfer -z")
    assert command.replace(" $2", "") == " | ".join(
        [parts.before, " ".join(parts.tagger).replace(" -d", "").replace(
            parts.tagger[-1], f"'{parts.tagger[-1]}'"), parts.after])


def test_a_bar_inside_quotes_does_not_cut_the_pipeline() -> None:
    parts = split_mode("lt-proc 'a|b.bin' | apertium-tagger -z -g $2 'x.prob' | sed 's/|/!/'")
    assert parts == ModeParts("lt-proc 'a|b.bin'", ("apertium-tagger", "-d", "-z", "-g",
                                                     "x.prob"), "sed 's/|/!/'")
    assert split_mode("cat | tr a b") == ModeParts("cat | tr a b", (), "")


def test_a_perceptron_tagger_is_not_cut_out(engine: ApertiumEngine) -> None:
    command = engine._command("en", "ca")
    assert "apertium-tagger -z -gx" in command        # English -> Catalan: averaged perceptron
    assert split_mode(command) == ModeParts(command, (), "")
    assert split_mode("a | apertium-tagger -z --perceptron -g m.prob | b").tagger == ()
    assert translate(engine, ["The workers were stacking coffins."], "en", "ca") \
        == ["Els obrers amuntegaven taüts."]
    assert engine._pipelines[("en", "ca")].tagger is None


def test_a_dead_tagger_fails_its_call_and_the_engine_starts_a_new_pipeline() -> None:
    eng = ApertiumEngine()
    try:
        assert translate(eng, ["Buenos días."], "es", "fr") == ["Bonjour."]
        pipeline = eng._pipelines[("es", "fr")]
        assert pipeline.tagger is not None
        pipeline.tagger._tagger.process.proc.kill()
        pipeline.tagger._tagger.process.proc.wait()
        with pytest.raises(EngineFailed, match="tagger"):
            pipeline.run(["Buenos días."])
        assert not pipeline.alive()
        assert translate(eng, ["Buenos días."], "es", "fr") == ["Bonjour."]
        assert eng._pipelines[("es", "fr")] is not pipeline
    finally:
        eng.close()


def test_missing_modes_say_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable) as info:
        ApertiumEngine(Settings(apertium_modes_dir=str(tmp_path)))
    assert "apt-get install apertium" in info.value.hint


def test_registry_builds_engines_from_settings(settings: Settings) -> None:
    engines = build_engines(settings)
    try:
        assert [e.name for e in engines] == ["apertium"]
    finally:
        for e in engines:
            e.close()
    with pytest.raises(ConfigError):
        build_engines(settings.replace(engines="nosuchengine"))


def test_describe_engines_lists_pairs_and_pivots(settings: Settings) -> None:
    statuses = {s.name: s for s in describe_engines(settings)}
    apertium = statuses["apertium"]
    assert apertium.available and ("en", "es") in apertium.pairs
    assert any(p.startswith("en→fr (via es)") for p in apertium.pivots)
    broken = describe_engines(settings.replace(apertium_modes_dir="/nonexistent"))
    assert not broken[0].available and "apt-get install" in broken[0].hint


def test_a_small_payload_is_written_at_once_and_a_large_one_from_a_thread() -> None:
    process = KeptProcess(["cat"])
    try:
        errors: list[BaseException] = []
        assert process.post(b"short\0", errors) is None
        assert process.read_answers(1, time.monotonic() + 5) == [b"short"]
        large = b"x" * (INLINE_WRITE + 1)
        writer = process.post(large + b"\0", errors)       # more than an empty pipe may hold
        assert writer is not None
        assert process.read_answers(1, time.monotonic() + 5) == [large]
        writer.join(5)
        assert process.ask("again", 5) == "again" and not errors
    finally:
        process.close()
