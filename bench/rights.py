"""Rights over the shared pages: how many carry each signal and what mode they get, and how the
held-out pages are classified.

    python bench/rights.py [--data PATH] [--heldout FILE] [--markdown]

Pages: every page of ``pages/`` and ``extraction/{scrapinghub,trafilatura,multilingual_extra}``
under PATH (default ``../shared/data`` next to the repository), each page once (a page kept by
two folders, byte for byte, counts once). Each page's rights are read as extraction reads them
(``babelwire.extract.source.page_rights``, no response headers: these are saved pages) and its
mode decided as for a commercial site with nothing declared (``rights.policy.decide``).

Held-out (``bench/rights-heldout.json``): pages with licence, paywall or robots markup that
neither the tests nor the reader's design used, each labelled with its licence (trafilatura's
evaluation metadata where it has one, else read by hand), access and robots directives. A page's
licence is right when the code (``by-nc-sa``) and, where the label has one, the version agree;
its mode is right when the mode decided from what was read is the mode decided from the labels.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from urllib3.exceptions import DependencyWarning

from babelwire.exceptions import ExtractError
from babelwire.models import Access, Mode, Rights
from babelwire.rights.licences import parse_licence
from babelwire.rights.policy import decide

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DependencyWarning)
    from babelwire.extract.source import page_rights

REPO = Path(__file__).resolve().parent.parent
HELDOUT = Path(__file__).resolve().parent / "rights-heldout.json"
SPLITS = ("scrapinghub", "trafilatura", "multilingual_extra")
MODES = (Mode.FULL, Mode.EXCERPT, Mode.HEADLINE)


@dataclass(frozen=True)
class Page:
    """One shared page: where it is in the shared data, its bytes and the URL it came from."""

    key: str
    raw: bytes
    url: str


def shared_pages(data: Path) -> Iterator[Page]:
    """Every shared page once, ``pages/`` first."""
    seen: set[str] = set()
    for page in _all_pages(data):
        digest = hashlib.sha256(page.raw).hexdigest()
        if digest not in seen:
            seen.add(digest)
            yield page


def _all_pages(data: Path) -> Iterator[Page]:
    for folder in sorted((data / "pages").glob("*/source.html")):
        origin = json.loads((folder.parent / "origin.json").read_text(encoding="utf-8"))
        yield Page(f"pages/{folder.parent.name}", folder.read_bytes(), origin.get("url", ""))
    for split in SPLITS:
        if not (data / "extraction" / split / "html").is_dir():
            continue   # a folder of pages kept outside the repository may hold some parts only
        urls = _urls(data / "extraction" / split)
        for path in sorted((data / "extraction" / split / "html").glob("*.gz")):
            raw = gzip.decompress(path.read_bytes())
            yield Page(f"{split}/{path.name}", raw, urls.get(path.name, ""))


def _urls(split: Path) -> dict[str, str]:
    """The URL of each page file of a split, from its manifest or ground truth."""
    manifest = json.loads((split / "manifest.json").read_text(encoding="utf-8")) \
        if (split / "manifest.json").is_file() else {}
    if isinstance(manifest.get("url"), dict):          # scrapinghub: {id: url}
        return {f"{key}.html.gz": url for key, url in manifest["url"].items()}
    truth = json.loads((split / "ground-truth.json").read_text(encoding="utf-8"))
    if isinstance(truth, dict):                        # scrapinghub's truth: {id: {url, ...}}
        return {f"{key}.html.gz": str(record.get("url", "")) for key, record in truth.items()}
    return {Path(r["html"]).name: r.get("url", "") for r in truth}


def rights_of(page: Page) -> Rights | None:
    """The page's rights, None when it is no readable HTML."""
    try:
        return page_rights(page.raw, page.url or "https://example.invalid/")
    except ExtractError:
        return None


# -- the counts table -----------------------------------------------------------------------

def signals(rights: Rights) -> list[str]:
    """The signals a page carries, as the table's rows name them."""
    found = []
    licence = parse_licence(rights.license) if rights.license else None
    if licence is not None:
        found.append(_licence_row(licence.name))
    elif rights.license:
        found.append("licence URL not recognised")
    if any(p.startswith("conflicting licences") for p in rights.problems):
        found.append("conflicting licences")
    if any("is not a URL" in p or p.startswith("unreadable") for p in rights.problems):
        found.append("unreadable licence or access value")
    if rights.access != Access.UNKNOWN:
        found.append(f"access: {rights.access}")
    for directive in rights.robots:
        if directive in ("noindex", "nosnippet", "noarchive"):
            found.append(f"robots: {directive}")
        elif directive.startswith("max-snippet:"):
            found.append("robots: max-snippet:N")
    return found or ["no signal"]


def _licence_row(name: str) -> str:
    code = name.split()[1] if name.startswith("CC ") else name.split()[0]
    if name.startswith(("CC0", "Public")):
        return "licence: CC0 / public domain"
    return f"licence: CC {code}"


def table(data: Path) -> tuple[list[tuple[str, Counter[Mode]]], Counter[Mode], int, int]:
    """(signal, modes of its pages) rows, modes of every page, pages read, pages unreadable."""
    rows: dict[str, Counter[Mode]] = {}
    total: Counter[Mode] = Counter()
    read = unreadable = 0
    for page in shared_pages(data):
        rights = rights_of(page)
        if rights is None:
            unreadable += 1
            continue
        read += 1
        mode = decide(rights).mode
        total[mode] += 1
        for signal in dict.fromkeys(signals(rights)):
            rows.setdefault(signal, Counter())[mode] += 1
    return sorted(rows.items(), key=_row_order), total, read, unreadable


