"""Route modules of the public site, feeds and API."""
