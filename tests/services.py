"""Real Redis and PostgreSQL servers for tests, started on free ports and stopped at the end.

The helpers start the Debian binaries the way ENGINES.md describes; the fixtures at the bottom are
imported by ``tests/conftest.py``. A missing binary makes the fixture FAIL with the command that
installs it (``scripts/install-system-packages.sh test``): a skipped PostgreSQL test would hide a
store that does not work at scale.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from babelwire.settings import Settings
from babelwire.store import Store

PG_BIN = Path(os.environ.get("BABELWIRE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
INSTALL_HINT = "install it with `scripts/install-system-packages.sh test`"


class ServiceUnavailable(RuntimeError):
    """A service binary is missing or the service did not start."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise ServiceUnavailable(f"nothing answers on 127.0.0.1:{port} after {timeout:.0f}s")


@dataclass
class RedisServer:
    """A redis-server daemon in its own directory, without persistence."""

    port: int
    directory: Path

    @property
    def url(self) -> str:
        """Base URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, directory: Path, port: int | None = None) -> RedisServer:
        """Start redis-server on ``port`` (default: a free one) and wait until it accepts
        connections."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceUnavailable(f"redis-server is not installed: {INSTALL_HINT}")
        server = cls(port or free_port(), directory)
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run([binary, "--port", str(server.port), "--bind", "127.0.0.1",
                        "--daemonize", "yes", "--pidfile", str(directory / "redis.pid"),
                        "--dir", str(directory), "--save", "", "--appendonly", "no"],
                       check=True, capture_output=True)
        _wait_for_port(server.port)
        return server

    def flush(self) -> None:
        """Forget every key, so that each test starts with empty queues."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            client.flushall()
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the daemon."""
        pidfile = self.directory / "redis.pid"
        if pidfile.exists():
            _kill_and_wait(int(pidfile.read_text().strip()))

    def crash(self) -> None:
        """SIGKILL the daemon (no persistence: every queued message is lost) and wait until
        it is gone."""
        pidfile = self.directory / "redis.pid"
        pid = int(pidfile.read_text().strip())
        pidfile.unlink()
        _kill_and_wait(pid, sig=signal.SIGKILL)

    def restart(self) -> None:
        """Start the daemon again on the same port, empty."""
        RedisServer.start(self.directory, self.port)