def _row_order(row: tuple[str, Counter[Mode]]) -> tuple[int, str]:
    order = ("licence:", "licence URL", "conflicting", "unreadable", "access:", "robots:", "no ")
    return next(i for i, p in enumerate(order) if row[0].startswith(p)), row[0]


def markdown_table(rows: list[tuple[str, Counter[Mode]]], total: Counter[Mode],
                   read: int) -> str:
    """The table as docs/rights.md shows it."""
    lines = ["| signal | pages | " + " | ".join(str(m) for m in MODES) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in MODES) + " |"]
    for signal, modes in rows:
        lines.append(f"| {signal} | {sum(modes.values())} | "
                     + " | ".join(str(modes[m]) for m in MODES) + " |")
    lines.append(f"| **every page** | **{read}** | "
                 + " | ".join(f"**{total[m]}**" for m in MODES) + " |")
    return "\n".join(lines)


# -- the held-out set -----------------------------------------------------------------------

def licence_matches(read: str | None, label: str | None) -> bool:
    """Whether the licence read agrees with a label like ``by-nc-sa 3.0`` or ``by-sa``."""
    licence = parse_licence(read) if read else None
    if label is None or licence is None:
        return label is None and licence is None
    code, _, version = label.partition(" ")
    parts = [*licence.url.rstrip("/").split("/"), "", ""]
    return parts[4] == code and (not version or parts[5] == version)


def label_rights(entry: dict[str, Any]) -> Rights:
    """The rights a held-out page's labels describe."""
    label = entry["license"]
    url = None
    if label:
        code, _, version = label.partition(" ")
        url = f"https://creativecommons.org/licenses/{code}/" + (f"{version}/" if version
                                                                    else "")
    return Rights(license=url, access=Access(entry["access"]), robots=tuple(entry["robots"]))


def heldout(data: Path, labels: Path) -> dict[str, Any]:
    """Per-signal and per-mode accuracy over the held-out pages, with every miss."""
    pages = {p.key: p for p in _all_pages(data)}
    entries, seen = [], set()
    for entry in json.loads(labels.read_text(encoding="utf-8"))["pages"]:
        if entry["page"] not in pages:         # labelled, but not in this data folder
            continue
        digest = hashlib.sha256(pages[entry["page"]].raw).hexdigest()
        if digest not in seen:                 # a page two folders keep counts once
            seen.add(digest)
            entries.append(entry)
    right: Counter[str] = Counter()
    misses: list[str] = []
    confusion: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        rights = rights_of(pages[entry["page"]]) or Rights()
        expected = decide(label_rights(entry)).mode
        got = decide(rights).mode
        confusion[(str(expected), str(got))] += 1
        checks = {
            "licence": licence_matches(rights.license, entry["license"]),
            "access": str(rights.access) == entry["access"],
            "robots": set(_relevant(rights.robots)) == set(_relevant(entry["robots"])),
            "mode": got == expected,
        }
        right.update(name for name, ok in checks.items() if ok)
        if not all(checks.values()):
            misses.append(f"{entry['page']}: " + ", ".join(
                f"{name} (read {_shown(name, rights, got)}, label {_label(name, entry, expected)})"
                for name, ok in checks.items() if not ok))
    return {"pages": len(entries), "right": dict(right), "confusion": dict(confusion),
            "misses": misses}


def _relevant(robots: Any) -> list[str]:
    return [d for d in robots if d in ("noindex", "nosnippet", "noarchive")
            or d.startswith("max-snippet:")]


def _shown(name: str, rights: Rights, mode: Mode) -> str:
    values = {"licence": rights.license, "access": rights.access, "mode": mode,
              "robots": _relevant(rights.robots)}
    return str(values[name])


def _label(name: str, entry: dict[str, Any], mode: Mode) -> str:
    values = {"licence": entry["license"], "access": entry["access"], "mode": mode,
              "robots": _relevant(entry["robots"])}
    return str(values[name])


def main(argv: list[str] | None = None) -> int:
    """Print the counts table and the held-out classification."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--heldout", type=Path, default=HELDOUT,
                        help="labels of the held-out pages (default: bench/rights-heldout.json)")
    args = parser.parse_args(argv)
    if not (args.data / "pages").is_dir() and not (args.data / "extraction").is_dir():
        print(f"no shared data at {args.data}", file=sys.stderr)
        return 2
    rows, total, read, unreadable = table(args.data)
    print(f"## Signals over the shared pages ({read} pages read, {unreadable} unreadable)\n")
    print(markdown_table(rows, total, read))
    result = heldout(args.data, args.heldout)
    print(f"\n## Held-out pages ({result['pages']})\n")
    for name in ("licence", "access", "robots", "mode"):
        print(f"- {name}: {result['right'].get(name, 0)}/{result['pages']} right")
    print("\nmode (label → read): " + ", ".join(
        f"{e} → {g}: {n}" for (e, g), n in sorted(result["confusion"].items())))
    for miss in result["misses"]:
        print(f"- miss: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
