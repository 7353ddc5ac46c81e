"""extract: main text and metadata of article pages.

``extract_article`` (one page) and ``extract_articles`` (several pages of one site, learning its
furniture first) return :class:`babelwire.models.Article`; ``SiteFurniture`` is the per-site memory
of repeated blocks, ``InMemoryFurniture`` its dict-backed form; ``detect_language`` is shared with
the translate side.
"""

from babelwire.extract.article import article_from_page, extract_article, extract_articles
from babelwire.extract.furniture import (
    InMemoryFurniture,
    SiteFurniture,
    learn_templates,
    site_of,
)
from babelwire.extract.language import detect_language

__all__ = [
    "InMemoryFurniture",
    "SiteFurniture",
    "article_from_page",
    "detect_language",
    "extract_article",
    "extract_articles",
    "learn_templates",
    "site_of",
]
