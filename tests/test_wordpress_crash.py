"""Publishing survives SIGKILL: a ``babelwire targets sync`` killed at random moments, again and
again, then run to the end, leaves every translation as exactly one post on the real WordPress."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from babelwire.settings import Settings
from babelwire.store import Store
from tests.helpers.wordpress import add_chips, add_target, posts
from tests.services_wordpress import WordPressServer

KILLS = 20
POSTS = 120


def _killed_while_publishing(env: dict[str, str], log: Path, delay: float) -> None:
    """Start a sync, wait until it has begun publishing (its first post made, or the first
    taken up again), let it publish for ``delay`` seconds more, then SIGKILL it."""
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "babelwire", "targets", "sync"],
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "  [" not in log.read_text(errors="replace") and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(delay)
    process.kill()
    process.wait()


def test_twenty_sigkills_leave_no_duplicate_and_nothing_missing(
        settings: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    items = add_chips(store, POSTS)
    target = add_target(store, wordpress, tmp_path)
    # a killed process's lease runs out after a second; the next process then takes the post up
    env = {**os.environ, "BABELWIRE_LEASE_SECONDS": "1"}
    rng = random.Random(14)
    seen = []
    for _ in range(KILLS):
        # short lives: on a quiet machine a sync makes 5 posts a second, and every kill must
        # still find posts left to make
        _killed_while_publishing(env, tmp_path / "sync.log", rng.uniform(0.0, 0.4))
        seen.append(len(posts(wordpress)))
        time.sleep(1.1)
    killed_midway = [n for n in seen if 0 < n < POSTS]
    assert len(killed_midway) >= KILLS // 2, seen              # the kills fell while publishing
    done = subprocess.run([sys.executable, "-m", "babelwire", "targets", "sync"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    made = posts(wordpress)
    per_item = Counter(p[2].rsplit("-bw", 1)[1] for p in made)
    assert per_item == Counter({f"{i}-es": 1 for i in items})  # 0 duplicates, 0 missing
    assert {p[1] for p in made} == {"publish"}
    records = store.target_posts(target.id)
    assert sorted(r.post_id for r in records if r.post_id) == sorted(int(p[0]) for p in made)
