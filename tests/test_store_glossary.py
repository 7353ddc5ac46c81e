"""The glossary in the store and on the command line, and its effect on real translations."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire.cli import cli
from babelwire.models import GlossaryEntry
from babelwire.store import Store
from babelwire.translate.glossary import glossary_version

# First paragraph of the es-vivienda fidelity page (tests/data/translate/es-vivienda.html).
PARAGRAPH = ("El Consejo de Ministros aprobó este martes un plan para levantar 20.000 viviendas de "
             "alquiler asequible en la Comunidad Valenciana, la mayor parte en suelos cedidos por "
             "la Sareb.")


def test_global_and_per_source_entries(store: Store) -> None:
    source, _ = store.add_source("https://news.example/feed.xml", targets=["en"])
    other, _ = store.add_source("https://other.example/feed.xml", targets=["en"])
    store.add_term(GlossaryEntry("Wired"))
    store.add_term(GlossaryEntry("Junta", source_lang="es", target_lang="en",
                                  translation="Regional Government"), source_id=source.id)
    assert [e.term for e in store.glossary_entries(source.id, "es", "en")] == ["Junta", "Wired"]
    assert [e.term for e in store.glossary_entries(source.id, "es", "fr")] == ["Wired"]
    assert [e.term for e in store.glossary_entries(other.id, "es", "en")] == ["Wired"]


def test_adding_again_updates_and_changes_the_version(store: Store) -> None:
    first = store.add_term(GlossaryEntry("Board", target_lang="es", translation="Junta"))
    version = glossary_version([first.entry])
    again = store.add_term(GlossaryEntry("Board", target_lang="es", translation="Consejo"))
    assert again.id == first.id and len(store.list_terms()) == 1
    assert glossary_version([again.entry]) != version
    assert glossary_version([]) == "0"
    assert store.remove_term(first.id) and not store.remove_term(first.id)


def _translate(tmp_path: Path) -> str:
    text = tmp_path / "in.txt"
    text.write_text(PARAGRAPH + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["translate", str(text), "--from", "es", "--to", "en"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_glossary_terms_change_the_translation(tmp_path: Path) -> None:
    runner = CliRunner()
    before = _translate(tmp_path)
    assert "Comunidad Valenciana" not in before and "Cabinet" not in before
    assert runner.invoke(cli, ["glossary", "add", "Comunidad Valenciana"]).exit_code == 0
    added = runner.invoke(cli, ["glossary", "add", "Consejo de Ministros", "--from", "es",
                                "--to", "en", "--as", "Cabinet"])
    assert added.exit_code == 0, added.output
    after = _translate(tmp_path)
    assert "Comunidad Valenciana" in after and "Cabinet" in after


def test_import_from_toml_and_csv(tmp_path: Path) -> None:
    toml = tmp_path / "g.toml"
    toml.write_text('[[term]]\nterm = "Wired"\n\n[[term]]\nterm = "Board of Directors"\n'
                    'target_lang = "es"\ntranslation = "Consejo de Administración"\n')
    csv = tmp_path / "g.csv"
    csv.write_text("term,target_lang,translation\nThe Information,,\n")
    runner = CliRunner()
    assert "imported 2" in runner.invoke(cli, ["glossary", "import", str(toml)]).output
    assert "imported 1" in runner.invoke(cli, ["glossary", "import", str(csv)]).output
    listed = runner.invoke(cli, ["glossary", "list"]).output
    assert "'Board of Directors' → 'Consejo de Administración' [*→es]" in listed
    assert "'The Information' kept as is" in listed


@pytest.mark.parametrize("args, message", [
    (["glossary", "add", "Board", "--as", "Junta"], "--as needs --to"),
    (["glossary", "add", "Board", "--source", "9"], "no source #9"),
    (["glossary", "remove", "5"], "no glossary term #5"),
])
def test_bad_glossary_usage(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and message in result.output
