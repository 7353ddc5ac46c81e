"""Finding and installing local neural models: Argos Translate packages and CTranslate2 folders.

An Argos package (``.argosmodel``) is a zip holding one folder with ``metadata.json``
(``from_code``, ``to_code``, ``package_version``), ``model/`` (a CTranslate2 model) and
``sentencepiece.model``. Argos's own tools unpack packages into their packages directory;
``install_package`` unpacks one into babelwire's models directory, and both are searched. A
CTranslate2-converted OPUS-MT model is a folder with ``model.bin``, ``source.spm`` and
``target.spm``, named after its pair (``opus-mt-en-es``) or with a ``metadata.json``.
Reading the packages directly needs only ctranslate2 and sentencepiece (no torch, no Argos).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from babelwire.exceptions import ConfigError
from babelwire.settings import Settings

_PAIR_NAME = re.compile(r"(?:^|[-_])([a-z]{2,3})[-_]([a-z]{2,3})(?:[-_]\d.*)?$")
_SP_NAMES = ("sentencepiece.model", "spm.model")


def models_dirs(settings: Settings) -> tuple[Path, Path]:
    """Where models are looked for: babelwire's own models directory (``install_package``
    unpacks there), then the directory Argos Translate's own tools install packages into."""
    own = str(settings.ctranslate2_models_dir) or str(settings.home / "models")
    argos = str(settings.argos_packages_dir) or os.environ.get("ARGOS_PACKAGES_DIR", "")
    packages = Path(argos) if argos else \
        Path.home() / ".local" / "share" / "argos-translate" / "packages"
    return Path(own).expanduser(), packages.expanduser()


@dataclass(frozen=True)
class ModelInfo:
    """One installed model: its pair, the CTranslate2 folder and the SentencePiece models."""

    src: str
    tgt: str
    path: Path                  # the CTranslate2 model folder
    source_spm: Path
    target_spm: Path
    name: str
    version: str = ""

    @property
    def label(self) -> str:
        """Name and version, as the translation memory keys it."""
        return f"{self.name}@{self.version}" if self.version else self.name


def find_models(directories: Iterable[Path]) -> dict[tuple[str, str], ModelInfo]:
    """Every usable model in ``directories`` (each folder in them), first found per pair."""
    found: dict[tuple[str, str], ModelInfo] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
            info = read_model(folder)
            if info is not None:
                found.setdefault((info.src, info.tgt), info)
    return found


def read_model(folder: Path) -> ModelInfo | None:
    """The model in ``folder`` (an unpacked Argos package or a CTranslate2 folder), or None."""
    meta = _metadata(folder)
    if (folder / "model" / "model.bin").is_file():                  # Argos package
        spm = next((folder / n for n in _SP_NAMES if (folder / n).is_file()), None)
        if spm is None or "from_code" not in meta or "to_code" not in meta:
            return None
        return ModelInfo(str(meta["from_code"]), str(meta["to_code"]), folder / "model", spm,
                         spm, folder.name, str(meta.get("package_version", "")))
    if (folder / "model.bin").is_file():                            # CTranslate2 folder
        source = _first(folder, ("source.spm", *_SP_NAMES))
        target = _first(folder, ("target.spm", *_SP_NAMES))
        pair = _pair(folder.name, meta)
        if source is None or target is None or pair is None:
            return None
        return ModelInfo(pair[0], pair[1], folder, source, target, folder.name,
                         str(meta.get("package_version", meta.get("version", ""))))
    return None


def _metadata(folder: Path) -> dict[str, object]:
    path = folder / "metadata.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _first(folder: Path, names: Iterable[str]) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def _pair(name: str, meta: dict[str, object]) -> tuple[str, str] | None:
    if "from_code" in meta and "to_code" in meta:
        return str(meta["from_code"]), str(meta["to_code"])
    match = _PAIR_NAME.search(name.lower())
    return (match.group(1), match.group(2)) if match else None


def install_package(archive: Path, models_dir: Path) -> ModelInfo:
    """Unpack an ``.argosmodel`` into ``models_dir`` (replacing the same package) and return it.

    The archive is checked before anything is written: one top folder, no absolute paths or
    ``..``, and a readable model inside.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            top = _top_folder(zf.namelist(), archive)
            models_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=models_dir) as tmp:
                zf.extractall(tmp)
                info = read_model(Path(tmp) / top)
                if info is None:
                    raise ConfigError(f"{archive.name} holds no usable model (metadata.json, "
                                      "model/ and sentencepiece.model expected)",
                                      subject=str(archive))
                final = models_dir / top
                if final.exists():
                    shutil.rmtree(final)
                (Path(tmp) / top).rename(final)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ConfigError(f"cannot install {archive}: {exc}", subject=str(archive)) from exc
    installed = read_model(final)
    assert installed is not None
    return installed


def _top_folder(names: list[str], archive: Path) -> str:
    tops = set()
    for name in names:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name:
            raise ConfigError(f"{archive.name}: unsafe path {name!r} in the archive",
                              subject=str(archive))
        tops.add(path.parts[0])
    if len(tops) != 1:
        raise ConfigError(f"{archive.name}: expected one folder in the archive, found "
                          f"{len(tops)}", subject=str(archive))
    return tops.pop()
