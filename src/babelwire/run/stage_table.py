"""The pipeline's stages, in order: the one list of stages and queues.

The embedded runner (``run/runner.py``), the Celery tasks and their routing (``run/tasks.py``,
``run/celery_app.py``), the queues ``babelwire worker --queues`` offers (``cli/workers.py``) and
the docs (checked by ``tests/test_run_tasks.py``) all read ``STAGES``. Each stage leaves its item in
the state the next row works on; which stage an item needs is always read from its state
(``STAGE_AT``), so a task delivered twice or late finds the item moved on and does nothing.

Importing this module is cheap (no store, no Celery, no HTTP client), as ``babelwire --help``
needs: a stage names its function, which lives in ``run/stages.py`` and is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, cast

from babelwire.models import ItemState

if TYPE_CHECKING:
    from babelwire.models import ItemInfo
    from babelwire.run.stages import Services
    from babelwire.settings import Settings
    from babelwire.store import Store

StageFunction = Callable[["Settings", "Store", "Services", "ItemInfo", str], object]
TASK_PREFIX = "babelwire."


@dataclass(frozen=True)
class Stage:
    """One stage: its name, the broker queue its tasks wait in, the state of the items it works
    on, and the name of its function in ``run/stages.py``."""

    name: str
    queue: str
    state: ItemState
    function: str

    @property
    def task(self) -> str:
        """The name of its Celery task."""
        return TASK_PREFIX + self.name

    @property
    def run(self) -> StageFunction:
        """Its function ``(settings, store, services, item, lease owner)``."""
        return cast(StageFunction, getattr(import_module("babelwire.run.stages"), self.function))


STAGES: tuple[Stage, ...] = (
    Stage("fetch", "fetch", ItemState.DISCOVERED, "fetch_item"),
    Stage("extract", "extract", ItemState.FETCHED, "extract_item"),
    Stage("translate", "translate", ItemState.EXTRACTED, "translate_item"),
    Stage("publish", "publish", ItemState.TRANSLATED, "publish_item"),
)
# the broker's queues, in pipeline order; polling a source belongs with fetching
QUEUES: tuple[str, ...] = tuple(dict.fromkeys(stage.queue for stage in STAGES))
POLL_QUEUE = STAGES[0].queue
STAGE_AT: dict[ItemState, Stage] = {stage.state: stage for stage in STAGES}
# Not an item stage: the publishing targets (WordPress) are kept in step after ``publish`` by a
# periodic task of their own queue (``babelwire.targets.sync``, leased post by post).
TARGETS_QUEUE = "targets"
WORKER_QUEUES: tuple[str, ...] = (*QUEUES, TARGETS_QUEUE)
# the queue whose tasks run the engines, and the states of the items still on their way to it
TRANSLATE_QUEUE = next(stage.queue for stage in STAGES if stage.state == ItemState.EXTRACTED)
BEFORE_TRANSLATION = frozenset({ItemState.DISCOVERED, ItemState.FETCHED, ItemState.EXTRACTED})


def pairs_to_start(item: ItemInfo) -> list[tuple[str, str]]:
    """The language pairs ``item`` will be translated in, if its translation is still ahead
    and its source declares its language (else none): the engines a process that will
    translate it can start while the item is fetched and extracted."""
    if item.state not in BEFORE_TRANSLATION or not item.source_lang:
        return []
    return [(item.source_lang, target) for target in item.targets if target != item.source_lang]

