"""The CTranslate2 engine on a tiny model built on the spot (no download anywhere).

The model (tests/fakes/tiny.py) has random weights: its output is gibberish, so these tests
check the real plumbing (Argos package install and discovery, SentencePiece, CTranslate2 loading,
batching across concurrent callers, decoding, usage counts) and that the fidelity checks reject
gibberish and fall back to Apertium.
"""

from __future__ import annotations

import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from babelwire.cli.common import cli
from babelwire.cli.models import models
from babelwire.exceptions import ConfigError, EngineUnavailable
from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.settings import Settings
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import Job, translate
from babelwire.translate.engines.neural import NeuralEngine
from babelwire.translate.engines.neural_models import (
    ModelInfo,
    find_models,
    install_package,
    models_dirs,
    read_model,
)
from babelwire.translate.router import Router
from tests.fakes import tiny

DATA = Path(__file__).parent / "data" / "engines"
CORPUS = (DATA / "newstest-en.txt").read_text(encoding="utf-8").splitlines()
OPTIONS = Settings(ctranslate2_beam_size=2, ctranslate2_max_length=24, ctranslate2_max_batch=64,
                   ctranslate2_batch_wait=0.02)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny en->es Argos package (.argosmodel), built from the newstest English text."""
    return tiny.build_package(tmp_path_factory.mktemp("pkg") / "en_es.argosmodel", "en", "es",
                              CORPUS)


@pytest.fixture(scope="module")
def model(package: Path, tmp_path_factory: pytest.TempPathFactory) -> ModelInfo:
    return install_package(package, tmp_path_factory.mktemp("models"))


@pytest.fixture
def engine(model: ModelInfo) -> Iterator[NeuralEngine]:
    eng = NeuralEngine(OPTIONS, models={("en", "es"): model})
    yield eng
    eng.close()


def _cli() -> click.Group:
    if "models" not in cli.commands:        # the lead registers it in cli/__init__.py
        cli.add_command(models)
    return cli


def test_models_install_command_unpacks_an_argos_package(package: Path,
                                                         settings: Settings) -> None:
    result = CliRunner().invoke(_cli(), ["models", "install", str(package)])
    assert result.exit_code == 0, result.output
    assert "installed en→es" in result.output
    found = find_models(models_dirs(settings))
    assert set(found) == {("en", "es")}
    assert found[("en", "es")].version == "0.0.1"
    listed = CliRunner().invoke(_cli(), ["models", "list"])
    assert "en→es" in listed.output and "translate-en_es-0_0_1@0.0.1" in listed.output


def test_packages_installed_by_argos_are_found(package: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               settings: Settings) -> None:
    argos_dir = tmp_path / "argos-packages"            # where argospm unpacks packages
    with zipfile.ZipFile(package) as zf:
        zf.extractall(argos_dir)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    assert argos_dir in models_dirs(settings)
    engine = NeuralEngine(settings)
    assert set(engine.pairs()) == {("en", "es")}
    engine.close()


def test_converted_opus_mt_folder_is_found(model: ModelInfo, tmp_path: Path) -> None:
    folder = tmp_path / "opus-mt-en-es"                 # ct2-transformers-converter output
    shutil.copytree(model.path, folder)
    shutil.copy(model.source_spm, folder / "source.spm")
    shutil.copy(model.target_spm, folder / "target.spm")
    info = read_model(folder)
    assert info is not None and (info.src, info.tgt) == ("en", "es")
    assert info.source_spm.name == "source.spm"


def test_unsafe_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pkg/metadata.json", json.dumps({"from_code": "en", "to_code": "es"}))
        zf.writestr("../outside.txt", "x")
    with pytest.raises(ConfigError, match="unsafe path"):
        install_package(archive, tmp_path / "models")
    assert not (tmp_path / "outside.txt").exists()


def test_no_model_says_how_to_install_one(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable) as info:
        NeuralEngine(Settings(home=tmp_path, argos_packages_dir=str(tmp_path / "argos")))
    assert "models install" in info.value.hint


def test_decoding_counts_tokens_and_keeps_empty_segments(engine: NeuralEngine) -> None:
    segments = (CORPUS[0], "", 'He spoke to <k id="1">Reuters</k> on <g id="1">Monday</g>.')
    answer = engine.run(Job(segments, "en", "es"))
    assert len(answer.texts) == 3 and answer.texts[1] == ""
    assert answer.texts[0] and answer.texts[2]
    assert answer.tokens_in > len(CORPUS[0].split()) and answer.tokens_out > 0
    assert answer.seconds is not None and answer.seconds > 0
    assert engine.pairs()[("en", "es")] == "translate-en_es-0_0_1@0.0.1"
    # deterministic: the same input decodes the same way
    assert engine.run(Job(segments, "en", "es")).texts == answer.texts


def test_sentences_from_concurrent_articles_share_batches(model: ModelInfo) -> None:
    articles = [CORPUS[i * 10:(i + 1) * 10] for i in range(4)]
    one_by_one = NeuralEngine(OPTIONS.replace(ctranslate2_max_batch=1, ctranslate2_batch_wait=0.0),
                              models={("en", "es"): model})
    alone = [[translate(one_by_one, [s], "en", "es")[0] for s in art] for art in articles]
    one_by_one.close()
    engine = NeuralEngine(OPTIONS, models={("en", "es"): model})
    results: dict[int, list[str]] = {}
    barrier = threading.Barrier(len(articles))

    def work(index: int) -> None:
        barrier.wait()
        results[index] = translate(engine, articles[index], "en", "es")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(articles))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = engine._loaded[("en", "es")].batcher.stats
    engine.close()
    assert [results[i] for i in range(len(articles))] == alone      # each gets its own back
    assert stats.sentences == 40 and stats.batches < 4               # batched across articles


def test_gibberish_fails_the_checks_and_falls_back_to_apertium(engine: NeuralEngine) -> None:
    case = json.loads((DATA / "en-chips.json").read_text(encoding="utf-8"))
    article = Article(url=case["url"], title=case["metadata"]["title"],
                      html=(DATA / "en-chips.html").read_text(encoding="utf-8"), text="",
                      lang="en", site_name=case["metadata"]["site_name"])
    apertium = ApertiumEngine()
    try:
        tr = translate_article(article, "es", Router([engine, apertium]))
        only_neural = translate_article(article, "es", Router([engine]))
    finally:
        apertium.close()
    assert only_neural.status == TranslationStatus.HELD and only_neural.engine == "ctranslate2"
    assert tr.status == TranslationStatus.PUBLISHED and tr.engine == "apertium"
    assert any("ctranslate2's translation failed checks" in r for r in tr.repairs)
