"""The review queue: held and failed translations that an editor edits, approves or rejects.

Only translations of items at rest (published, held or failed, and leased by no runner) can be
reviewed: an item the pipeline is working again belongs to the pipeline. Every decision is a
compare-and-set (``UPDATE ... WHERE status IN (held, failed)``), so two editors deciding at the
same time, or a runner re-working the item meanwhile, cannot both win.

Approving publishes the translation and sets the item's state by the rule ``publish_item``
follows (published if any translation is). It returns an ``Approval`` holding the source and the
approved text, which is what a translation memory needs to learn from the editor's work.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.orm import Session

from babelwire.models import Check, ItemState, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.tables import (
    ArticleRow,
    ItemRow,
    ReviewRow,
    SourceRow,
    TranslationRow,
    utcnow,
)

_T = TypeVar("_T")

REVIEWABLE = (TranslationStatus.HELD, TranslationStatus.FAILED)
RESTING = (ItemState.PUBLISHED, ItemState.HELD, ItemState.FAILED)


@dataclass(frozen=True)
class QueueEntry:
    """A translation waiting for review, as the queue lists it."""

    item_id: int
    lang: str
    source_lang: str
    status: TranslationStatus
    title: str
    original_title: str
    source_name: str
    reason: str
    failed: tuple[str, ...]
    updated_at: datetime | None
    human_edited: bool


@dataclass(frozen=True)
class ReviewDetail:
    """One translation with everything an editor needs beside it: original, checks, history."""

    item_id: int
    lang: str
    source_lang: str
    status: TranslationStatus
    item_state: ItemState
    title: str
    html: str
    engine: str
    reason: str
    checks: tuple[Check, ...]
    repairs: tuple[str, ...]
    original_title: str
    original_html: str
    original_url: str
    site_name: str
    source_name: str
    author: str
    updated_at: datetime | None
    human_edited: bool
    edited_by: str = ""
    edited_at: datetime | None = None
    decision: str = ""
    decided_by: str = ""

    @property
    def reviewable(self) -> bool:
        """Whether an editor may still edit, approve or reject it."""
        return self.status in REVIEWABLE and self.item_state in RESTING


@dataclass(frozen=True)
class Approval:
    """An approved translation: what the translation memory learns from.

    ``machine_*`` is what the engine wrote; ``title``/``html``/``text`` what was published, the
    same unless ``human_edited``.
    """

    item_id: int
    lang: str
    source_lang: str
    source_title: str
    source_html: str
    machine_title: str
    machine_html: str
    title: str
    html: str
    text: str
    human_edited: bool
    editor: str
    approved_at: datetime


class _Conflict(Exception):
    """Someone else changed the translation or its item first; the transaction is undone."""


def _checks(raw: str) -> tuple[Check, ...]:
    return tuple(Check(**c) for c in json.loads(raw or "[]"))


def _edited(tr: TranslationRow, review: ReviewRow | None) -> bool:
    # A re-translation by the pipeline overwrites the text but not the flag (``save_translations``
    # does not know it), so the flag counts only while the text is still the editor's.
    return tr.human_edited and review is not None and review.edited_html == tr.html


def _queue_query() -> Select[TranslationRow, str, str, ReviewRow]:
    return (select(TranslationRow, ArticleRow.title, SourceRow.name, ReviewRow)
            .join(ItemRow, ItemRow.id == TranslationRow.item_id)
            .join(ArticleRow, ArticleRow.item_id == ItemRow.id)
            .join(SourceRow, SourceRow.id == ItemRow.source_id)
            .outerjoin(ReviewRow, ReviewRow.translation_id == TranslationRow.id)
            .where(TranslationRow.status.in_([str(s) for s in REVIEWABLE]),
                   ItemRow.state.in_([str(s) for s in RESTING])))


def _reviewable(s: Session, item_id: int, lang: str) -> tuple[TranslationRow, ArticleRow] | None:
    query = (select(TranslationRow, ArticleRow)
             .join(ItemRow, ItemRow.id == TranslationRow.item_id)
             .join(ArticleRow, ArticleRow.item_id == ItemRow.id)
             .where(TranslationRow.item_id == item_id, TranslationRow.lang == lang,
                    TranslationRow.status.in_([str(x) for x in REVIEWABLE]),
                    ItemRow.state.in_([str(x) for x in RESTING])))
    found = s.execute(query).first()
    return (found[0], found[1]) if found else None


def _item_free(now: datetime) -> ColumnElement[bool]:
    return or_(ItemRow.lease_owner.is_(None), ItemRow.lease_until < now)


def _set_status(s: Session, tr: TranslationRow, **values: Any) -> None:
    if "html" in values:  # an edit: readers get it rendered again from the new HTML
        values.update(safe_html=None, safe_lead=None)
    if "title" in values:  # the editor's title replaces the marked one
        values.setdefault("title_html", "")
    done = s.execute(update(TranslationRow)
                     .where(TranslationRow.id == tr.id,
                            TranslationRow.status.in_([str(x) for x in REVIEWABLE]))
                     .values(**values).execution_options(synchronize_session="fetch"))
    if not done.rowcount:  # type: ignore[attr-defined]
        raise _Conflict


def _settle_item(s: Session, item_id: int, now: datetime) -> ItemState:
    """Set the item's state from its translations, as ``Store.publish_item`` decides it."""
    rows = s.execute(select(TranslationRow.lang, TranslationRow.status, TranslationRow.reason)
                     .where(TranslationRow.item_id == item_id)).all()
    statuses = {status for _, status, _ in rows}
    if TranslationStatus.PUBLISHED in statuses:
        state = ItemState.PUBLISHED
    elif TranslationStatus.HELD in statuses:
        state = ItemState.HELD
    else:
        state = ItemState.FAILED
    reason = None if state == ItemState.PUBLISHED else "; ".join(
        f"{lang}: {why}" for lang, _, why in rows if why)
    done = s.execute(update(ItemRow)
                     .where(ItemRow.id == item_id,
                            ItemRow.state.in_([str(x) for x in RESTING]), _item_free(now))
                     .values(state=state, reason=reason))
    if not done.rowcount:  # type: ignore[attr-defined]
        raise _Conflict
    return state


