"""``python -m babelwire`` runs the command line."""

from babelwire.cli import main

main()
