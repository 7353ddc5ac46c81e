"""A real WordPress for tests: Debian's ``wordpress`` package on MariaDB and PHP, on loopback.

MariaDB runs from a data directory of its own (its own socket, no TCP), PHP's built-in server
serves ``/usr/share/wordpress`` through ``tests/data/wordpress/router.php`` with several workers,
and Debian's ``wp-config.php`` reads ``/etc/wordpress/config-NAME.php``, which points at the test
database, a wp-content of the test's own and ``WP_ENVIRONMENT_TYPE=local`` (so application
passwords work over http). ``tests/data/wordpress/install.php`` installs the site and makes the
publishing user, an Editor, with an application password. babelwire's meta plugin
(``babelwire/targets/wordpress/babelwire-meta.php``) is installed as a must-use plugin.

A missing binary makes the fixture FAIL with the command that installs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.services import INSTALL_HINT, ServiceUnavailable, _kill_and_wait, free_port

WORDPRESS = Path("/usr/share/wordpress")
CONFIG_DIR = Path("/etc/wordpress")
DATA = Path(__file__).resolve().parent / "data" / "wordpress"
PLUGIN = (Path(__file__).resolve().parent.parent / "src" / "babelwire" / "targets" / "wordpress"
          / "babelwire-meta.php")
BINARIES = ("mariadbd", "mariadb-install-db", "mariadb", "php")


def _binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        raise ServiceUnavailable(f"{name} is not installed (WordPress tests need wordpress, "
                                 f"mariadb-server, php-cli, php-mysql): {INSTALL_HINT}")
    return found


def _run(args: list[str], **kwargs: object) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise ServiceUnavailable(f"{' '.join(args[:3])}... failed ({done.returncode}): "
                                 f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return str(done.stdout)


@dataclass
class WordPressServer:
    """A running test WordPress: its URL, the Editor user and application password babelwire
    publishes with, and the admin's login."""

    directory: Path
    port: int
    user: str = ""
    app_password: str = ""
    admin_password: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The site's address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def name(self) -> str:
        """The name of its Debian config file (``/etc/wordpress/config-NAME.php``)."""
        return f"babelwire-test-{self.port}"

    @property
    def socket(self) -> Path:
        """MariaDB's socket."""
        return self.directory / "mysqld.sock"

    @classmethod
    def start(cls) -> WordPressServer:
        """Start MariaDB and PHP, install WordPress; stops what it started if a step fails."""
        if not (WORDPRESS / "wp-settings.php").exists():
            raise ServiceUnavailable(f"Debian's wordpress package is not installed: {INSTALL_HINT}")
        for name in BINARIES:
            _binary(name)
        server = cls(Path(tempfile.mkdtemp(prefix="babelwire-wp-")), free_port())
        try:
            server._start_database()
            server._write_config()
            server._install()
            server._start_php()
        except BaseException:
            server.stop()
            raise
        return server

    def _start_database(self) -> None:
        data = self.directory / "mysql"
        _run([_binary("mariadb-install-db"), "--no-defaults", f"--datadir={data}", "--user=root",
              "--auth-root-authentication-method=normal", "--skip-test-db"])
        with (self.directory / "mysqld.log").open("wb") as log:
            self.processes.append(subprocess.Popen(
                [_binary("mariadbd"), "--no-defaults", f"--datadir={data}",
                 f"--socket={self.socket}", "--skip-networking", "--user=root",
                 f"--pid-file={self.directory / 'mysqld.pid'}",
                 "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=64M",
                 "--skip-log-bin"], stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True))
        deadline = time.monotonic() + 60
        while True:
            done = subprocess.run([_binary("mariadb"), "--no-defaults", f"--socket={self.socket}",
                                   "-uroot", "-e", "CREATE DATABASE IF NOT EXISTS wordpress"],
                                  capture_output=True, text=True, check=False)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline or self.processes[0].poll() is not None:
                raise ServiceUnavailable(f"MariaDB did not start: {done.stderr.strip()}\n"
                                         f"{(self.directory / 'mysqld.log').read_text()[-2000:]}")
            time.sleep(0.2)

    def _write_config(self) -> None:
        content = self.directory / "wp-content"
        for sub in ("uploads", "mu-plugins", "plugins"):
            (content / sub).mkdir(parents=True, exist_ok=True)
        (content / "themes").symlink_to(WORDPRESS / "wp-content" / "themes")
        shutil.copy(PLUGIN, content / "mu-plugins" / PLUGIN.name)
        salts = "\n".join(f"define('{key}', '{secrets.token_hex(32)}');" for key in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
            "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))
        CONFIG_DIR.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(f"""<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{self.socket}');
define('WP_HOME', '{self.url}');
define('WP_SITEURL', '{self.url}');
define('WP_CONTENT_DIR', '{content}');
define('WP_CONTENT_URL', '{self.url}/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
{salts}
""", encoding="utf-8")

    @property
    def config_file(self) -> Path:
        """Its Debian config file."""
        return CONFIG_DIR / f"config-{self.name}.php"

    def _install(self) -> None:
        out = _run([_binary("php"), str(DATA / "install.php"), f"127.0.0.1:{self.port}",
                    self.name])
        answer = json.loads(out[out.index("{"):])
        self.user, self.app_password = answer["user"], answer["app_password"]
        self.admin_password = answer["admin_password"]

    def _start_php(self) -> None:
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "4",
               "BABELWIRE_WP_CONTENT": str(self.directory / "wp-content"),
               "BABELWIRE_WP_CONFIG": self.name}
        with (self.directory / "php.log").open("wb") as log:
            self.processes.append(subprocess.Popen(
                [_binary("php"), "-d", "upload_max_filesize=20M", "-d", "post_max_size=20M",
                 "-S", f"127.0.0.1:{self.port}", "-t", str(WORDPRESS),
                 str(DATA / "router.php")],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/wp-json/", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise ServiceUnavailable(f"WordPress does not answer on {self.url}:\n"
                                 f"{(self.directory / 'php.log').read_text()[-2000:]}")

    def password_file(self, directory: Path) -> Path:
        """The application password in a file (as ``targets add --app-password-file`` reads it)."""
        path = directory / "wp-app-password"
        path.write_text(self.app_password + "\n", encoding="utf-8")
        path.chmod(0o600)
        return path

    def sql(self, statement: str) -> list[list[str]]:
        """Run SQL on WordPress's database; rows of tab-separated columns."""
        out = _run([_binary("mariadb"), "--no-defaults", f"--socket={self.socket}", "-uroot",
                    "-N", "-B", "wordpress", "-e", statement])
        return [line.split("\t") for line in out.splitlines()]

    def empty(self) -> None:
        """Delete every post, attachment and babelwire term, so that a test starts clean."""
        self.sql("DELETE FROM wp_posts; DELETE FROM wp_postmeta; "
                 "DELETE FROM wp_term_relationships; "
                 "DELETE t, tt FROM wp_terms t JOIN wp_term_taxonomy tt USING (term_id) "
                 "WHERE t.term_id <> 1; UPDATE wp_term_taxonomy SET count = 0;")
        shutil.rmtree(self.directory / "wp-content" / "uploads", ignore_errors=True)
        (self.directory / "wp-content" / "uploads").mkdir()

    def stop(self) -> None:
        """Stop PHP and MariaDB, remove the config file and every file."""
        for process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                _kill_and_wait(process.pid, timeout=20)
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
        self.config_file.unlink(missing_ok=True)
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def wordpress_server() -> Iterator[WordPressServer]:
    """One real WordPress for the whole test session."""
    try:
        server = WordPressServer.start()
    except (ServiceUnavailable, OSError) as exc:
        pytest.fail(f"cannot start WordPress: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def wordpress(wordpress_server: WordPressServer) -> WordPressServer:
    """The session's WordPress, emptied of posts, media and terms for this test."""
    wordpress_server.empty()
    return wordpress_server
