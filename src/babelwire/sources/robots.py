"""robots.txt rules (read with ``urllib.robotparser``) and what a fetch outcome means for them.

Outcomes follow RFC 9309: a 2xx file is obeyed; a 4xx (including 404) means no rules, crawl
freely; a 5xx, timeout or network failure means "unreachable", which the RFC says must be taken as
*disallow everything* for now: the caller raises a retryable ``RobotsDisallowed`` and does not cache
it, so the next attempt asks again.

``urllib.robotparser`` applies the first rule that matches in file order, while RFC 9309 (and
Google) apply the longest match, Allow winning ties. Rules are re-ordered longest-first after
parsing so that first-match gives the RFC's answer. Wildcards (``*``, ``$``) inside paths are not
understood by the standard library and are matched literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.robotparser import RobotFileParser

MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
MAX_CRAWL_DELAY = 60.0  # a hostile Crawl-delay must not park a worker for hours


@dataclass(frozen=True)
class RobotsRules:
    """Parsed robots.txt of one origin, or no rules at all (``parser is None``)."""

    parser: RobotFileParser | None = None

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        """Rules from the text of a robots.txt file."""
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        # entries/default_entry/rulelines are robotparser internals, unchanged since Python 2.
        entries: list[Any] = [*getattr(parser, "entries", []),
                              getattr(parser, "default_entry", None)]
        for entry in entries:
            if entry is not None:
                entry.rulelines.sort(key=lambda rule: (-len(rule.path), not rule.allowance))
        return cls(parser)

    def allows(self, user_agent: str, url: str) -> bool:
        """True if ``user_agent`` may fetch ``url``."""
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float:
        """The Crawl-delay for ``user_agent`` in seconds (0 if none), capped at a minute."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(user_agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0


def decode_robots(content: bytes) -> str:
    """robots.txt is UTF-8 by RFC 9309; undecodable bytes must not void the whole file."""
    return content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