def _review_row(s: Session, translation_id: int) -> ReviewRow:
    row = s.get(ReviewRow, translation_id)
    if row is None:
        row = ReviewRow(translation_id=translation_id, machine_title="", machine_html="",
                        edited_html="", edited_by="", decision="", decided_by="", note="")
        s.add(row)
    return row


class ReviewMixin(StoreBase):
    """The review queue: editing, approving and rejecting held translations."""

    def review_queue(self, *, limit: int = 50,
                     offset: int = 0) -> tuple[list[QueueEntry], int]:
        """Translations waiting for review, most recently changed first, and how many there are."""
        query = _queue_query()
        with self.session() as s:
            total = int(s.scalar(select(func.count()).select_from(query.subquery())) or 0)
            if limit <= 0:
                return [], total
            rows = s.execute(query.order_by(TranslationRow.updated_at.desc(),
                                            TranslationRow.id.desc())
                             .limit(limit).offset(max(0, offset))).all()
            entries = [QueueEntry(
                item_id=tr.item_id, lang=tr.lang, source_lang=tr.source_lang,
                status=TranslationStatus(tr.status), title=tr.title, original_title=original,
                source_name=source, reason=tr.reason,
                failed=tuple(c.name for c in _checks(tr.checks) if not c.ok),
                updated_at=tr.updated_at, human_edited=_edited(tr, review))
                for tr, original, source, review in rows]
        return entries, total

    def get_review(self, item_id: int, lang: str) -> ReviewDetail | None:
        """A translation with its original, checks and review history, whatever its status."""
        query = (select(TranslationRow, ItemRow.state, ArticleRow, SourceRow.name, ReviewRow)
                 .join(ItemRow, ItemRow.id == TranslationRow.item_id)
                 .join(ArticleRow, ArticleRow.item_id == ItemRow.id)
                 .join(SourceRow, SourceRow.id == ItemRow.source_id)
                 .outerjoin(ReviewRow, ReviewRow.translation_id == TranslationRow.id)
                 .where(TranslationRow.item_id == item_id, TranslationRow.lang == lang))
        with self.session() as s:
            found = s.execute(query).first()
            if found is None:
                return None
            tr, state, art, source, review = found
            return ReviewDetail(
                item_id=tr.item_id, lang=tr.lang, source_lang=tr.source_lang or art.lang,
                status=TranslationStatus(tr.status), item_state=ItemState(state), title=tr.title,
                html=tr.html, engine=tr.engine, reason=tr.reason, checks=_checks(tr.checks),
                repairs=tuple(json.loads(tr.repairs or "[]")), original_title=art.title,
                original_html=art.html, original_url=art.canonical_url or art.url,
                site_name=art.site_name or source, source_name=source, author=art.author,
                updated_at=tr.updated_at, human_edited=_edited(tr, review),
                edited_by=review.edited_by if review else "",
                edited_at=review.edited_at if review else None,
                decision=review.decision if review else "",
                decided_by=review.decided_by if review else "")

    def save_edit(self, item_id: int, lang: str, *, title: str, html: str, text: str,
                  editor: str) -> bool:
        """Replace a waiting translation's title and (already sanitised) HTML with an editor's.

        The engine's own text is kept aside at the first edit. False if the translation is not
        (or no longer) waiting for review.
        """
        now = utcnow()

        def edit(s: Session, tr: TranslationRow, _art: ArticleRow) -> bool:
            review = _review_row(s, tr.id)
            if not review.edited_at or review.edited_html != tr.html:
                # First edit of this machine output (or the pipeline re-translated since).
                review.machine_title, review.machine_html = tr.title, tr.html
            _set_status(s, tr, title=title, html=html, text=text)
            tr.human_edited = True
            review.edited_html, review.edited_by, review.edited_at = html, editor, now
            return True

        return bool(self._on_waiting(item_id, lang, edit))

    def approve(self, item_id: int, lang: str, *, editor: str) -> Approval | None:
        """Publish a waiting translation; None if it is not (or no longer) waiting for review."""
        now = utcnow()

        def publish(s: Session, tr: TranslationRow, art: ArticleRow) -> Approval:
            review = _review_row(s, tr.id)
            edited = bool(review.edited_at) and review.edited_html == tr.html
            _set_status(s, tr, status=TranslationStatus.PUBLISHED, published_at=now, reason="")
            _settle_item(s, item_id, now)
            review.decision, review.decided_by, review.decided_at = "approved", editor, now
            return Approval(
                item_id=item_id, lang=lang, source_lang=tr.source_lang or art.lang,
                source_title=art.title, source_html=art.html,
                machine_title=review.machine_title if edited else tr.title,
                machine_html=review.machine_html if edited else tr.html,
                title=tr.title, html=tr.html, text=tr.text, human_edited=edited,
                editor=editor, approved_at=now)

        return self._on_waiting(item_id, lang, publish)

    def reject(self, item_id: int, lang: str, *, editor: str, note: str = "") -> bool:
        """Reject a waiting translation for good; False if it is not (or no longer) waiting."""
        now = utcnow()
        reason = f"rejected by {editor}" + (f": {note}" if note else "")

        def drop(s: Session, tr: TranslationRow, _art: ArticleRow) -> bool:
            _set_status(s, tr, status=TranslationStatus.REJECTED, reason=reason)
            _settle_item(s, item_id, now)
            review = _review_row(s, tr.id)
            review.decision, review.decided_by, review.decided_at = "rejected", editor, now
            review.note = note
            return True

        return bool(self._on_waiting(item_id, lang, drop))

    def _on_waiting(self, item_id: int, lang: str,
                    work: Callable[[Session, TranslationRow, ArticleRow], _T]) -> _T | None:
        """``work`` on a translation waiting for review and its article, in one transaction;
        None when the translation is not (or no longer) waiting."""
        try:
            with self.session() as s:
                found = _reviewable(s, item_id, lang)
                return None if found is None else work(s, *found)
        except _Conflict:
            return None
