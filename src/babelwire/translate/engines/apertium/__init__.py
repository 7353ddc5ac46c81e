"""Apertium, the offline engine: installed pairs (``install``), one kept-alive process helper
(``process``), the stream format (``stream``), the tagger kept clean (``tagger``) and the
engine that runs a pair's pipeline (``engine``)."""
