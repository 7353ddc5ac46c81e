"""The store: SQLAlchemy models, Alembic migrations and the transactional operations on them."""

from babelwire.store.store import Store, new_owner

__all__ = ["Store", "new_owner"]
