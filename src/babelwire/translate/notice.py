"""The machine-translation notice and the attribution every translation carries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from babelwire.models import Article, Attribution

# For each notice language: how to say "from <language>" and "via <language>".
_FROM: dict[str, dict[str, tuple[str, str]]] = {
    "en": {"en": ("English", "English"), "es": ("Spanish", "Spanish"),
           "fr": ("French", "French"), "ca": ("Catalan", "Catalan"),
           "eo": ("Esperanto", "Esperanto")},
    "es": {"en": ("del inglés", "el inglés"), "es": ("del español", "el español"),
           "fr": ("del francés", "el francés"), "ca": ("del catalán", "el catalán"),
           "eo": ("del esperanto", "el esperanto")},
    "fr": {"en": ("de l'anglais", "l'anglais"), "es": ("de l'espagnol", "l'espagnol"),
           "fr": ("du français", "le français"), "ca": ("du catalan", "le catalan"),
           "eo": ("de l'espéranto", "l'espéranto")},
}
_TEMPLATES = {
    "en": ("Machine-translated from {src} by {engine}{via}. Original: {site}.", " via {pivot}"),
    "es": ("Traducción automática {src} por {engine}{via}. Original: {site}.",
           ", pasando por {pivot}"),
    "fr": ("Traduit automatiquement {src} par {engine}{via}. Original\u00a0: {site}.",
           ", en passant par {pivot}"),
}
_PIVOT = re.compile(r"\((\w+)→(\w+)→(\w+)\)")


def notice_text(target: str, source_lang: str, engine: str, site: str) -> str:
    """The notice in the target language (English where no translation of it exists).

    ``engine`` is the router's label, such as ``apertium`` or ``apertium (en→es→fr)``.
    """
    lang = target if target in _TEMPLATES else "en"
    template, via_template = _TEMPLATES[lang]
    names = _FROM[lang]
    src = _language(names, source_lang, 0, lang)
    via = ""
    match = _PIVOT.search(engine)
    if match:
        via = via_template.format(pivot=_language(names, match.group(2), 1, lang))
    name = _PIVOT.sub("", engine).strip().replace("+", ", ")
    text = template.format(src=src, engine=name[:1].upper() + name[1:], via=via, site=site)
    return text if site else text[:text.index(".") + 1]      # no "Original:" without a site


def _language(names: dict[str, tuple[str, str]], code: str, form: int, lang: str) -> str:
    if code in names:
        return names[code][form]
    fallback = {"en": "the original language", "es": "del idioma original",
                "fr": "de la langue d'origine"}[lang]
    return fallback if form == 0 else code


def attribution_for(article: Article, notice: str) -> Attribution:
    """Where a translation of ``article`` comes from, with the notice."""
    return Attribution(site_name=article.site_name or site_of(article),
                       url=article.canonical_url or article.url, author=article.author,
                       published=article.published, notice=notice)


def site_of(article: Article) -> str:
    """The site's name, else the host of the article's address."""
    return article.site_name or urlsplit(article.canonical_url or article.url).hostname or ""
