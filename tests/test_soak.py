"""The soak's short form (``bench/soak.py --short``), as CI runs it: 60 articles through the
embedded default and 60 through 2 Celery workers, 5 faults injected in each at random moments
(seeded), then every invariant of issue 16's point 5 counted. The full form (2,000 articles,
50 faults per mode, a 30 s Redis outage) runs on demand: ``python bench/soak.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_short_soak_loses_duplicates_and_half_publishes_nothing() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    done = subprocess.run([sys.executable, str(REPO / "bench" / "soak.py"), "--short",
                           "--seed", os.environ.get("BABELWIRE_SOAK_SEED", "16")],
                          capture_output=True, text=True, timeout=600, env=env, cwd=REPO)
    print(done.stdout[-6000:])
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    out = done.stdout
    assert out.count("problems: none") == 2, out[-3000:]
    faults = [int(n) for n in re.findall(r"articles in \d+s \(\d+/min\), (\d+) faults", out)]
    assert faults == [5, 5], out[-3000:]
    for mode in ("embedded", "celery"):
        line = re.search(rf"== {mode}: .*\nitems (\d+) (\{{[^}}]*\}})", out)
        assert line is not None and line.group(1) == "60", out[-3000:]
        assert "failed" not in line.group(2), line.group(0)
    assert "duplicated items 0, duplicated translations 0, lost 0, half-published 0" in out
