"""The pipeline's stages as plain functions of (settings, store, services, item).

Each stage reads what the previous one stored and moves the item one state on in a single
transaction, so running a stage twice changes nothing the second time and a crash between stages
loses nothing: the next runner picks the item up in the state it was left in. Their order, queues
and the state each works on are in ``run/stage_table.py``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from babelwire.exceptions import BabelwireError, ExtractError, FetchError, StoreUnavailable
from babelwire.models import (
    FeedItem,
    ItemInfo,
    ItemState,
    Mode,
    SourceInfo,
    Translation,
    TranslationStatus,
)
from babelwire.rights.policy import decide
from babelwire.run.shared_state import StoreHostSlots, StoreSiteMemory
from babelwire.settings import Settings
from babelwire.sources.feeds import looks_like_feed, parse_feed
from babelwire.sources.fetch import Fetcher
from babelwire.store import Store
from babelwire.store.tables import utcnow

if TYPE_CHECKING:
    from babelwire.translate.router import Router

log = logging.getLogger(__name__)

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


@dataclass
class Services:
    """The long-lived helpers stages share: one fetcher, one router (started on first use).

    With ``store``, the fetcher's per-host delay is kept in it, so that it holds for every
    process working on that store (Celery workers, several runners), not for each alone.
    """

    settings: Settings
    fetcher: Fetcher | None = None
    _router: Router | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # trafilatura and readability parse with lxml parsers kept at module level, shared by every
    # thread; two threads extracting at once can crash the process (SIGSEGV, SIGABRT: see
    # tests/test_reliability_concurrency.py), so extraction runs one page at a time.
    extract_lock: threading.Lock = field(default_factory=threading.Lock)
    store: Store | None = None
    _started: set[tuple[str, str]] = field(default_factory=set)     # pairs of start_engines
    _starters: list[threading.Thread] = field(default_factory=list)
    _closed: bool = False

    def __post_init__(self) -> None:
        if self.fetcher is None:
            shared = StoreHostSlots(self.store) if self.store is not None else None
            self.fetcher = Fetcher(self.settings, shared_slots=shared)
        _import_stage_modules()

    @property
    def router(self) -> Router:
        """The translation router; its engines start the first time a translation is needed."""
        with self._lock:
            if self._router is None:
                from babelwire.translate.router import build_router

                self._router = build_router(self.settings)
            return self._router

    def start_engines(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Start the engines' processes for ``pairs`` on a helper thread (``Router.start``),
        so that they load their data while the caller fetches and extracts the articles they
        will translate, instead of inside the first translation of each route. Nothing is
        saved in CPU; pairs asked for before are not asked again."""
        with self._lock:
            todo = [p for p in dict.fromkeys(pairs) if p not in self._started]
            self._started.update(todo)
            if not todo or self._closed:
                return
            thread = threading.Thread(target=self._start_engines, args=(todo,),
                                      name="babelwire-engines-start", daemon=True)
            self._starters.append(thread)
        thread.start()

    def _start_engines(self, pairs: list[tuple[str, str]]) -> None:
        try:
            router = self.router
            for src, tgt in pairs:
                router.start(src, tgt)
        except Exception:  # a translation meets the same problem and reports it on its item
            log.debug("starting the engines for %s failed", pairs, exc_info=True)

    def close(self) -> None:
        """Stop engines and close connections."""
        with self._lock:
            self._closed = True
            starters, self._starters = self._starters, []
        for thread in starters:        # an engine closed under a starter could leak a process
            thread.join()
        if self._router is not None:
            self._router.close()
        if self.fetcher is not None:
            self.fetcher.close()


def _import_stage_modules() -> None:
    """Import what the stages import lazily, once, when a runner or worker starts.

    The stage functions import their modules on first use so that ``babelwire --help`` stays
    cheap; a process that runs stages would otherwise pay about a second of imports (datasketch
    and scipy, trafilatura's date parsers) inside its first articles, with the workers' threads
    queued on the import lock.
    """
    import babelwire.extract.article
    import babelwire.extract.furniture
    import babelwire.publish.render
    import babelwire.run.stories
    import babelwire.run.translation
    import babelwire.translate.glossary
    import babelwire.translate.memory
    import babelwire.translate.usage  # noqa: F401


