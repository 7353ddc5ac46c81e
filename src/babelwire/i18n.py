"""The words babelwire writes for readers, in the languages it publishes most: the site's
interface and the machine-translation notice every translation carries (``notice``).

Language names and dates come from Babel's CLDR data; the interface labels are a small table of
our own because no library ships them. A language missing from the table falls back to English.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

_EN: Final = {
    "skip": "Skip to content",
    "latest": "Latest translations",
    "languages": "Languages",
    "sources": "Sources",
    "source": "Source",
    "author": "Author",
    "original_title": "Original title",
    "original_date": "Originally published",
    "read_original": "Read the original",
    "translated_on": "Translated",
    "engine": "Translation engine",
    "bilingual": "Side by side with the original",
    "translation_only": "Translation only",
    "original": "Original",
    "translation": "Translation",
    "newer": "Newer",
    "older": "Older",
    "page": "Page",
    "feeds": "Feeds",
    "nothing": "Nothing has been published here yet.",
    "not_found": "Page not found",
    "unavailable": "Temporarily unavailable",
    "notice": "Machine-translated from {source} by {engine}{via}; it may contain errors.",
    "notice_via": " via {pivot}",
    "notice_original": " Original: {site}.",
    "unknown_language": "the original language",
    "articles": "articles",
    "choose": "Choose a language",
    "search": "Search",
    "search_label": "Words to look for",
    "search_results": "Search: {query}",
    "search_count": "{count} translation(s) found.",
    "search_none": "No translation matches these words.",
    "license": "Licence",
    "republished": "Republished",
    "mode_full": "in full",
    "mode_excerpt": "as an excerpt",
    "mode_headline": "as a headline only",
    "mode_none": "not at all",
    "read_full": "Read the whole article at {site}",
    "same_license": "This translation is shared under the same licence.",
}
_ES: Final = {
    "skip": "Ir al contenido", "latest": "Últimas traducciones", "languages": "Idiomas",
    "sources": "Fuentes", "source": "Fuente", "author": "Autor",
    "original_title": "Título original", "original_date": "Publicado originalmente",
    "read_original": "Leer el original", "translated_on": "Traducido",
    "engine": "Motor de traducción", "bilingual": "En paralelo con el original",
    "translation_only": "Solo la traducción", "original": "Original",
    "translation": "Traducción", "newer": "Más recientes", "older": "Anteriores",
    "page": "Página", "feeds": "Canales", "nothing": "Todavía no se ha publicado nada aquí.",
    "not_found": "Página no encontrada", "unavailable": "No disponible por el momento",
    "notice": "Traducción automática del {source} hecha con {engine}{via}; puede contener errores.",
    "notice_via": ", pasando por el {pivot}", "notice_original": " Original: {site}.",
    "unknown_language": "idioma original",
    "articles": "artículos", "choose": "Elija un idioma",
    "search": "Buscar", "search_label": "Palabras que buscar",
    "search_results": "Búsqueda: {query}",
    "search_count": "{count} traducción(es) encontrada(s).",
    "search_none": "Ninguna traducción contiene estas palabras.",
    "license": "Licencia",
    "republished": "Republicado",
    "mode_full": "íntegro",
    "mode_excerpt": "como extracto",
    "mode_headline": "solo el titular",
    "mode_none": "no se republica",
    "read_full": "Lea el artículo completo en {site}",
    "same_license": "Esta traducción se comparte con la misma licencia.",
}
_FR: Final = {
    "skip": "Aller au contenu", "latest": "Dernières traductions", "languages": "Langues",
    "sources": "Sources", "source": "Source", "author": "Auteur",
    "original_title": "Titre original", "original_date": "Publié à l'origine",
    "read_original": "Lire l'original", "translated_on": "Traduit",
    "engine": "Moteur de traduction", "bilingual": "En regard de l'original",
    "translation_only": "Traduction seule", "original": "Original",
    "translation": "Traduction", "newer": "Plus récents", "older": "Plus anciens",
    "page": "Page", "feeds": "Flux", "nothing": "Rien n'a encore été publié ici.",
    "not_found": "Page introuvable", "unavailable": "Momentanément indisponible",
    "notice": ("Traduit automatiquement par {engine} (langue d'origine\u00a0: {source}{via})"
               "\u00a0; des erreurs sont possibles."),
    "notice_via": ", langue intermédiaire\u00a0: {pivot}",
    "notice_original": " Original\u00a0: {site}.",
    "unknown_language": "inconnue",
    "articles": "articles", "choose": "Choisissez une langue",
    "search": "Rechercher", "search_label": "Mots à chercher",
    "search_results": "Recherche : {query}", "search_count": "{count} traduction(s) trouvée(s).",
    "search_none": "Aucune traduction ne contient ces mots.",
    "license": "Licence",
    "republished": "Republié",
    "mode_full": "en entier",
    "mode_excerpt": "en extrait",
    "mode_headline": "titre seul",
    "mode_none": "pas du tout",
    "read_full": "Lire l'article complet sur {site}",
    "same_license": "Cette traduction est partagée sous la même licence.",
}
_CA: Final = {
    "skip": "Vés al contingut", "latest": "Darreres traduccions", "languages": "Llengües",
    "sources": "Fonts", "source": "Font", "author": "Autor",
    "original_title": "Títol original", "original_date": "Publicat originalment",
    "read_original": "Llegiu l'original", "translated_on": "Traduït",
    "engine": "Motor de traducció", "bilingual": "En paral·lel amb l'original",
    "translation_only": "Només la traducció", "original": "Original",
    "translation": "Traducció", "newer": "Més recents", "older": "Anteriors",
    "page": "Pàgina", "feeds": "Canals", "nothing": "Encara no s'hi ha publicat res.",
    "not_found": "No s'ha trobat la pàgina", "unavailable": "No disponible de moment",
    "notice": ("Traducció automàtica feta amb {engine} (llengua original: {source}{via}); "
               "pot contenir errors."),
    "notice_via": ", llengua intermèdia: {pivot}", "notice_original": " Original: {site}.",
    "unknown_language": "desconeguda",
    "articles": "articles", "choose": "Trieu una llengua",
    "search": "Cerca", "search_label": "Paraules que cal cercar",
    "search_results": "Cerca: {query}", "search_count": "{count} traducció(ns) trobada(es).",
    "search_none": "Cap traducció no conté aquestes paraules.",
    "license": "Llicència",
    "republished": "Republicat",
    "mode_full": "sencer",
    "mode_excerpt": "com a extracte",
    "mode_headline": "només el titular",
    "mode_none": "gens",
    "read_full": "Llegiu l'article complet a {site}",
    "same_license": "Aquesta traducció es comparteix amb la mateixa llicència.",
}
_PT: Final = {
    "skip": "Ir para o conteúdo", "latest": "Últimas traduções", "languages": "Idiomas",
    "sources": "Fontes", "source": "Fonte", "author": "Autor",
    "original_title": "Título original", "original_date": "Publicado originalmente",
    "read_original": "Ler o original", "translated_on": "Traduzido",
    "engine": "Motor de tradução", "bilingual": "Lado a lado com o original",
    "translation_only": "Só a tradução", "original": "Original", "translation": "Tradução",
    "newer": "Mais recentes", "older": "Anteriores", "page": "Página", "feeds": "Feeds",
    "nothing": "Ainda não foi publicado nada aqui.", "not_found": "Página não encontrada",
    "unavailable": "Indisponível no momento",
    "notice": "Tradução automática do {source} feita com {engine}{via}; pode conter erros.",
    "notice_via": ", passando pelo {pivot}", "notice_original": " Original: {site}.",
    "unknown_language": "idioma original",
    "articles": "artigos", "choose": "Escolha um idioma",
    "search": "Pesquisar", "search_label": "Palavras a procurar",
    "search_results": "Pesquisa: {query}", "search_count": "{count} tradução(ões) encontrada(s).",
    "search_none": "Nenhuma tradução contém estas palavras.",
    "license": "Licença",
    "republished": "Republicado",
    "mode_full": "na íntegra",
    "mode_excerpt": "como excerto",
    "mode_headline": "só o título",
    "mode_none": "de modo nenhum",
    "read_full": "Leia o artigo completo em {site}",
    "same_license": "Esta tradução é partilhada sob a mesma licença.",
}
_DE: Final = {
    "skip": "Zum Inhalt", "latest": "Neueste Übersetzungen", "languages": "Sprachen",
    "sources": "Quellen", "source": "Quelle", "author": "Autor",
    "original_title": "Originaltitel", "original_date": "Ursprünglich veröffentlicht",
    "read_original": "Original lesen", "translated_on": "Übersetzt",
    "engine": "Übersetzungssystem", "bilingual": "Neben dem Original",
    "translation_only": "Nur die Übersetzung", "original": "Original",
    "translation": "Übersetzung", "newer": "Neuere", "older": "Ältere", "page": "Seite",
    "feeds": "Feeds", "nothing": "Hier wurde noch nichts veröffentlicht.",
    "not_found": "Seite nicht gefunden", "unavailable": "Vorübergehend nicht verfügbar",
    "notice": ("Maschinell übersetzt mit {engine} (Originalsprache: {source}{via}); "
               "kann Fehler enthalten."),
    "notice_via": ", Zwischensprache: {pivot}", "notice_original": " Original: {site}.",
    "unknown_language": "unbekannt",
    "articles": "Artikel", "choose": "Sprache wählen",
    "search": "Suche", "search_label": "Gesuchte Wörter",
    "search_results": "Suche: {query}", "search_count": "{count} Übersetzung(en) gefunden.",
    "search_none": "Keine Übersetzung enthält diese Wörter.",
    "license": "Lizenz",
    "republished": "Wiederveröffentlicht",
    "mode_full": "vollständig",
    "mode_excerpt": "als Auszug",
    "mode_headline": "nur als Überschrift",
    "mode_none": "gar nicht",
    "read_full": "Den vollständigen Artikel bei {site} lesen",
    "same_license": "Diese Übersetzung steht unter derselben Lizenz.",
}
_IT: Final = {
    "skip": "Vai al contenuto", "latest": "Ultime traduzioni", "languages": "Lingue",
    "sources": "Fonti", "source": "Fonte", "author": "Autore",
    "original_title": "Titolo originale", "original_date": "Pubblicato originariamente",
    "read_original": "Leggi l'originale", "translated_on": "Tradotto",
    "engine": "Motore di traduzione", "bilingual": "A fronte dell'originale",
    "translation_only": "Solo la traduzione", "original": "Originale",
    "translation": "Traduzione", "newer": "Più recenti", "older": "Precedenti",
    "page": "Pagina", "feeds": "Feed", "nothing": "Qui non è ancora stato pubblicato nulla.",
    "not_found": "Pagina non trovata", "unavailable": "Momentaneamente non disponibile",
    "notice": ("Tradotto automaticamente con {engine} (lingua originale: {source}{via}); "
               "può contenere errori."),
    "notice_via": ", lingua intermedia: {pivot}", "notice_original": " Originale: {site}.",
    "unknown_language": "sconosciuta",
    "articles": "articoli", "choose": "Scegli una lingua",
    "search": "Cerca", "search_label": "Parole da cercare",
    "search_results": "Ricerca: {query}", "search_count": "{count} traduzione/i trovata/e.",
    "search_none": "Nessuna traduzione contiene queste parole.",
    "license": "Licenza",
    "republished": "Ripubblicato",
    "mode_full": "integralmente",
    "mode_excerpt": "come estratto",
    "mode_headline": "solo il titolo",
    "mode_none": "per nulla",
    "read_full": "Leggi l'articolo completo su {site}",
    "same_license": "Questa traduzione è condivisa con la stessa licenza.",
}
LABELS: Final[dict[str, dict[str, str]]] = {
    "en": _EN, "es": _ES, "fr": _FR, "ca": _CA, "pt": _PT, "de": _DE, "it": _IT}


def labels(lang: str) -> dict[str, str]:
    """Interface labels for ``lang``, English for any label or language not in the table."""
    own = LABELS.get(lang.split("-")[0].lower(), {})
    return {**_EN, **own}


def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_name(code: str, in_lang: str | None = None) -> str:
    """The name of language ``code`` in ``in_lang`` (its own name by default), else the code."""
    locale = _locale(code)
    if locale is None:
        return code
    name = locale.get_language_name(_locale(in_lang) if in_lang else locale)
    return name[:1].upper() + name[1:] if name else code


def text_direction(lang: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    locale = _locale(lang)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def format_day(when: datetime | None, lang: str) -> str:
    """A date written the way readers of ``lang`` write it (ISO day if the language is unknown)."""
    if when is None:
        return ""
    locale = _locale(lang)
    if locale is None:
        return when.date().isoformat()
    return format_date(when, format="long", locale=locale)


# The router's label of a translation through a pivot language: "apertium (en→es→fr)".
_PIVOT = re.compile(r"\((\w+)→(\w+)→(\w+)\)")


def notice(lang: str, source_lang: str, engine: str, site: str = "") -> str:
    """The machine-translation notice in ``lang``: from which language, by which engine (through
    which pivot language), and the original's site if known.

    ``engine`` is the router's label, such as ``apertium`` or ``apertium (en→es→fr)``. Language
    names are Babel's, in ``lang`` (English where the table has no such language).
    """
    words = labels(lang)
    reader = lang if lang.split("-")[0].lower() in LABELS else "en"
    pivot = _PIVOT.search(engine)
    via = words["notice_via"].format(pivot=_name_in(pivot.group(2), reader)) if pivot else ""
    name = _PIVOT.sub("", engine).strip().replace("+", ", ") or "?"
    text = words["notice"].format(source=_name_in(source_lang, reader) or words["unknown_language"],
                                  engine=name[:1].upper() + name[1:], via=via)
    return text + words["notice_original"].format(site=site) if site else text


def _name_in(code: str, reader: str) -> str:
    """The name of language ``code`` as written in a sentence of ``reader`` ("" if unknown)."""
    locale = _locale(code) if code else None
    return (locale.get_language_name(_locale(reader)) or "") if locale else ""
