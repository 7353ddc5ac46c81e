"""What the fault tests and the soak look at while a run goes on, and what they count after it
(issue 16, point 5): every feed item exactly once; no translation twice, none lost, none
half-published; the store's integrity check; no lease left behind."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import lxml.html
from sqlalchemy import func, select, text

from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.models import ItemState
from babelwire.store import Store
from babelwire.store.tables import ItemRow, SourceRow, TranslationRow
from tests.helpers.runs import feed_guids
from tests.services import ServiceProcess

END_STATES = {ItemState.PUBLISHED, ItemState.HELD, ItemState.FAILED}


def states(store: Store) -> Counter[str]:
    """How many items are in each state."""
    with store.session() as s:
        return Counter(dict(s.execute(select(ItemRow.state, func.count())
                                      .group_by(ItemRow.state)).all()))


def leased(store: Store) -> int:
    """How many items are leased right now (worked by someone)."""
    with store.session() as s:
        return int(s.scalar(select(func.count()).where(ItemRow.lease_owner.is_not(None))) or 0)


def finished(store: Store, expected: int) -> bool:
    """Whether ``expected`` items exist and all are in an end state."""
    found = states(store)
    return sum(found.values()) == expected and set(found) <= END_STATES


def wait_for(check: Callable[[], object], timeout: float,
             procs: Sequence[ServiceProcess] = ()) -> None:
    """Wait until ``check()`` is true (errors count as false: the store may be away)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # the store between two connections, or down on purpose
            pass
        time.sleep(0.1)
    logs = "\n\n".join(f"--- {p.name}\n{p.tail()}" for p in procs)
    raise AssertionError(f"timed out after {timeout:.0f}s\n{logs}")


@dataclass
class Counts:
    """What the store holds after a run, as the invariants of point 5 count it."""

    items: int = 0
    states: Counter[str] = field(default_factory=Counter)
    translations: int = 0
    published: int = 0
    missing_guids: list[str] = field(default_factory=list)
    extra_guids: list[str] = field(default_factory=list)
    duplicate_items: int = 0
    duplicate_translations: int = 0
    lost_translations: int = 0          # a finished item without one of its target languages
    half_published: int = 0             # a published translation without title, text or date
    leases_left: int = 0
    integrity: str = "ok"

    def problems(self) -> list[str]:
        """Every invariant broken, in words (empty: all hold)."""
        found = []
        for name in ("missing_guids", "extra_guids"):
            if getattr(self, name):
                found.append(f"{name}: {getattr(self, name)[:5]}")
        for name in ("duplicate_items", "duplicate_translations", "lost_translations",
                     "half_published", "leases_left"):
            if getattr(self, name):
                found.append(f"{name}: {getattr(self, name)}")
        if self.integrity != "ok":
            found.append(f"integrity: {self.integrity}")
        return found


def count(store: Store, server: SampleSitesServer) -> Counts:
    """Count the invariants on ``store`` after a run on ``server``'s sites."""
    counts = Counts()
    with store.session() as s:
        items = s.execute(select(SourceRow.url, ItemRow.guid, ItemRow.id, ItemRow.state,
                                 ItemRow.lease_owner).join(ItemRow)).all()
        translations = s.execute(select(TranslationRow.item_id, TranslationRow.lang,
                                        TranslationRow.status, TranslationRow.title,
                                        TranslationRow.html, TranslationRow.checks,
                                        TranslationRow.published_at)).all()
    guids = Counter(g for _, g, *_ in items)
    expected = feed_guids(server)
    counts.items = len(items)
    counts.states = Counter(state for *_, state, _ in items)
    counts.missing_guids = sorted(expected - set(guids))
    counts.extra_guids = sorted(set(guids) - expected)
    counts.duplicate_items = sum(n - 1 for n in guids.values())
    pairs = Counter((item_id, lang) for item_id, lang, *_ in translations)
    counts.translations = len(translations)
    counts.duplicate_translations = sum(n - 1 for n in pairs.values())
    counts.leases_left = sum(owner is not None for *_, owner in items)
    targets = {server.feed_url(site): set(site.targets) for site in load_sites(server.data)}
    for url, _, item_id, state, _ in items:
        if state in (ItemState.PUBLISHED, ItemState.HELD):
            have = {lang for (i, lang) in pairs if i == item_id}
            counts.lost_translations += len(targets[url] - have)
    for _, _, status, title, html, checks, published_at in translations:
        if status != "published":
            continue
        counts.published += 1
        whole = bool(title.strip() and html.strip() and published_at is not None)
        try:
            json.loads(checks)
            body = lxml.html.fragment_fromstring(html, create_parent="div").text_content()
        except (ValueError, TypeError):
            whole = False
        else:
            whole = whole and bool(body.strip())
        counts.half_published += not whole
    counts.integrity = integrity(store)
    return counts


def integrity(store: Store) -> str:
    """SQLite's ``PRAGMA integrity_check`` and foreign-key check; on PostgreSQL, which
    enforces its constraints itself, that every translation's and item's parent exists."""
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            result = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            fks = list(conn.execute(text("PRAGMA foreign_key_check")))
            return "ok" if result == ["ok"] and not fks else f"{result[:3]} {fks[:3]}"
        orphans = conn.execute(text(
            "SELECT (SELECT count(*) FROM translations t LEFT JOIN items i ON i.id = t.item_id "
            "WHERE i.id IS NULL) + (SELECT count(*) FROM items i LEFT JOIN sources s "
            "ON s.id = i.source_id WHERE s.id IS NULL)")).scalar()
        return "ok" if orphans == 0 else f"{orphans} orphan rows"
