"""What Debian installed for Apertium: its language pairs, modes and compiled dictionaries.

Apertium names languages with two or three letters depending on the pair (``eng-spa``,
``fr-es``); everything here answers in ISO 639-1 codes.
"""

from __future__ import annotations

import re
from pathlib import Path

APERTIUM_ROOT = Path("/usr/share/apertium")
MODES_DIR = APERTIUM_ROOT / "modes"
INSTALL_HINT = ("apt-get install apertium apertium-lex-tools-dev apertium-eng-spa apertium-fr-es "
                "apertium-eng-cat "
                "apertium-fra-cat apertium-spa-cat apertium-eo-en apertium-eo-fr apertium-es-gl "
                "apertium-en-gl")
_ISO = {"eng": "en", "spa": "es", "fra": "fr", "cat": "ca", "epo": "eo", "por": "pt",
        "ita": "it", "deu": "de", "glg": "gl", "oci": "oc"}
_MODE_NAME = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})\.mode$")
_MODE_FILE = re.compile(r"'(/[^']+)'")


def iso(code: str) -> str:
    """The ISO 639-1 code for one of Apertium's language codes (``spa`` -> ``es``)."""
    return _ISO.get(code, code)


def discover_modes(modes_dir: str | Path = MODES_DIR) -> dict[tuple[str, str], Path]:
    """The plain translation modes in ``modes_dir`` by ISO 639-1 pair (variants are skipped).

    A mode naming a file that is not installed is skipped: some Debian packages ship a mode
    whose compiled files are missing (apertium-eo-es 0.9.2's ``es-eo``), and its pipeline dies
    on the first segment.
    """
    folder = Path(modes_dir)
    if not folder.is_dir():
        return {}
    modes: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.mode")):
        match = _MODE_NAME.match(path.name)
        if match and _complete(path):
            modes.setdefault((iso(match.group(1)), iso(match.group(2))), path)
    return modes


def _complete(mode: Path) -> bool:
    """Whether every data file the mode's pipeline names exists."""
    try:
        text = mode.read_text(encoding="utf-8")
    except OSError:
        return False
    return all(Path(name).exists() for name in _MODE_FILE.findall(text))


def pair_file(root: Path, source: str, target: str, suffix: str) -> Path | None:
    """The first installed ``<src>-<tgt>.<suffix>`` file for the pair ``source`` -> ``target``."""
    for folder in sorted(root.glob("apertium-*")):
        for path in sorted(folder.glob(f"*-*.{suffix}")):
            src, _, tgt = path.name.removesuffix(f".{suffix}").partition("-")
            if iso(src) == source and iso(tgt) == target:
                return path
    return None


def installed_analysers(root: Path = APERTIUM_ROOT) -> dict[str, list[Path]]:
    """Every ``*.automorf.bin`` under ``root`` by the ISO code of the language it analyses.

    Variants whose file name does not start with a language code (``eco-es-fr``) are skipped.
    """
    found: dict[str, list[Path]] = {}
    for path in sorted(root.glob("apertium-*/*-*.automorf.bin")):
        lang = iso(path.name.split(".", 1)[0].split("-", 1)[0])
        if len(lang) == 2:
            found.setdefault(lang, []).append(path)
    return found


def any_analyser(root: Path, source: str) -> Path | None:
    """One installed analyser of ``source``, or None."""
    found = installed_analysers(root).get(source)
    return found[0] if found else None
