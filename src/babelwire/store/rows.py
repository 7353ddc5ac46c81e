"""Rows to the pipeline's plain data and back: every converter of the store in one place."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from babelwire.models import (
    Access,
    Article,
    Check,
    ItemInfo,
    ItemState,
    Rights,
    SourceInfo,
    Translation,
    TranslationStatus,
)
from babelwire.store.tables import ArticleRow, ItemRow, SourceRow, TranslationRow


def targets(text: str) -> tuple[str, ...]:
    """A source's target languages, stored comma-separated."""
    return tuple(t for t in text.split(",") if t)


def source_info(row: SourceRow, items: int = 0) -> SourceInfo:
    """A source row as the pipeline sees it."""
    return SourceInfo(id=row.id, url=row.url, name=row.name, kind=row.kind,
                      targets=targets(row.targets), source_lang=row.source_lang,
                      active=row.active, last_polled_at=row.last_polled_at,
                      next_poll_at=row.next_poll_at, last_error=row.last_error,
                      error_count=row.error_count, items=items, republish=row.republish or "",
                      republish_reason=row.republish_reason or "")


def item_info(row: ItemRow) -> ItemInfo:
    """An item row (with its source) as the pipeline sees it."""
    return ItemInfo(id=row.id, source_id=row.source_id, guid=row.guid, url=row.url,
                    state=ItemState(row.state), attempts=row.attempts, reason=row.reason,
                    feed_title=row.feed_title, feed_content=row.feed_content,
                    targets=targets(row.source.targets), source_lang=row.source.source_lang,
                    source_name=row.source.name, republish=row.source.republish or "",
                    republish_reason=row.source.republish_reason or "")


def rights_from_row(row: ArticleRow) -> Rights:
    """The rights stored with an article."""
    try:
        access = Access(row.access or "unknown")
    except ValueError:
        access = Access.UNKNOWN
    return Rights(license=row.license or None, access=access,
                  robots=_strings(row.robots or "[]"),
                  problems=_strings(row.rights_problems or "[]"))


@lru_cache(maxsize=1024)  # a few distinct lists ("[]" mostly), read for every listed article
def _strings(raw: str) -> tuple[str, ...]:
    return tuple(json.loads(raw))


def fill_rights(row: ArticleRow, rights: Rights) -> None:
    """Write an article's rights into its row."""
    row.license, row.access = rights.license, str(rights.access)
    row.robots = json.dumps(list(rights.robots))
    row.rights_problems = json.dumps(list(rights.problems), ensure_ascii=False)


def article_from_row(row: ArticleRow) -> Article:
    """Turn a stored article back into the pipeline's plain data."""
    published = datetime.fromisoformat(row.published_iso) if row.published_iso else row.published
    return Article(url=row.url, title=row.title, html=row.html, text=row.text, lang=row.lang,
                   author=row.author, published=published, site_name=row.site_name,
                   canonical_url=row.canonical_url, image=row.image,
                   keywords=tuple(json.loads(row.keywords or "[]")), summary=row.summary or "",
                   rights=rights_from_row(row))


def checks_from_json(raw: str) -> tuple[Check, ...]:
    """The checks of a translation row."""
    return tuple(Check(c["name"], bool(c["ok"]), c.get("detail", ""))
                 for c in json.loads(raw or "[]"))


def translation_from_row(row: TranslationRow) -> Translation:
    """A stored translation (any status) as the pipeline's plain data."""
    return Translation(lang=row.lang, engine=row.engine, title=row.title, html=row.html,
                       text=row.text, status=TranslationStatus(row.status),
                       checks=checks_from_json(row.checks), reason=row.reason or "",
                       source_lang=row.source_lang,
                       repairs=tuple(json.loads(row.repairs or "[]")),
                       title_html=row.title_html or "")


def fill_translation(tr: TranslationRow, t: Translation, seconds: float) -> None:
    """Write a translation into its row (a re-translation resets the editor's flag)."""
    tr.source_lang, tr.engine, tr.title, tr.html, tr.text, tr.title_html = (
        t.source_lang, t.engine, t.title, t.html, t.text, t.title_html)
    tr.status = str(t.status)
    tr.checks = json.dumps([c.to_json() for c in t.checks], ensure_ascii=False)
    tr.repairs = json.dumps(list(t.repairs), ensure_ascii=False)
    tr.reason = t.reason
    tr.notice = t.attribution.notice if t.attribution else ""
    tr.seconds = seconds
    tr.human_edited = False
    tr.published_at = None
    tr.safe_html = tr.safe_lead = None   # rendered again for readers from the new HTML


def why_not_published(row: TranslationRow) -> str:
    """Why a translation is not published: its reason, else the names of its failed checks."""
    failed = [c.name for c in checks_from_json(row.checks) if not c.ok]
    return row.reason or (f"{row.status}, failed checks: {', '.join(failed)}" if failed
                          else str(row.status))
