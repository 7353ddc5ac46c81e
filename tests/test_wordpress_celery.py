"""Publishing targets on Celery: the beat sends the ``targets`` task to its own queue, and two
workers serving that queue sync the real WordPress on PostgreSQL without making a post twice."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from babelwire.run.celery_app import celery_config
from babelwire.run.tasks import TARGETS_TASK, task_routes
from babelwire.settings import Settings
from babelwire.store import Store
from tests.helpers.wordpress import add_chips, add_target, posts
from tests.services import ServiceProcess
from tests.services_wordpress import WordPressServer

POSTS = 30


def test_the_beat_sends_the_targets_task_to_its_own_queue(settings: Settings) -> None:
    assert task_routes()[TARGETS_TASK]["queue"] == "targets"
    config = celery_config(settings)
    assert "targets" in [q.name for q in config["task_queues"]]
    assert config["beat_schedule"]["babelwire-targets"]["task"] == TARGETS_TASK


def test_two_workers_on_the_targets_queue_make_each_post_once(
        settings: Settings, pg_url: str, redis_url: str, wordpress: WordPressServer,
        tmp_path: Path) -> None:
    store = Store(pg_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(tmp_path / "home"), BABELWIRE_DATABASE_URL=pg_url,
               BABELWIRE_BROKER_URL=redis_url, BABELWIRE_LEASE_SECONDS="30")
    procs: list[ServiceProcess] = []
    try:
        items = add_chips(store, POSTS)
        add_target(store, wordpress, tmp_path)
        for name in ("targets-a", "targets-b"):
            procs.append(ServiceProcess.start(name, ["worker", "-Q", "targets", "--concurrency",
                                                     "1", "--name", f"{name}@%h"], env,
                                              tmp_path / f"{name}.log"))
        for proc in procs:
            proc.wait_for_log("ready.")
        procs.append(ServiceProcess.start("scheduler", ["scheduler", "--tick", "1"], env,
                                          tmp_path / "scheduler.log"))
        deadline = time.monotonic() + 240
        while len(posts(wordpress)) < POSTS and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)          # a few more beats: none may make a second post
        logs = "\n".join(p.tail() for p in procs)
    finally:
        for proc in procs:
            proc.stop()
    made = posts(wordpress)
    assert Counter(p[2].rsplit("-bw", 1)[1] for p in made) == Counter(
        {f"{i}-es": 1 for i in items}), logs
    assert store.target_counts(1).published == POSTS
    store.close()
