"""Reading a response body within a size cap and a deadline, decompressing as we go.

httpx decompresses each network chunk in one call with no output limit, so a 64 KiB chunk of a
gzip bomb may expand to 64 MiB before anyone can count it. We read the raw (still compressed)
stream and inflate it ourselves with ``max_length``, so memory never exceeds the cap.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable

from babelwire.exceptions import FetchError, FetchTimeout, ResponseTooLarge

SUPPORTED_ENCODINGS = "gzip, deflate"


class Inflater:
    """Incremental gzip/deflate/identity decoder whose output is bounded by ``limit`` bytes."""

    def __init__(self, content_encoding: str, subject: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"unsupported Content-Encoding {content_encoding!r}", subject=subject)
        self._coding = codings[0] if codings else ""
        self._subject = subject
        self._inflater: zlib._Decompress | None = None
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decoded bytes for ``data``; raises once more than ``limit`` bytes would come out."""
        if not self._coding:
            return data
        if self._inflater is None:
            wbits = 16 + zlib.MAX_WBITS if "gzip" in self._coding else zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(wbits)
        try:
            return self._inflate(data, limit)
        except zlib.error as exc:
            if self._coding == "deflate" and not self._started:
                # Some servers send raw deflate without the zlib header (as httpx also allows).
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._coding = "raw-deflate"
                return self.feed(data, limit)
            raise FetchError(f"corrupt {self._coding} body: {exc}", subject=self._subject) from exc

    def _inflate(self, data: bytes, limit: int) -> bytes:
        assert self._inflater is not None
        out = bytearray()
        pending = data
        while pending:
            out += self._inflater.decompress(pending, limit - len(out) + 1)
            self._started = True
            if len(out) > limit:
                return bytes(out)  # the caller sees more than it allowed and raises
            pending = self._inflater.unconsumed_tail
            if (self._inflater.eof and "gzip" in self._coding
                    and self._inflater.unused_data.strip(b"\x00")):
                # Concatenated gzip members: carry on with a fresh decompressor.
                pending = self._inflater.unused_data
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return bytes(out)


def read_capped(chunks: Iterable[bytes], *, content_encoding: str, limit: int, deadline: float,
                subject: str, truncate: bool = False) -> bytes:
    """The decoded body, at most ``limit`` bytes.

    Over the limit: ``ResponseTooLarge``, or the first ``limit`` bytes if ``truncate``. Past the
    ``deadline`` (a ``time.monotonic`` value): ``FetchTimeout``, so a server trickling bytes just
    under the read timeout cannot hold a worker forever.
    """
    inflater = Inflater(content_encoding, subject)
    body = bytearray()
    for chunk in chunks:
        body += inflater.feed(chunk, limit - len(body))
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise ResponseTooLarge(f"response body over {limit} bytes (after decompression)",
                                   subject=subject)
        if time.monotonic() > deadline:
            raise FetchTimeout("response took longer than the total time allowed",
                               subject=subject)
    return bytes(body)
