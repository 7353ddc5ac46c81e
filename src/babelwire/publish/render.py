"""Render once, serve many times: an article's body sanitised for readers when it is
published (or first read after a change), stored beside it, and used by every later read.

The store keeps the rendering in ``safe_html`` / ``safe_lead`` (translation) and ``safe_html``
(original) and sets them back to NULL whenever the HTML they came from changes (a
re-translation, an editor's change, a new extraction), so the next publish or read renders
again. What is stored is the whole sanitised body and its first paragraph: the cut a
republishing mode makes (``excerpt``) depends on settings and is made on read, from the first
paragraph alone.
"""

from __future__ import annotations

from dataclasses import replace

from babelwire.models import PublishedArticle
from babelwire.publish.excerpt import first_paragraph
from babelwire.publish.sanitize import clean_html, safe_url
from babelwire.store import Store


def render(article: PublishedArticle) -> PublishedArticle:
    """``article`` with its sanitised body, first paragraph and original body filled in."""
    base = safe_url(article.original_url)
    safe_html = (article.safe_html if article.safe_html is not None
                 else clean_html(article.html, base))
    original = (article.original_safe_html if article.original_safe_html is not None
                else clean_html(article.original_html, base))
    return replace(article, safe_html=safe_html, safe_lead=first_paragraph(safe_html),
                   original_safe_html=original)


def rendered(store: Store, article: PublishedArticle) -> PublishedArticle:
    """``article`` rendered: as stored, or rendered now and stored for the next reads."""
    if not _needs_rendering(article):
        return article
    done = render(article)
    store.save_rendered(*_rendering(article, done))
    return done


def render_item(store: Store, item_id: int) -> int:
    """Render and store the published translations of an item that are not rendered yet (the
    publish step calls it), all in one write; how many it rendered."""
    articles = store.unrendered(item_id)
    store.save_renderings([_rendering(a, render(a)) for a in articles if _needs_rendering(a)])
    return len(articles)


def _needs_rendering(article: PublishedArticle) -> bool:
    return not article.brief and (article.safe_html is None or article.safe_lead is None
                                  or article.original_safe_html is None)


def _rendering(article: PublishedArticle,
               done: PublishedArticle) -> tuple[PublishedArticle, str, str, str]:
    return (article, done.safe_html or "", done.safe_lead or "",
            done.original_safe_html or "")