@dataclass(frozen=True)
class PollOutcome:
    """What a poll of one source found."""

    source: SourceInfo
    new: int = 0
    changed: int = 0
    not_modified: bool = False
    error: str | None = None


def poll_source(settings: Settings, store: Store, services: Services,
                source: SourceInfo) -> PollOutcome:
    """Fetch a source (conditionally) and record its new or changed items."""
    next_poll = utcnow() + timedelta(seconds=settings.poll_interval)
    if source.kind == "page":
        new, changed = store.upsert_feed_items(source.id, [FeedItem(guid=source.url,
                                                                    url=source.url)])
        store.record_poll(source.id, next_poll_at=next_poll)
        return PollOutcome(source, new, changed)
    assert services.fetcher is not None
    etag, modified = store.source_validators(source.id)
    try:
        result = services.fetcher.get(source.url, etag=etag, last_modified=modified,
                                      accept=FEED_ACCEPT)
        if result.not_modified:
            store.record_poll(source.id, next_poll_at=next_poll, etag=etag, last_modified=modified)
            return PollOutcome(source, not_modified=True)
        if source.kind == "auto" and not looks_like_feed(result.content, result.content_type):
            store.set_source_kind(source.id, "page")
            return poll_source(settings, store, services, store.get_source(source.id) or source)
        feed = parse_feed(result.content, result.final_url, content_type=result.content_type)
    except BabelwireError as exc:
        store.record_poll(source.id, next_poll_at=next_poll, error=str(exc))
        return PollOutcome(source, error=str(exc))
    if source.kind == "auto":
        store.set_source_kind(source.id, "feed")
    items = feed.items[: settings.max_items_per_poll]
    new, changed = store.upsert_feed_items(source.id, items)
    store.record_poll(source.id, next_poll_at=next_poll, etag=result.etag,
                      last_modified=result.last_modified)
    return PollOutcome(source, new, changed)


def fetch_item(settings: Settings, store: Store, services: Services, item: ItemInfo,
               owner: str) -> None:
    """Download the item's page and keep it (never a taken-down one)."""
    assert services.fetcher is not None
    store.refuse_taken_down(item.url)
    result = services.fetcher.get(item.url, accept=PAGE_ACCEPT)
    store.refuse_taken_down(result.final_url)
    store.save_document(item.id, owner, result)


def extract_item(settings: Settings, store: Store, services: Services, item: ItemInfo,
                 owner: str) -> None:
    """Extract the article from the kept page."""
    from babelwire.extract.article import extract_article

    document = store.load_document(item.id)
    if document is None:
        raise FetchError("the downloaded page is missing", subject=item.url)
    feed_item = FeedItem(guid=item.guid, url=item.url, title=item.feed_title,
                         content_html=item.feed_content)
    url = document.final_url or item.url
    templates = StoreSiteMemory(store, window=settings.template_window,
                               min_share=settings.template_min_share)
    with services.extract_lock:
        _learn_from_siblings(store, templates, item, url)
        article = extract_article(document.content, url, encoding=document.encoding,
                                  feed_item=feed_item, templates=templates,
                                  robots_tag=document.robots_tag)
    if not article.html.strip():
        raise ExtractError("no article text found", subject=item.url)
    if item.source_lang and article.lang != item.source_lang:
        # the user said what language the source is in: that beats detection
        article = replace(article, lang=item.source_lang)
    store.refuse_taken_down(article.canonical_url, article.url)
    store.save_article(item.id, owner, article)


# Below this many remembered pages a site's memory is too thin to tell furniture from news; the
# other pages of the same batch are learned first so that the first article is cleaned too.
TEMPLATE_BOOTSTRAP = 5


def _learn_from_siblings(store: Store, templates: StoreSiteMemory, item: ItemInfo,
                         url: str) -> None:
    """Learn the site's template from the source's other fetched pages if it knows too few."""
    from babelwire.extract.furniture import learn_templates, site_of

    site = site_of(url)
    known = {page.key for page in templates.pages(site)}
    if len(known) >= TEMPLATE_BOOTSTRAP:
        return
    for doc in store.fetched_siblings(item.source_id, item.id, limit=templates.window):
        # a sibling learned for an earlier article is not parsed again: a small source (fewer
        # pages than the bootstrap) would otherwise re-parse all its pages for every article
        if site_of(doc.final_url) == site and doc.final_url not in known:
            learn_templates([(doc.content, doc.final_url)], templates, encoding=doc.encoding)


