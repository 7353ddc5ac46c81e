"""A data directory on a small file system of its own, mounted for the test (we run as root; CI
too): a size-limited tmpfs to fill up, or an ext4 image to make read-only mid-run.

Permission bits and ``chattr +i`` do not stop root's open files, and a remount read-only is
refused while files are open for writing (tried here: "mount point is busy"). What does turn a
file system read-only under open files is what a failing disk does: ext4 mounted with
``errors=remount-ro`` meeting an error (``/sys/fs/ext4/DEV/trigger_fs_error``). Its journal is
then aborted: it becomes writable again only once unmounted, checked and mounted again, so the
processes that had it open must stop first. A machine where ``mount`` is not allowed fails the
test with the reason: the faults cannot be played there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BALLAST = "ballast.bin"


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"mount {' '.join(args)} failed ({done.stderr.strip()}): the disk faults "
                    "need root with CAP_SYS_ADMIN (mount a tmpfs)", pytrace=False)


@contextlib.contextmanager
def small_disk(path: Path, size_mb: int) -> Iterator[Path]:
    """A tmpfs of ``size_mb`` MiB mounted on ``path`` for the block, unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size_mb}m,mode=0755", "tmpfs", str(path))
    try:
        yield path
    finally:
        with contextlib.suppress(Exception):
            read_only(path, False)
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def read_only(path: Path, on: bool = True) -> None:
    """Remount the tmpfs on ``path`` read-only (or writable again); open files stay open."""
    _mount("-o", f"remount,{'ro' if on else 'rw'}", str(path))


def fill(path: Path, leave: int = 0) -> int:
    """Write a ballast file until the file system is full (less ``leave`` bytes); returns
    its size."""
    ballast = path / BALLAST
    written = 0
    chunk = b"\0" * (64 * 1024)
    with ballast.open("ab") as out:
        try:
            while True:
                out.write(chunk)
                out.flush()
                written += len(chunk)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    if leave:
        os.truncate(ballast, max(0, ballast.stat().st_size - leave))
    return written


def free(path: Path) -> None:
    """Delete the ballast: the space is back."""
    (path / BALLAST).unlink(missing_ok=True)


def free_bytes(path: Path) -> int:
    """Bytes still free on the file system of ``path``."""
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


@dataclass
class Ext4Disk:
    """An ext4 file system in an image file, loop-mounted with ``errors=remount-ro``."""

    image: Path
    path: Path

    def device(self) -> str:
        """The loop device's name (``loop3``)."""
        done = subprocess.run(["findmnt", "-no", "SOURCE", str(self.path)], capture_output=True,
                              text=True, check=True)
        return Path(done.stdout.strip()).name

    def mount(self) -> None:
        """Mount (or mount again) the image on ``path``."""
        _mount("-o", "loop,errors=remount-ro", str(self.image), str(self.path))

    def break_it(self) -> None:
        """Make ext4 meet an error: it aborts its journal and goes read-only at once, under
        every open file (what a failing disk does; a plain remount is refused while files are
        open for writing)."""
        (Path("/sys/fs/ext4") / self.device() / "trigger_fs_error").write_text("babelwire test\n")

    def repair(self) -> str:
        """Unmount, check with e2fsck (which must find the file system clean or repair it) and
        mount again writable; returns e2fsck's report."""
        subprocess.run(["umount", str(self.path)], check=True, capture_output=True)
        done = subprocess.run(["e2fsck", "-fy", str(self.image)], capture_output=True, text=True,
                              check=False)
        assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: errors corrected
        self.mount()
        return done.stdout


@contextlib.contextmanager
def ext4_disk(tmp: Path, size_mb: int) -> Iterator[Ext4Disk]:
    """An ext4 image of ``size_mb`` MiB in ``tmp``, mounted on ``tmp/disk`` for the block."""
    disk = Ext4Disk(tmp / "disk.img", tmp / "disk")
    disk.path.mkdir(parents=True, exist_ok=True)
    with disk.image.open("wb") as image:
        image.truncate(size_mb * 1024 * 1024)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(disk.image)], check=True, capture_output=True)
    disk.mount()
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk.path)], capture_output=True, check=False)
