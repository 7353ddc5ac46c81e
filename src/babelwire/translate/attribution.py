"""The attribution every translation carries: the original's site, address, author and date, with
the machine-translation notice (written by ``babelwire.i18n.notice``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from babelwire.models import Article, Attribution


def attribution_for(article: Article, notice: str) -> Attribution:
    """Where a translation of ``article`` comes from, with the notice."""
    return Attribution(site_name=article.site_name or site_of(article),
                       url=article.canonical_url or article.url, author=article.author,
                       published=article.published, notice=notice)


def site_of(article: Article) -> str:
    """The site's name, else the host of the article's address."""
    return article.site_name or urlsplit(article.canonical_url or article.url).hostname or ""
