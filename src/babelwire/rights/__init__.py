"""What babelwire may republish of an article: licences it recognises (``licences``) and the
republishing mode that follows from a page's rights and the operator's declarations (``policy``).

The rights themselves are read from each page at extraction (``babelwire.extract.rights``); the
outputs cut what they publish by the mode (``babelwire.publish.excerpt``).
"""
