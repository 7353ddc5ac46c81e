"""Every error babelwire raises on purpose.

The tree::

    BabelwireError                 root; ``subject`` names the URL, source or item concerned
    ├── ConfigError                bad settings file, environment variable or option
    ├── SourceError                anything about following a source
    │   ├── FetchError             a download failed
    │   │   ├── FetchTimeout           connect or read timed out (retryable)
    │   │   ├── ResponseTooLarge       body (or its decompressed form) over the cap
    │   │   ├── HTTPStatusError        non-2xx answer (retryable for 429 and 5xx)
    │   │   ├── RobotsDisallowed       robots.txt forbids the URL for our User-Agent
    │   │   └── BlockedAddress         the URL resolves to an address we must not reach
    │   └── FeedError              the document is not a feed we can read
    ├── ExtractError               no article could be extracted from a page
    ├── TranslateError             translation could not be produced
    │   ├── EngineUnavailable      engine binary, model or key missing (``hint`` says what to do)
    │   ├── EngineFailed           an engine answered with an error or garbage (retryable)
    │   └── UnsupportedPair        no engine or pivot chain serves the language pair
    ├── StoreError                 the database refused an operation
    ├── TargetError                a publishing target (WordPress) refused or failed a request
    └── TakenDown                  the article was taken down by the operator

Foreign exceptions are translated at the boundary (``raise FetchTimeout(...) from exc``) so that
callers, the runner and Celery only ever need to look at this tree and at ``retryable``.
"""

from __future__ import annotations


class BabelwireError(Exception):
    """Root of every error babelwire raises on purpose.

    ``subject`` is the URL, source or item the error concerns; ``retryable`` tells the runner
    whether trying again later may succeed.
    """

    retryable: bool = False

    def __init__(self, message: str, *, subject: str | None = None,
                 retryable: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.subject = subject
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        if self.subject and self.subject not in self.message:
            return f"{self.subject}: {self.message}"
        return self.message


class ConfigError(BabelwireError):
    """A setting has a bad value or the settings file cannot be read."""


class SourceError(BabelwireError):
    """Following a source failed."""


class FetchError(SourceError):
    """A download failed."""


class FetchTimeout(FetchError):
    """Connecting or reading took longer than the configured timeout."""

    retryable = True


class ResponseTooLarge(FetchError):
    """The response body, or its decompressed form, is larger than the configured cap."""


class HTTPStatusError(FetchError):
    """The server answered with a non-success status."""

    def __init__(self, message: str, *, status: int, subject: str | None = None) -> None:
        super().__init__(message, subject=subject, retryable=status == 429 or status >= 500)
        self.status = status


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids this URL for babelwire's User-Agent."""


class BlockedAddress(FetchError):
    """The URL points at an address babelwire must not connect to (loopback, private, metadata)."""


class FeedError(SourceError):
    """The document cannot be read as an RSS, Atom or JSON feed."""


class ExtractError(BabelwireError):
    """No article could be extracted from the page."""


class TranslateError(BabelwireError):
    """A translation could not be produced."""


class EngineUnavailable(TranslateError):
    """An engine cannot run here; ``hint`` says what to install or set."""

    def __init__(self, message: str, *, hint: str = "", subject: str | None = None,
                 retryable: bool = False) -> None:
        super().__init__(message, subject=subject, retryable=retryable)
        self.hint = hint


class EngineFailed(TranslateError):
    """An engine answered with an error or with output that cannot be used."""

    retryable = True


class TargetError(BabelwireError):
    """A publishing target refused or failed a request; ``subject`` names the target and post.

    Retryable for timeouts, lost connections, 429 and 5xx answers; not for a wrong password, a
    site without the REST API or a post deleted on the target.
    """


class UnsupportedPair(TranslateError):
    """No engine, directly or through a pivot language, serves the language pair."""


class StoreError(BabelwireError):
    """The store refused an operation."""


class TakenDown(BabelwireError):
    """The operator took this article down; it must not come back."""
