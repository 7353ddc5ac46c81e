"""bench/fidelity.py on a folder of cases and sentences kept outside the repository: it runs
what the folder holds and reports the cases nobody tuned on apart from the repository's."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest

from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.router import Router
from tests.helpers.bench import load_bench

FIDELITY = Path(__file__).resolve().parent / "data" / "fidelity"
NEWSTEST = Path(__file__).resolve().parent / "data" / "translate"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("fidelity")


def test_chrf_runs_the_pairs_the_folder_holds(bench: ModuleType, apertium: ApertiumEngine,
                                              router: Router, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bench.run_chrf(tmp_path, apertium, router, 3)
    assert "chrF skipped: no newstest2013 pair under" in capsys.readouterr().out
    folder = tmp_path / "mt" / "newstest2013"
    folder.mkdir(parents=True)
    for lang in ("en", "es"):   # real newstest lines (tests/data/translate/PROVENANCE.md)
        shutil.copy(NEWSTEST / f"newstest-{lang}.txt", folder / f"{lang}.txt")
    bench.run_chrf(tmp_path, apertium, router, 3)
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()
            if "->" in line}
    assert set(rows) == {"en->es", "es->en"}     # no French file: fr->es is not run
    assert all(float(row[1]) > 30 and float(row[2]) > 30 for row in rows.values())


def test_a_case_outside_the_repository_gets_a_table_of_its_own(
        bench: ModuleType, router: Router, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # a real case of the repository under a name the repository does not have stands for a
    # case kept outside it; the repository's own copy of it stays in its split
    shutil.copytree(FIDELITY / "en-chips", tmp_path / "en-not-in-the-repository")
    shutil.copytree(FIDELITY / "en-chips", tmp_path / "en-chips")
    known = {case.name for case in FIDELITY.iterdir()}
    bench.run_cases([tmp_path], router, [], "heldout", False, known)
    out = capsys.readouterr().out
    assert "Fidelity cases, outside the repository: 1 translations" in out
    assert "en-not-in-the-repository -> es [apertium]: published" in out
    assert "Fidelity cases, dev" not in out and "en-chips ->" not in out   # a dev case: not asked
