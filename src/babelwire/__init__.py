"""babelwire: follow news sources in any language, translate them faithfully, republish them."""

__version__ = "0.1.0"
