"""The benchmark's metrics (bench/extraction.py) against the examples in the data README."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.helpers.bench import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("extraction")


def test_tokens_and_short_texts(bench: ModuleType) -> None:
    assert bench.TOKEN.findall("a b,cd:e(foo,bar) ") == ["a", "b", "cd", "e", "foo", "bar"]
    assert list(bench.shingles("a b")) == [("a", "b")]
    assert not bench.shingles(" ,; ")


@pytest.mark.parametrize(("truth", "prediction", "expected"), [
    ("a b c d", "a b c", (0.5, 0.0, 0.5)),
    ("a b c a b c", "a b c", (0.25, 0.0, 0.75)),
])
def test_upstream_unit_examples(bench: ModuleType, truth: str, prediction: str,
                                expected: tuple[float, float, float]) -> None:
    assert bench.shingle_counts(truth, prediction, n=3) == pytest.approx(expected)


def test_corpus_scores_average_pages(bench: ModuleType) -> None:
    words = " ".join(f"w{i}" for i in range(20))
    scores = bench.shingle_scores([(words, words), (words, ""), ("", "noise here")])
    assert scores["recall"] == pytest.approx(0.5)  # pages 1 and 2 have truth shingles
    assert scores["precision"] == pytest.approx(0.5)  # pages 1 and 3 predicted something
    assert scores["accuracy"] == pytest.approx(1 / 3)


def test_snippet_metric(bench: ModuleType) -> None:
    scores = bench.snippet_scores([
        (["first  sentence", "last one"], ["Cookies"], "first sentence ... last one\nCookies"),
        (["missing"], ["menu"], "body"),
    ])
    assert (scores["precision"], scores["recall"]) == pytest.approx((2 / 3, 2 / 3))
    assert scores["f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert scores["accuracy"] == pytest.approx(3 / 5)


def test_cross_validation_never_trains_on_a_test_sites_pages(
        bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.extract.classifier import shipped_model

    pages = [bench.Page(f"p{i}", b"<html><body><p>x</p></body></html>",
                        f"https://site{i % 7}.example/{i}") for i in range(30)]
    folds = bench.site_folds(pages, 5)
    assert sorted(p.id for _, fold in folds for p in fold) == sorted(p.id for p in pages)
    sites = [{bench.site_of(p.url) for p in fold} for _, fold in folds]
    assert all(pages_sites <= dealt for pages_sites, (dealt, _) in zip(sites, folds, strict=True))
    assert all(not (a & b) for i, a in enumerate(sites) for b in sites[i + 1:])
    excluded: list[set[str]] = []

    def model_without(self: object, sites: set[str]) -> object:
        excluded.append(sites)
        return shipped_model()

    monkeypatch.setattr(bench.Training, "model_without", model_without)
    seen: list[list[str]] = []

    def run_babelwire(fold: list[object], model: object) -> dict[str, str]:
        seen.append([p.id for p in fold])  # type: ignore[attr-defined]
        return {}

    monkeypatch.setattr(bench, "run_babelwire", run_babelwire)
    bench.run_cross_validated(pages, bench.Training([], {}), 5)
    for fold_ids, left_out in zip(seen, excluded, strict=True):
        assert {bench.site_of(f"https://site{int(i[1:]) % 7}.example/") for i in fold_ids} \
            <= left_out


def test_furniture_count_reads_the_fidelity_cases(bench: ModuleType, tmp_path: Path) -> None:
    case = Path(__file__).resolve().parent / "data" / "fidelity" / "en-chips"
    shutil.copytree(case, tmp_path / "en-chips")
    counts = bench.furniture_left([tmp_path])
    phrases = len(bench.fidelity_cases([tmp_path])[0][1]["template_phrases"])
    assert counts["babelwire"]["cases"] == counts["trafilatura"]["cases"] == 1
    assert counts["babelwire"]["phrases"] == phrases
    assert counts["babelwire"]["left"] == 0


def test_aside_sites_train_no_model_while_developing(
        bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.extract.classifier import shipped_model
    from babelwire.extract.training import aside_sites

    pages = [bench.Page(f"p{i}", b"<html><body><p>x</p></body></html>",
                        f"https://site{i % 10}.example/{i}") for i in range(30)]
    sites = {("scrapinghub", p.id): bench.site_of(p.url) for p in pages}
    aside = frozenset(aside_sites(sites))
    assert len(aside) == 2 and aside == aside_sites(sites)
    dev = [p for p in pages if bench.part_filter("dev", set(aside))(p)]
    held = [p for p in pages if bench.part_filter("aside", set(aside))(p)]
    assert len(dev) + len(held) == len(pages) and {bench.site_of(p.url) for p in held} == aside
    excluded: list[set[str]] = []

    def model_without(self: object, sites: set[str]) -> object:
        excluded.append(sites)
        return shipped_model()

    monkeypatch.setattr(bench.Training, "model_without", model_without)
    monkeypatch.setattr(bench, "run_babelwire", lambda fold, model: {})
    bench.run_cross_validated(dev, bench.Training([], sites), 5, aside)
    assert excluded and all(aside <= left_out for left_out in excluded)
    excluded.clear()
    bench.run_cross_validated(held, bench.Training([], sites), 1, aside)
    assert excluded == [set(aside)]


def test_speed_takes_turns_eight_pages_at_a_time(bench: ModuleType,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, list[str]]] = []

    def recorder(tool: str) -> Callable[[Sequence[Any]], dict[str, str]]:
        def run(pages: Sequence[Any]) -> dict[str, str]:
            calls.append((tool, [p.id for p in pages]))
            return {}
        return run

    monkeypatch.setitem(bench.RUNNERS, "babelwire", recorder("babelwire"))
    monkeypatch.setattr(bench, "run_trafilatura", recorder("trafilatura"))
    pages = [bench.Page(str(i), b"", "") for i in range(10)]
    rates = bench.speed(pages, rounds=1)
    assert set(rates) == {"babelwire", "trafilatura"} and all(r > 0 for r in rates.values())
    first, rest = [str(i) for i in range(8)], ["8", "9"]
    assert calls == [("babelwire", first), ("trafilatura", first),  # warm-up, not measured
                     ("babelwire", first), ("trafilatura", first),
                     ("babelwire", rest), ("trafilatura", rest)]


@pytest.fixture(scope="module")
def titles() -> ModuleType:
    return load_bench("titles")


@pytest.mark.parametrize(("truth", "got", "expected"), [
    ("Rasende Polizisten", "Rasende Polizisten", "exact"),
    ("L’Université PSL", "L'Université\u00a0PSL", "exact"),  # quotes and spaces normalised
    ("Rasende Polizisten", "Rasende Polizisten - strafprozess.ch", "extra"),
    ("Leasing oder Finanzierung – was lohnt sich mehr?", "Leasing oder Finanzierung", "cut"),
    ("Rasende Polizisten", "strafprozess.ch", "other"),
])
def test_title_verdicts(titles: ModuleType, truth: str, got: str, expected: str) -> None:
    assert titles.verdict(truth, got) == expected


def test_title_split_is_fixed_by_the_name(titles: ModuleType) -> None:
    names = [f"page-{i}.html" for i in range(1000)]
    held = sum(titles.part_of(name) == "heldout" for name in names)
    assert 250 <= held <= 350  # about 3 in 10
    assert titles.part_of("strafprozess.ch.polizisten.html") == titles.part_of(
        "strafprozess.ch.polizisten.html")


def test_a_folder_of_held_out_pages_is_scored_and_labelled_held_out(
        bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Pages kept outside the repository come as a folder holding one split: the benchmark runs
    # that split and says the shipped model never saw its pages. Two real ScrapingHub pages
    # stand in for held-out ones: one under an id the model file does not list (held out), one
    # under its own id (it trained the model).
    source = Path(__file__).resolve().parent / "data" / "extract" / "benchmark" / "extraction" \
        / "scrapinghub"
    truth = json.loads((source / "ground-truth.json").read_text(encoding="utf-8"))
    known = "359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea"
    split = tmp_path / "extraction" / "scrapinghub"
    (split / "html").mkdir(parents=True)
    shutil.copy(source / "html" / f"{known}.html.gz", split / "html" / "held-out-page.html.gz")
    (split / "ground-truth.json").write_text(json.dumps({"held-out-page": truth[known]}),
                                             encoding="utf-8")
    assert bench.main(["--data", str(tmp_path), "--tools", "babelwire", "trafilatura"]) == 0
    out = capsys.readouterr().out
    assert "scrapinghub (all): 1 pages" in out
    assert "0 of these 1 pages trained the shipped model (a held-out figure)" in out
    scores = {line.split()[0]: float(line.split()[1]) for line in out.splitlines()
              if line.startswith(("babelwire* ", "trafilatura "))}
    assert set(scores) == {"babelwire*", "trafilatura"} and scores["babelwire*"] > 0.9

    shutil.copy(source / "html" / f"{known}.html.gz", split / "html" / f"{known}.html.gz")
    (split / "ground-truth.json").write_text(json.dumps({known: truth[known]}), encoding="utf-8")
    assert bench.main(["--data", str(tmp_path), "--tools", "babelwire"]) == 0
    assert "1 of these 1 pages trained the shipped model (a training-set figure)" \
        in capsys.readouterr().out
    with pytest.raises(SystemExit):   # a split the folder lacks is named, not a traceback
        bench.main(["--data", str(tmp_path), "--split", "trafilatura"])
    assert "no trafilatura split under" in capsys.readouterr().err
