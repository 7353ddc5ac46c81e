"""``babelwire serve --workers N``: several processes serve one address from one store."""

from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.helpers.site import filled_site_at
from tests.services import ServiceProcess, free_port


def cpu_ticks(pid: int) -> int:
    """User + system clock ticks the process ``pid`` has used (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_serve_with_two_workers_answers_from_both(tmp_path: Path) -> None:
    with filled_site_at(tmp_path / "site") as site:
        article = f"/es/a/{site.filled.chips}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
        env.update(BABELWIRE_HOME=str(site.settings.home),
                   BABELWIRE_SITE_URL="https://news.example.org")
        port = free_port()
        proc = ServiceProcess.start("serve", ["serve", "--port", str(port), "--workers", "2"],
                                    env, tmp_path / "serve.log")
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                assert proc.process.poll() is None and time.monotonic() < deadline, proc.tail()
                time.sleep(0.1)
            assert "with 2 processes" in proc.log.read_text()
            # Both processes up: the supervisor and its two servers (and perhaps a resource
            # tracker, which serves nothing).
            deadline = time.monotonic() + 60
            while len(proc.pids()) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            children = sorted(proc.pids() - {proc.process.pid})
            before = {pid: cpu_ticks(pid) for pid in children}

            def fetch(n: int) -> int:
                path = article if n % 2 else "/es/"
                return httpx.get(base + path, follow_redirects=True, timeout=30).status_code

            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(fetch, range(400)))
            assert statuses == [200] * 400
            worked = [pid for pid in children if cpu_ticks(pid) - before[pid] >= 5]
            assert len(worked) >= 2, (before, {pid: cpu_ticks(pid) for pid in children})
            # The page each process renders is the same page.
            pages = {httpx.get(base + article, follow_redirects=True).text for _ in range(20)}
            assert len(pages) == 1
        finally:
            proc.stop()
