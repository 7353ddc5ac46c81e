"""Publishing: the reader's site, RSS/Atom/JSON feeds and the JSON API, all read-only."""

from babelwire.publish.app import create_app

__all__ = ["create_app"]
