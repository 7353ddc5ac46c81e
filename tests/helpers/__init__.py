"""Plain helpers shared by the test modules (fixtures live in tests/conftest.py).

A test module imports what it shares from here, never from another test module
(tests/test_layout.py checks it)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parents[1] / "data"
