"""Publishing targets (sites babelwire pushes into) and each translation's post on each of them.

A target's posts are kept in step in two moves. ``plan_target`` compares, in one transaction,
what the store knows (published translations, held ones, taken-down items) with what each
``target_posts`` row says the target should have, and marks what changed: a new translation
wants a post, an edited one a new ``version``, a takedown or a withdrawn translation the trash.
Then ``claim_target_post`` hands out the rows whose ``want``/``version`` differ from what the
target has (``done``/``done_version``), one at a time under a lease, oldest translation first;
``finish_target_post`` records the outcome, ``fail_target_post`` the error and when to try again.

The post's slug is written before the post is created (``begin_target_post``), so that a
process killed between WordPress's answer and ``finish_target_post`` is followed by one that
finds the post by its slug instead of making a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from babelwire.exceptions import StoreError
from babelwire.models import ItemState, PublishedArticle, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.site import FULL, NOTHING, full_row_view, full_rows
from babelwire.store.tables import (
    ItemRow,
    SourceRow,
    TargetPostRow,
    TargetRow,
    TranslationRow,
    utcnow,
)

PUBLISH, DRAFT, TRASH = "publish", "draft", "trash"


@dataclass(frozen=True)
class TargetInfo:
    """A publishing target. ``password_file`` names the file holding the application password;
    the password itself is never stored."""

    id: int
    kind: str
    url: str
    user: str
    password_file: str
    languages: tuple[str, ...]
    drafts: bool
    created_at: datetime | None


@dataclass(frozen=True)
class TargetPost:
    """One unit of work: make the target's post of (item, lang) what ``want`` says."""

    target_id: int
    item_id: int
    lang: str
    want: str
    version: str
    done: str
    post_id: int | None
    slug: str
    media_id: int | None
    attempts: int


@dataclass(frozen=True)
class TargetCounts:
    """Where a target's posts stand."""

    published: int = 0
    drafts: int = 0
    trashed: int = 0
    pending: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def _target(row: TargetRow) -> TargetInfo:
    return TargetInfo(id=row.id, kind=row.kind, url=row.url, user=row.user,
                      password_file=row.password_file,
                      languages=tuple(x for x in row.languages.split(",") if x),
                      drafts=row.drafts, created_at=row.created_at)


def _post(row: TargetPostRow) -> TargetPost:
    return TargetPost(target_id=row.target_id, item_id=row.item_id, lang=row.lang,
                      want=row.want, version=row.version, done=row.done, post_id=row.post_id,
                      slug=row.slug, media_id=row.media_id, attempts=row.attempts)


def _wanted(target: TargetRow, s: Session) -> dict[tuple[int, str], tuple[str, str, datetime]]:
    """(item, lang) → (want, version, sort time) of every translation the target should carry."""
    langs = [x for x in target.languages.split(",") if x]
    query = (select(TranslationRow.item_id, TranslationRow.lang, TranslationRow.status,
                    TranslationRow.updated_at, TranslationRow.published_at,
                    TranslationRow.created_at, ItemRow.state)
             .join(ItemRow, ItemRow.id == TranslationRow.item_id)
             .join(SourceRow, SourceRow.id == ItemRow.source_id)
             .where(TranslationRow.lang.in_(langs), SourceRow.republish != NOTHING))
    wanted = {}
    for item_id, lang, status, updated, published, created, state in s.execute(query):
        if status == TranslationStatus.PUBLISHED and state == ItemState.PUBLISHED:
            want = PUBLISH
        elif status == TranslationStatus.HELD and target.drafts:
            want = DRAFT
        else:
            continue
        wanted[(item_id, lang)] = (want, updated.isoformat(), published or created)
    return wanted


