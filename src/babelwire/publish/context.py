"""What every view needs: settings, the store, the templates and a few page-building helpers.

One ``Context`` is built by ``create_app`` and handed to views through a FastAPI dependency, so no
view reads a global.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any

import jinja2
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from babelwire import i18n
from babelwire.models import PublishedArticle
from babelwire.publish.present import Entry, front_path, present, valid_lang
from babelwire.publish.render import rendered
from babelwire.settings import Settings
from babelwire.store import Store

PAGE_CACHE_CONTROL = "public, max-age=60"


def make_templates() -> jinja2.Environment:
    """The Jinja2 environment of the site's templates (autoescaped HTML and XML)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("babelwire.publish", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "xml"]),
                             trim_blocks=False, lstrip_blocks=False,
                             # The templates ship in the package: never look at their files again.
                             auto_reload=False)
    env.filters["day"] = _day
    env.filters["datetime_attr"] = datetime_attr
    env.globals["card_html"] = Cards(env)
    return env


class Cards:
    """A listing's cards, each rendered once per version of what it shows.

    A card is a pure function of its entry (every column of the translation's row, the site's
    URL and the republishing policy) and of its story line: the key is all of them, so a card
    is never stale; a re-translation, an edit or a renamed source makes another key. Front
    pages, source pages and searches show the same newest cards to every reader until the next
    publish, which adds one card: the others are not rendered again. Bounded (``size`` cards).
    """

    def __init__(self, env: jinja2.Environment, size: int = 2048) -> None:
        self.env = env
        self._render = lru_cache(maxsize=size)(self._card)

    def __call__(self, entry: Entry, story: Any = None) -> Markup:
        return self._render(entry, story)

    def _card(self, entry: Entry, story: Any) -> Markup:
        macro = self.env.get_template("macros.html").module.card  # type: ignore[attr-defined]
        return Markup(macro(entry, i18n.labels(entry.lang), story))


def datetime_attr(when: datetime) -> str:
    """``when`` as HTML's ``<time datetime>`` wants it: whole seconds (HTML allows at most three
    digits of a second's fraction; Python writes six)."""
    return when.isoformat(timespec="seconds")


def _day(when: datetime | None, lang: str) -> str:
    return i18n.format_day(when, lang)


@dataclass(frozen=True)
class Context:
    """Shared state of one app: settings, store, templates and page sizes."""

    settings: Settings
    store: Store
    templates: jinja2.Environment
    page_size: int = 20
    feed_size: int = 30

    @property
    def site_url(self) -> str:
        """The public base URL without a trailing slash."""
        return self.settings.site_url.rstrip("/")

    def absolute(self, path: str) -> str:
        """An absolute URL for a site path."""
        return self.site_url + path

    def entries(self, articles: Iterable[PublishedArticle]) -> list[Entry]:
        """Published articles wrapped for display, rendered once (``publish.render``): what
        was not rendered yet is rendered now and stored for the next reads."""
        return [present(self._rendered(a), self.site_url,
                        non_commercial=self.settings.non_commercial_site) for a in articles]

    def _rendered(self, article: PublishedArticle) -> PublishedArticle:
        if article.brief and article.safe_lead is None:
            # A listing row whose first paragraph is not stored yet: render the whole article.
            whole = self.store.published_article(article.item_id, article.lang)
            article = whole if whole is not None else article
        return rendered(self.store, article)

    def check_lang(self, lang: str) -> list[str]:
        """The languages with published translations; 404 unless ``lang`` is one or a target."""
        published = self.store.published_languages()
        if not valid_lang(lang) or (lang not in published
                                    and lang not in self.store.target_languages()):
            raise HTTPException(status_code=404)
        return published

    def switcher(self, langs: Sequence[str], current: str,
                 paths: dict[str, str] | None = None) -> list[tuple[str, str, str, bool]]:
        """(code, own name, path, is current) for the language switcher."""
        paths = paths or {code: front_path(code) for code in langs}
        return [(code, i18n.language_name(code), paths[code], code == current)
                for code in langs if code in paths]

    def page_values(self, lang: str, **values: Any) -> dict[str, Any]:
        """Template values every page needs, merged with the page's own."""
        base: dict[str, Any] = {
            "lang": lang, "dir": i18n.text_direction(lang), "t": i18n.labels(lang),
            "site_title": self.settings.site_title, "home": front_path(lang),
            "alternates": [], "feeds": [], "og": [], "jsonld": None, "switcher": [],
            "description": "", "canonical": "", "robots": "",
            "sources_href": f"/{lang}/sources/", "api_href": f"/api/v1/articles?lang={lang}",
            "search_href": f"/{lang}/search"}
        base.update(values)
        return base

    def render(self, name: str, lang: str, *, status: int = 200, **values: Any) -> HTMLResponse:
        """A rendered template as an HTML response."""
        html = self.templates.get_template(name).render(self.page_values(lang, **values))
        return HTMLResponse(html, status_code=status,
                            headers={"cache-control": PAGE_CACHE_CONTROL})


def get_context(request: Request) -> Context:
    """FastAPI dependency: the app's ``Context``."""
    ctx: Context = request.app.state.context
    return ctx


Ctx = Annotated[Context, Depends(get_context)]
