"""translate/engines."""
