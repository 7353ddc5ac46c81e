"""The words written for readers (babelwire/i18n.py): the one machine-translation notice."""

from __future__ import annotations

from dataclasses import replace

from babelwire.i18n import notice
from babelwire.models import PublishedArticle
from babelwire.publish.present import present


def test_the_notice_names_language_engine_pivot_and_site_in_the_readers_language() -> None:
    assert notice("es", "en", "apertium", "Circuit Daily") == (
        "Traducción automática del inglés hecha con Apertium; puede contener errores. "
        "Original: Circuit Daily.")
    assert notice("fr", "en", "apertium (en→es→fr)", "Circuit Daily") == (
        "Traduit automatiquement par Apertium (langue d'origine\u00a0: anglais, langue "
        "intermédiaire\u00a0: espagnol)\u00a0; des erreurs sont possibles. "
        "Original\u00a0: Circuit Daily.")
    assert notice("en", "fr", "apertium (fr→es→en)") == \
        "Machine-translated from French by Apertium via Spanish; it may contain errors."
    assert notice("de", "es", "apertium") == \
        "Maschinell übersetzt mit Apertium (Originalsprache: Spanisch); kann Fehler enthalten."


def test_a_language_without_words_of_its_own_gets_the_english_notice() -> None:
    assert notice("ja", "es", "deepl") == \
        "Machine-translated from Spanish by Deepl; it may contain errors."
    assert notice("en", "", "apertium").startswith("Machine-translated from the original language")


def test_a_translation_stored_without_a_notice_is_shown_the_same_notice() -> None:
    article = PublishedArticle(
        item_id=1, lang="es", title="t", html="<p>t</p>", text="t", engine="apertium (en→ca→es)",
        notice="", published_at=None, updated_at=None, source_lang="en", original_title="o",
        original_url="https://news.example/a", original_html="", site_name="Circuit Daily",
        author="", original_published=None, source_id=1, source_name="Circuit")
    assert present(article, "https://site.example").notice == \
        notice("es", "en", "apertium (en→ca→es)", "Circuit Daily")
    stored = replace(article, notice="Stored notice.")
    assert present(stored, "https://site.example").notice == "Stored notice."


def test_every_catalog_translates_every_label_and_keeps_its_placeholders() -> None:
    import re

    from babel.messages.pofile import read_po

    from babelwire.i18n import ENGLISH, LOCALE_DIR, labels, translated

    langs = sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    assert {"es", "fr", "ca", "pt", "de", "it"} <= set(langs)
    for lang in langs:
        assert translated(lang)
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "babelwire.po").open("rb") as po:
            catalog = read_po(po)
        found = {k: catalog.get(english) for k, english in ENGLISH.items()}
        missing = [k for k, message in found.items() if message is None or not message.string]
        assert missing == [], (lang, missing)
        words = labels(lang)
        for key, english in ENGLISH.items():
            assert set(re.findall(r"{\w+}", words[key])) == set(re.findall(r"{\w+}", english)), \
                (lang, key)
    assert not translated("ja") and labels("ja") == ENGLISH
    assert labels("pt-BR")["nothing"] == labels("pt")["nothing"] != ENGLISH["nothing"]
