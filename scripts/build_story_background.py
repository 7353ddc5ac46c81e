"""Build src/babelwire/stories/data/background.jsonl.gz: the background documents whose word
frequencies steady the IDF weights when few articles are compared (a new article and its
candidates), made from the text of the demo's bundled sample pages (en, es, fr), cut into pieces
of five paragraphs.

    python scripts/build_story_background.py
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from babelwire.demo.sites import DATA
from babelwire.extract.article import extract_article

OUT = Path(__file__).resolve().parent.parent / "src" / "babelwire" / "stories" / "data" \
    / "background.jsonl.gz"
PIECE = 5


def main() -> None:
    """Extract every sample page and write its pieces."""
    lines = []
    for path in sorted(DATA.glob("*/*.html.gz")):
        article = extract_article(gzip.decompress(path.read_bytes()), f"https://x.example/{path.name}")
        paragraphs = [p for p in article.text.splitlines() if p.strip()]
        for first in range(0, len(paragraphs), PIECE):
            lines.append(json.dumps({"lang": article.lang, "text": "\n".join(
                paragraphs[first:first + PIECE])}, ensure_ascii=False))
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    print(f"{len(lines)} background documents in {OUT}")


if __name__ == "__main__":
    main()
