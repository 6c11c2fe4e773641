"""Entry point for `python -m bulletin`."""

from bulletin.cli import main

main()
