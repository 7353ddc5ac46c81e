"""The embedded default: one process polls sources on their schedule and works items with a pool.

Two runners on the same store cooperate through leases (see ``Store.claim_item``); a runner killed
at any moment leaves its leased items to expire and be picked up again.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from textwrap import shorten

from babelwire.exceptions import StoreUnavailable
from babelwire.models import ItemInfo, ItemState
from babelwire.run.lease import kept_lease
from babelwire.run.outage import Outage
from babelwire.run.stage_table import STAGE_AT, pairs_to_start
from babelwire.run.stages import PollOutcome, Services, poll_source, record_failure
from babelwire.settings import Settings
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow

Progress = Callable[[str], None]


@dataclass
class RunReport:
    """What one run did: polls, new items and the outcome of each item it worked."""

    polled: int = 0
    source_errors: list[str] = field(default_factory=list)
    new_items: int = 0
    changed_items: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False
    # publishing targets: posts brought in step, and why a target's sync stopped
    target_posts: int = 0
    target_errors: list[str] = field(default_factory=list)

    @property
    def worked(self) -> int:
        """How many items this run moved to an end state."""
        return sum(self.outcomes.values())


def work_item(settings: Settings, store: Store, services: Services, item: ItemInfo,
              owner: str, *, stages: int | None = None) -> ItemState:
    """Run the item's remaining stages (at most ``stages`` of them); failures are recorded on the
    item, never raised, except ``StoreUnavailable`` (the store, not the item, is at fault).
    Returns the state the item is left in."""
    state, done = item.state, 0
    try:
        while state in STAGE_AT and (stages is None or done < stages):
            STAGE_AT[state].run(settings, store, services, item, owner)
            refreshed = store.get_item(item.id)
            state, done = (refreshed.state if refreshed else ItemState.FAILED), done + 1
        return state
    except Exception as exc:  # a bug must cost one item, not the run
        return record_failure(settings, store, item, owner, exc)


class Runner:
    """Polls due sources and works items until there is nothing left (``once``) or it is stopped."""

    def __init__(self, settings: Settings, store: Store, *, services: Services | None = None,
                 progress: Progress | None = None) -> None:
        self.settings = settings
        self.store = store
        self.services = services or Services(settings, store=store)
        self.progress: Progress = progress or (lambda line: None)
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self.outage = Outage()
        # leases of ours cut short by an outage of the store, given back once it is back
        self._dropped: list[tuple[int, str]] = []

    def close(self) -> None:
        """Stop engines and connections."""
        self.services.close()

    def run(self, *, once: bool = False, idle_sleep: float = 5.0) -> RunReport:
        """Poll and work until done (``once``) or until ``stop`` is set."""
        report = RunReport()
        while not self.stop.is_set():
            try:
                self.poll_due(report, due_only=not once)
            except StoreUnavailable as exc:  # the items already found are worked below
                self.stop.wait(self.outage.failed(exc, "polling"))
                self.progress(f"! store unavailable: {exc}")
            self.work_all(report)
            try:
                self.sync_targets(report)
            except StoreUnavailable as exc:  # the targets catch up at the next round
                self.stop.wait(self.outage.failed(exc, "publishing to targets"))
                self.progress(f"! store unavailable: {exc}")
            if once:
                break
            self.stop.wait(idle_sleep)
        report.interrupted = self.stop.is_set()
        return report

    def poll_due(self, report: RunReport, *, due_only: bool = True) -> None:
        """Poll every source that is due (or every source), one after the other; the fetcher
        spaces requests to the same host."""
        sources = self.store.claim_due_sources(utcnow(), self.settings.lease_seconds,
                                               due_only=due_only)
        for source in sources:
            if self.stop.is_set():
                break
            outcome = poll_source(self.settings, self.store, self.services, source)
            self._report_poll(report, outcome)

    def sync_targets(self, report: RunReport) -> None:
        """The stage after ``publish``: bring every publishing target (WordPress) in step with
        the store, under the store's leases (``babelwire.targets.sync``). A target that fails
        is said and tried again at the next round; babelwire's own site is not affected."""
        if not self.store.list_targets():
            return
        from babelwire.targets.sync import image_fetcher, sync_targets

        assert self.services.fetcher is not None
        for done in sync_targets(self.settings, self.store, image_fetcher(self.services.fetcher),
                                 progress=self.progress, stop=self.stop):
            report.target_posts += done.total
            if done.stopped:
                report.target_errors.append(done.stopped)

    def _report_poll(self, report: RunReport, outcome: PollOutcome) -> None:
        report.polled += 1
        name = outcome.source.name or outcome.source.url
        if outcome.error:
            report.source_errors.append(f"{name}: {outcome.error}")
            self.progress(f"! source {name}: {outcome.error}")
            return
        report.new_items += outcome.new
        report.changed_items += outcome.changed
        if outcome.not_modified:
            self.progress(f"= source {name}: not modified")
        else:
            self.progress(f"+ source {name}: {outcome.new} new, {outcome.changed} changed")

    def work_all(self, report: RunReport) -> None:
        """Work items with ``settings.workers`` threads until none is left to claim."""
        workers = max(1, self.settings.workers)
        with ThreadPoolExecutor(workers, thread_name_prefix="babelwire-worker") as pool:
            for future in [pool.submit(self._worker, report) for _ in range(workers)]:
                future.result()

    def _worker(self, report: RunReport) -> None:
        while not self.stop.is_set():
            try:
                if not self._claim_and_work(report):
                    return
            except StoreUnavailable as exc:
                # nothing of the stage was committed; wait for the store, counting no attempt
                wait = self.outage.failed(exc, "the runner")
                self.progress(f"! store unavailable, trying again in {wait:.1f}s: {exc}")
                self.stop.wait(wait)
                continue
            self.outage.succeeded()

    def _claim_and_work(self, report: RunReport) -> bool:
        self._give_back_dropped()
        # One lease owner per claim, not per runner: a sibling thread that took the item over
        # after its lease ran out must not pass the lease check on this thread's writes.
        owner = new_owner()
        item = self.store.claim_item(owner, utcnow(), self.settings.lease_seconds,
                                     max_attempts=self.settings.max_attempts)
        if item is None:
            return False
        self._start_engines_for(item)
        try:
            with kept_lease(self.store, item.id, owner, self.settings.lease_seconds):
                self._work_one(item, owner, report)
        except StoreUnavailable:
            with self._lock:
                self._dropped.append((item.id, owner))
            raise
        return True

    def _start_engines_for(self, item: ItemInfo) -> None:
        """When an item is claimed before its translation, start the engines for its pairs
        (``Services.start_engines``, which starts each pair once): they load while this item
        and its siblings are fetched and extracted. A source whose language is not declared
        waits for its first translation, as before. The Celery workers do the same
        (``run.tasks.run_stage``)."""
        self.services.start_engines(pairs_to_start(item))

    def _give_back_dropped(self) -> None:
        """Let go of the leases an outage cut short (the store is reachable again, or this
        raises ``StoreUnavailable`` once more), so that their items need not wait for them
        to run out."""
        with self._lock:
            dropped, self._dropped = self._dropped, []
        try:
            while dropped:
                item_id, owner = dropped[-1]
                self.store.release(item_id, owner)
                dropped.pop()
        finally:
            if dropped:
                with self._lock:
                    self._dropped.extend(dropped)

    def _work_one(self, item: ItemInfo, owner: str, report: RunReport) -> None:
        # One stage per claim: the store hands out new items first, so a feed's new pages are
        # all fetched before the first is extracted, then the latest stage first, so that one
        # article is translated while the next is extracted (see Store.claim_item).
        state = work_item(self.settings, self.store, self.services, item, owner, stages=1)
        if state == ItemState.FETCHED and item.state == ItemState.DISCOVERED:
            self.store.release(item.id, owner)
            self.progress(f"↓ fetched {item.url}")
        elif state in _MARK:
            after = self.store.get_item(item.id)
            with self._lock:
                report.outcomes[str(state)] += 1
                done = report.worked
            reason = f" ({after.reason})" if after and after.reason else ""
            title = item.feed_title or item.url
            self.progress(f"{_MARK[state]} [{done}] {state}: {shorten(title, 72, placeholder='…')}"
                          f"{reason[:160]}")
        elif state == item.state:  # no progress: a retryable failure, tried again later
            self.store.release(item.id, owner)
            after = self.store.get_item(item.id)
            self.progress(f"~ {item.url}: will retry ({after.reason if after else state})")
        else:
            self.store.release(item.id, owner)


_MARK = {ItemState.PUBLISHED: "✓", ItemState.HELD: "…", ItemState.FAILED: "✗",
         ItemState.TAKEN_DOWN: "⊘"}
