"""Entry point for `python -m bulletin`."""

import sys

try:
    from bulletin.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting up: no traceback, same exit as later on
    print("bulletin: interrupted", file=sys.stderr)
    sys.exit(130)

main()
