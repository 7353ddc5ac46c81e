"""Starting the engines of a source's pairs when its first item is claimed (run/runner.py,
run/stages.py ``Services.start_engines``): they load while the items are fetched and extracted."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import cast

from babelwire.models import ItemInfo, ItemState
from babelwire.run.runner import Runner
from babelwire.run.stages import Services
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.translate.router import Router


class _Router:
    """Notes the pairs started, on which thread."""

    def __init__(self) -> None:
        self.started: list[tuple[str, str]] = []
        self.threads: set[str] = set()
        self.closed = False

    def start(self, src: str, tgt: str) -> None:
        self.started.append((src, tgt))
        self.threads.add(threading.current_thread().name)

    def close(self) -> None:
        self.closed = True


def test_a_runner_starts_a_sources_engines_once_before_its_first_translation(
        settings: Settings, store: Store) -> None:
    router = _Router()
    services = Services(settings, _router=cast(Router, router))
    runner = Runner(settings, store, services=services)
    item = ItemInfo(1, 7, "g1", "https://example.org/1", ItemState.DISCOVERED,
                    targets=("en", "fr"), source_lang="es")
    runner._start_engines_for(item)
    runner._start_engines_for(replace(item, id=2, state=ItemState.EXTRACTED))   # same source
    runner._start_engines_for(replace(item, id=3, source_id=8, state=ItemState.TRANSLATED))
    runner._start_engines_for(replace(item, id=4, source_id=9, source_lang=""))  # not declared
    services.close()                                   # waits for the helper threads
    assert router.started == [("es", "en"), ("es", "fr")]


def test_services_start_each_pair_once_on_a_helper_thread(settings: Settings) -> None:
    router = _Router()
    services = Services(settings, _router=cast(Router, router))
    services.start_engines([("es", "en"), ("es", "fr"), ("es", "en")])
    services.start_engines([("es", "fr"), ("fr", "es")])
    services.close()                                   # waits for the helper threads
    assert router.started == [("es", "en"), ("es", "fr"), ("fr", "es")]
    assert router.threads == {"babelwire-engines-start"} and router.closed
    services.start_engines([("en", "es")])             # closed: nothing more is started
    assert router.started[-1] == ("fr", "es")