class TargetsMixin(StoreBase):
    """Targets and their posts; mixed into ``Store``."""

    def add_target(self, kind: str, url: str, user: str, password_file: str,
                   languages: tuple[str, ...], *, drafts: bool = False) -> TargetInfo:
        """Add a target (or change the one at ``url``)."""
        with self.session() as s:
            row = s.scalar(select(TargetRow).where(TargetRow.url == url))
            if row is None:
                row = TargetRow(url=url, created_at=utcnow())
                s.add(row)
            row.kind, row.user, row.password_file = kind, user, password_file
            row.languages, row.drafts = ",".join(languages), drafts
            s.flush()
            return _target(row)

    def list_targets(self) -> list[TargetInfo]:
        """Every target, oldest first."""
        with self.session() as s:
            return [_target(r) for r in s.scalars(select(TargetRow).order_by(TargetRow.id))]

    def get_target(self, ref: str | int) -> TargetInfo | None:
        """A target by id or URL."""
        with self.session() as s:
            if isinstance(ref, int) or str(ref).isdigit():
                row = s.get(TargetRow, int(ref))
            else:
                row = s.scalar(select(TargetRow).where(TargetRow.url == str(ref).rstrip("/")))
            return _target(row) if row else None

    def remove_target(self, target_id: int) -> bool:
        """Forget a target and its posts' records (the posts stay on the target)."""
        with self.session() as s:
            s.execute(delete(TargetPostRow).where(TargetPostRow.target_id == target_id))
            return bool(s.execute(delete(TargetRow).where(TargetRow.id == target_id)).rowcount)  # type: ignore[attr-defined]

    def plan_target(self, target_id: int) -> int:
        """Mark every post of the target whose wanted state changed; returns how many."""
        with self.session() as s:
            target = s.get(TargetRow, target_id)
            if target is None:
                raise StoreError("no such target", subject=str(target_id))
            wanted = _wanted(target, s)
            rows = {(r.item_id, r.lang): r for r in s.scalars(
                select(TargetPostRow).where(TargetPostRow.target_id == target_id))}
            changed = 0
            for key, (want, version, sort_at) in wanted.items():
                row = rows.get(key)
                if row is None:
                    s.add(TargetPostRow(target_id=target_id, item_id=key[0], lang=key[1],
                                        want=want, version=version, sort_at=sort_at,
                                        updated_at=utcnow()))
                    changed += 1
                elif (row.want, row.version) != (want, version):
                    _rewant(row, want, version)
                    changed += 1
            working = _being_worked(s, {key[0] for key in rows} - {key[0] for key in wanted})
            for key, row in rows.items():
                # an item worked again (its feed entry changed) keeps its post until it is done
                if key not in wanted and row.want != TRASH and key[0] not in working:
                    _rewant(row, TRASH, "")
                    changed += 1
            return changed

    def claim_target_post(self, target_id: int, owner: str, now: datetime,
                          lease_seconds: float) -> TargetPost | None:
        """Lease the oldest post of the target with work to do, or None."""
        free = or_(TargetPostRow.lease_until.is_(None), TargetPostRow.lease_until < now)
        ready = or_(TargetPostRow.next_attempt_at.is_(None), TargetPostRow.next_attempt_at <= now)
        todo = and_(TargetPostRow.target_id == target_id, TargetPostRow.failed.is_(False),
                    or_(TargetPostRow.want != TargetPostRow.done,
                        TargetPostRow.version != TargetPostRow.done_version))
        # a post never made and no longer wanted needs no work: it is just done
        nothing = and_(TargetPostRow.want == TRASH, TargetPostRow.post_id.is_(None),
                       TargetPostRow.slug == "")
        with self.session() as s:
            s.execute(update(TargetPostRow).where(todo, nothing, free).values(
                done=TRASH, done_version=TargetPostRow.version))
            keys = s.execute(select(TargetPostRow.item_id, TargetPostRow.lang)
                             .where(todo, free, ready)
                             .order_by(TargetPostRow.sort_at, TargetPostRow.item_id,
                                       TargetPostRow.lang).limit(20)).all()
            for item_id, lang in keys:
                mine = (TargetPostRow.target_id == target_id, TargetPostRow.item_id == item_id,
                        TargetPostRow.lang == lang)
                done = s.execute(update(TargetPostRow).where(*mine, todo, free, ready).values(
                    lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds)))
                if done.rowcount:  # type: ignore[attr-defined]
                    return _post(s.get_one(TargetPostRow, (target_id, item_id, lang)))
        return None

    def _leased(self, s: Session, post: TargetPost, owner: str) -> TargetPostRow:
        row = s.get(TargetPostRow, (post.target_id, post.item_id, post.lang))
        if row is None or row.lease_owner != owner:
            raise StoreError("lease lost on the target's post",
                             subject=f"item {post.item_id} ({post.lang})", retryable=True)
        return row

    def begin_target_post(self, post: TargetPost, owner: str, slug: str) -> None:
        """Write down the slug the post is about to be created with (before creating it)."""
        with self.session() as s:
            self._leased(s, post, owner).slug = slug

    def keep_target_media(self, post: TargetPost, owner: str, media_id: int) -> None:
        """Remember the featured image uploaded for the post (uploaded once)."""
        with self.session() as s:
            self._leased(s, post, owner).media_id = media_id

    def finish_target_post(self, post: TargetPost, owner: str, *, post_id: int | None,
                           done: str) -> None:
        """Record that the target now has ``done`` for the version claimed; lets go."""
        with self.session() as s:
            row = self._leased(s, post, owner)
            row.post_id, row.done, row.done_version = post_id, done, post.version
            row.attempts, row.last_error, row.next_attempt_at = 0, "", None
            row.lease_owner = row.lease_until = None

    def fail_target_post(self, post: TargetPost, owner: str, error: str, *, retryable: bool,
                         backoff_seconds: float, forget_post: bool = False) -> None:
        """Record why the post could not be made; tried again after a growing delay if
        ``retryable``, else not until the translation changes."""
        with self.session() as s:
            row = self._leased(s, post, owner)
            row.attempts += 1
            row.last_error, row.failed = error, not retryable
            delay = min(backoff_seconds * 2 ** (row.attempts - 1), 3600.0)
            row.next_attempt_at = utcnow() + timedelta(seconds=delay) if retryable else None
            if forget_post:
                row.post_id = row.media_id = None
                row.slug, row.done = "", ""
            row.lease_owner = row.lease_until = None

    def target_article(self, item_id: int, lang: str) -> PublishedArticle | None:
        """A translation with what a post needs of its original, whatever its status."""
        query = full_rows(select(*FULL).select_from(TranslationRow)).where(
            TranslationRow.item_id == item_id, TranslationRow.lang == lang)
        with self.connection() as conn:
            row = conn.execute(query).first()
            return full_row_view(row) if row else None

    def target_counts(self, target_id: int) -> TargetCounts:
        """How many of the target's posts are published, drafts, trashed, waiting or failed."""
        with self.session() as s:
            rows = s.scalars(select(TargetPostRow)
                             .where(TargetPostRow.target_id == target_id)).all()
        def settled(r: TargetPostRow) -> bool:
            return r.want == r.done and r.version == r.done_version
        errors = tuple(f"item {r.item_id} ({r.lang}): {r.last_error}" for r in rows
                       if r.last_error and not settled(r))
        return TargetCounts(
            published=sum(1 for r in rows if settled(r) and r.done == PUBLISH),
            drafts=sum(1 for r in rows if settled(r) and r.done == DRAFT),
            trashed=sum(1 for r in rows if settled(r) and r.done == TRASH and r.post_id),
            pending=sum(1 for r in rows if not settled(r) and not r.failed),
            failed=sum(1 for r in rows if not settled(r) and r.failed), errors=errors)

    def target_posts(self, target_id: int) -> list[TargetPost]:
        """Every post record of a target, in publishing order."""
        with self.session() as s:
            rows = s.scalars(select(TargetPostRow).where(TargetPostRow.target_id == target_id)
                             .order_by(TargetPostRow.sort_at, TargetPostRow.item_id,
                                       TargetPostRow.lang)).all()
            return [_post(r) for r in rows]


# the states of an item on its way through the pipeline again (not an end state)
WORKING = (ItemState.DISCOVERED, ItemState.FETCHED, ItemState.EXTRACTED, ItemState.TRANSLATED)


def _being_worked(s: Session, item_ids: set[int]) -> set[int]:
    """Those of ``item_ids`` that are being worked again."""
    if not item_ids:
        return set()
    return set(s.scalars(select(ItemRow.id).where(ItemRow.id.in_(item_ids),
                                                 ItemRow.state.in_([str(x) for x in WORKING]))))


def _rewant(row: TargetPostRow, want: str, version: str) -> None:
    """A new wanted state: errors of the old one are forgotten and it is tried at once."""
    row.want, row.version = want, version
    row.attempts, row.failed, row.last_error, row.next_attempt_at = 0, False, "", None
