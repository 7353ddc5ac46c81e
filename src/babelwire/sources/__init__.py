"""Following sources: downloading politely and safely, and reading feeds.

- ``fetch.Fetcher``: the one way babelwire downloads (robots.txt, per-host delay, conditional GET,
  timeouts, size caps, SSRF guard), built from ``ssrf``, ``robots``, ``throttle`` and ``body``.
- ``feeds.parse_feed`` / ``feeds.looks_like_feed``: RSS, Atom and JSON Feed documents into
  ``models.Feed``, using ``charset``, ``jsonfeed`` and ``itemfields``.
- ``charset``: the one way bytes become text, for feeds and (in ``extract``) for pages.
"""