def _kill_and_wait(pid: int, timeout: float = 10.0, sig: int = signal.SIGTERM) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the postgres system user then
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL cluster (trust authentication, fsync off) on a free port."""

    port: int
    directory: Path
    _databases: itertools.count[int]

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3 driver) of one database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls) -> PostgresServer:
        """initdb a new cluster in a fresh directory and start it."""
        for tool in ("initdb", "pg_ctl"):
            if not (PG_BIN / tool).exists():
                raise ServiceUnavailable(f"PostgreSQL 15 ({PG_BIN / tool}) is not installed: "
                                         f"{INSTALL_HINT}")
        # under /tmp itself: pytest's tmp dirs are private to root, out of the postgres user's reach
        directory = Path(tempfile.mkdtemp(prefix="babelwire-pg-"))
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        server = cls(free_port(), directory, itertools.count())
        _run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(directory / "data"), "-A", "trust",
                           "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]))
        server.start_again()
        return server

    def start_again(self) -> None:
        """Start the cluster (after ``stop_only``), on the same port, and wait until it is up."""
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        _run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-w",
                           "-l", str(self.directory / "server.log"), "-o", options, "start"]))

    def stop_only(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: every session cut, open transactions rolled back;
        ``immediate``: a crash, recovered at the next start), keeping its files."""
        _run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"),
                           "-m", mode, "-w", "stop"]))

    def restart(self, down: float = 0.0, mode: str = "fast") -> None:
        """Stop the server, wait ``down`` seconds, start it again on the same port."""
        self.stop_only(mode)
        time.sleep(down)
        self.start_again()

    def stop(self) -> None:
        """Stop the cluster and delete its files."""
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"),
                                     "-m", "immediate", "-w", "stop"]), capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)

    def execute(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """Create an empty database of its own (a Store migrates it on opening); returns its URL."""
        name = f"babelwire_test_{next(self._databases)}"
        self.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by ``new_database``, closing whatever still uses it."""
        name = url.rsplit("/", 1)[1]
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def terminate_connections(self, url: str) -> list[str]:
        """``pg_terminate_backend`` every other connection to ``url``'s database, in whatever
        transaction it is; returns the state each one terminated was in (``active``, ``idle in
        transaction``, ``idle``)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            rows = conn.execute("SELECT state, pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = %s AND pid <> pg_backend_pid()",
                                (name,)).fetchall()
        return [str(state) for state, done in rows if done]

    def empty(self, url: str) -> None:
        """Delete every row of every babelwire table (much faster than a new database)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=name,
                             autocommit=True) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'")]
            if tables:
                conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServiceUnavailable(f"{' '.join(args)} failed ({done.returncode}): "
                                 f"{done.stderr.strip() or done.stdout.strip()}")


# The worker and scheduler commands are registered on the root command by babelwire.cli; this
# also registers them if they are not (yet), so that the processes run exactly those commands.
BOOT = ("import sys; from babelwire.cli import cli, main; "
        "from babelwire.cli.workers import scheduler, worker; "
        "[cli.add_command(c) for c in (worker, scheduler) if c.name not in cli.commands]; "
        "main(sys.argv[1:])")


def babelwire_command(*args: str) -> list[str]:
    """The command line running ``babelwire ARGS`` with this interpreter."""
    return [sys.executable, "-c", BOOT, *args]


@dataclass
class ServiceProcess:
    """A babelwire command (worker, scheduler) running in its own process group."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, name: str, args: list[str], env: dict[str, str], log: Path) -> ServiceProcess:
        """Start ``babelwire ARGS``, its output going to ``log``."""
        with log.open("wb") as out:
            process = subprocess.Popen(babelwire_command(*args), env=env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        return cls(name, process, log)

    def pids(self) -> set[int]:
        """The process and all its descendants (a prefork worker's pool processes)."""
        found, todo = set(), [self.process.pid]
        while todo:
            pid = todo.pop()
            found.add(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            todo.extend(int(c) for c in children)
        return found

    def wait_for_log(self, text: str, timeout: float = 60.0) -> None:
        """Wait until the process has written ``text`` (e.g. Celery's "ready.")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise ServiceUnavailable(f"{self.name} did not log {text!r}:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The end of the process's output."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def freeze(self, frozen: bool = True) -> None:
        """SIGSTOP (or SIGCONT) the whole process group: it does nothing until thawed or killed."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGSTOP if frozen else signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL the whole process group at once: a machine that dies, with no clean-up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, timeout: float = 30.0) -> None:
        """Ask for a warm shutdown (SIGTERM), then kill whatever is left."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # pool processes left behind
        self.process.wait(timeout=30)


# -- fixtures (imported by tests/conftest.py) --------------------------------------------------


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One Redis for the whole test session."""
    try:
        server = RedisServer.start(tmp_path_factory.mktemp("redis"))
    except (ServiceUnavailable, subprocess.CalledProcessError) as exc:
        pytest.fail(f"cannot start Redis: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, emptied for this test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole test session."""
    try:
        server = PostgresServer.start()
    except ServiceUnavailable as exc:
        pytest.fail(f"cannot start PostgreSQL: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shared_pg_url(postgres_server: PostgresServer) -> str:
    """A migrated database shared by the session; tests use ``pg_url``, which empties it."""
    url = postgres_server.new_database()
    Store(url).close()  # migrate once
    return url


@pytest.fixture
def pg_url(postgres_server: PostgresServer, shared_pg_url: str) -> str:
    """URL of a migrated PostgreSQL database, emptied for this test.

    The database is shared by the session (emptying it takes milliseconds, creating one most of a
    second): a test that changes the schema itself must use ``fresh_pg_url``.
    """
    postgres_server.empty(shared_pg_url)
    return shared_pg_url


@pytest.fixture
def fresh_pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    """URL of a new, empty PostgreSQL database for this test alone (dropped afterwards)."""
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    """A Store on a fresh PostgreSQL database."""
    st = Store(pg_url)
    yield st
    st.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, settings: Settings) -> str:
    """The URL of a fresh store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return settings.db_url
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db_store(db_url: str) -> Iterator[Store]:
    """A Store on each database babelwire supports (the test runs once per database)."""
    st = Store(db_url)
    yield st
    st.close()