def translate_item(settings: Settings, store: Store, services: Services, item: ItemInfo,
                   owner: str) -> None:
    """Translate the article into each of the source's target languages, all stored at once."""
    from babelwire.run.stories import reuse_copy
    from babelwire.run.translation import share_source, translate_article
    from babelwire.translate.glossary import glossary_version
    from babelwire.translate.memory import ArticleMemory
    from babelwire.translate.usage import UsageMeter

    article = store.load_article(item.id)
    if article is None:
        raise ExtractError("the extracted article is missing", subject=item.url)
    policy = decide(article.rights, declared=item.republish,
                    declared_reason=item.republish_reason,
                    non_commercial=settings.non_commercial_site)
    if policy.mode == Mode.NONE and not settings.republish_private:
        store.save_translations(item.id, owner, [])   # nothing will be published: nor paid for
        return
    if reuse_copy(settings, store, item, article, owner):
        return  # a copy of an article already translated: its translations are reused
    source_lang = item.source_lang or article.lang
    started = time.monotonic()
    translations: list[Translation] = []
    # the memory of this article: read ahead, written once at the end (issue 13: it was a
    # transaction per engine leg, 25 of an article's 72 on PostgreSQL)
    memory, meter = ArticleMemory(store, item.targets), UsageMeter()
    known = store.known_names(item.source_id, source_lang) if settings.learn_names else []
    shared = share_source(article)      # the source's own work, done once for every target
    targets = [t for t in item.targets if t != source_lang]
    glossaries = store.glossaries(item.source_id, source_lang, targets)     # one read for all
    try:
        for target in targets:
            glossary = glossaries[target]
            router = services.router.bind(memory=memory, meter=meter, glossary=glossary,
                                          glossary_version=glossary_version(glossary))
            # retry_later: with every engine down the item waits and is tried again
            translations.append(translate_article(article, target, router, glossary=glossary,
                                                  retry_later=True,
                                                  max_foreign=settings.max_foreign_share,
                                                  known=known, shared=shared))
    finally:
        memory.flush()      # what was paid for is kept, even if a later language failed
        store.add_usage(meter.totals(), source_id=item.source_id)  # spent, even if failed
    if policy.mode == Mode.NONE:  # private use: the review queue may read them, readers never
        translations = [_kept_private(t, policy.reason) for t in translations]
    store.save_translations(item.id, owner, translations, seconds=time.monotonic() - started)


def _kept_private(translation: Translation, why: str) -> Translation:
    """A translation of an article that is not republished, held for private review."""
    if translation.status != TranslationStatus.PUBLISHED:
        return translation
    return replace(translation, status=TranslationStatus.HELD,
                   reason=f"not republished ({why}); kept for private review "
                          "(republish_private)")


def publish_item(settings: Settings, store: Store, services: Services, item: ItemInfo,
                 owner: str) -> ItemState:
    """Put the article in its story, then make the passing translations public; the item ends
    published, held or failed."""
    from babelwire.publish.render import render_item
    from babelwire.run.stories import join_story

    join_story(settings, store, item)
    state = store.publish_item(item.id, owner)
    # Render once, here: readers get the stored rendering, not a sanitising on every read.
    render_item(store, item.id)
    return state


def record_failure(settings: Settings, store: Store, item: ItemInfo, owner: str,
                   exc: Exception) -> ItemState:
    """Record on the item why its stage failed (a bug becomes an internal error naming it) and
    return the state it is left in: retried later, or failed for good after ``max_attempts``.
    A failure costs one item, never the runner or the worker.

    A store that cannot be used (``StoreUnavailable``) is no failure of the item: it is raised
    again, for the runner to wait until the store is back (``run/outage.py``)."""
    if isinstance(exc, StoreUnavailable):
        raise exc
    if isinstance(exc, BabelwireError):
        error = exc
        if error.subject is None:
            error.subject = item.url
        log.info("item %s: %s", item.id, error)
    else:
        log.error("unexpected error on item %s (%s)", item.id, item.url, exc_info=exc)
        error = BabelwireError(f"internal error: {exc.__class__.__name__}: {exc}",
                               subject=item.url)
    return store.fail_item(item.id, owner, error, max_attempts=settings.max_attempts,
                           backoff_seconds=settings.retry_backoff)
