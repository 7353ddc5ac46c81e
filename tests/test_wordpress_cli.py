"""``babelwire targets``, run as a user would, against the real WordPress: the application
password is read from its file and never shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babelwire.settings import Settings
from babelwire.store import Store
from tests.helpers.wordpress import add_chips, posts
from tests.services_wordpress import WordPressServer


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real ``babelwire`` entry point in a subprocess (on the test's BABELWIRE_HOME)."""
    return subprocess.run([sys.executable, "-m", "babelwire", *args], capture_output=True,
                          text=True, timeout=300)


def test_add_list_test_sync_remove(settings: Settings, store: Store,
                                   wordpress: WordPressServer, tmp_path: Path) -> None:
    add_chips(store, 2)
    secret = wordpress.password_file(tmp_path)
    added = run("targets", "add", "wordpress", wordpress.url + "/", "--user", wordpress.user,
                "--app-password-file", str(secret), "--languages", "es,fr")
    assert added.returncode == 0, added.stderr
    assert added.stderr == f"target 1: {wordpress.url} as babelwire (es,fr)\n"
    tested = run("targets", "test", "1")
    assert tested.returncode == 0, tested.stderr
    assert tested.stdout.splitlines()[1] == ("user babelwire: roles editor; may post, publish, "
                                             "upload images and make categories")
    synced = run("targets", "sync")
    assert synced.returncode == 0, synced.stderr
    assert f"→ {wordpress.url}: 2 post(s) to bring in step" in synced.stderr
    assert f"{wordpress.url}: 2 created" in synced.stderr
    assert len(posts(wordpress)) == 2
    listed = run("targets", "list")
    assert listed.stdout.startswith(f"1  wordpress  {wordpress.url}  user=babelwire  "
                                    f"password=•••••••• (file {secret})  languages=es,fr  "
                                    "published=2 drafts=0 trashed=0 waiting=0 failed=0")
    for done in (added, tested, synced, listed):
        assert wordpress.app_password not in done.stdout + done.stderr
    removed = run("targets", "remove", wordpress.url)
    assert removed.returncode == 0 and "its posts stay there" in removed.stderr
    assert run("targets", "list").stdout == "" and len(posts(wordpress)) == 2


def test_a_wrong_password_fails_the_test_and_the_sync(settings: Settings, store: Store,
                                                      wordpress: WordPressServer,
                                                      tmp_path: Path) -> None:
    add_chips(store, 1)
    wrong = tmp_path / "wrong"
    wrong.write_text("aaaa bbbb cccc dddd eeee ffff\n")
    run("targets", "add", "wordpress", wordpress.url, "--user", wordpress.user,
        "--app-password-file", str(wrong), "--languages", "es")
    for command in ("test", "sync"):
        done = run("targets", command, *(["1"] if command == "test" else []))
        assert done.returncode == 1
        assert done.stderr.splitlines()[-1] == (
            f"babelwire: error: {wordpress.url} (the user): the user "
            "'babelwire' or its application password is wrong (401) "
            "(rest_not_logged_in: You are not currently logged in.)")
        assert "aaaa" not in done.stdout + done.stderr
    assert posts(wordpress) == []


def test_a_user_without_the_editor_role_is_told_what_it_lacks(
        settings: Settings, wordpress: WordPressServer, tmp_path: Path) -> None:
    wordpress.sql("UPDATE wp_usermeta SET meta_value = 'a:1:{s:6:\"author\";b:1;}' "
                  "WHERE meta_key = 'wp_capabilities' AND user_id = "
                  "(SELECT ID FROM wp_users WHERE user_login = 'babelwire')")
    try:
        run("targets", "add", "wordpress", wordpress.url, "--user", wordpress.user,
            "--app-password-file", str(wordpress.password_file(tmp_path)), "--languages", "es")
        done = run("targets", "test", "1")
    finally:
        wordpress.sql("UPDATE wp_usermeta SET meta_value = 'a:1:{s:6:\"editor\";b:1;}' "
                      "WHERE meta_key = 'wp_capabilities' AND user_id = "
                      "(SELECT ID FROM wp_users WHERE user_login = 'babelwire')")
    assert done.returncode == 1
    assert done.stderr == (f"babelwire: error: {wordpress.url}: the user 'babelwire' lacks "
                           "manage_categories: give it the Editor "
                           "role\n")
