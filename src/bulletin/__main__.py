"""Entry point for `python -m bulletin` and the installed `bulletin` command."""

import os
import signal


def _interrupted_while_starting(signum: int, frame: object) -> None:
    # No exception: a KeyboardInterrupt raised inside importlib's own callbacks is printed by
    # Python as "Exception ignored … Traceback" however the caller catches it.
    os.write(2, b"bulletin: interrupted\n")
    os._exit(130)


def run() -> None:
    """Load the command line and run it; a Ctrl-C while modules load exits 130 with one line."""
    previous = signal.signal(signal.SIGINT, _interrupted_while_starting)
    from bulletin.cli import main

    signal.signal(signal.SIGINT, previous)
    main()


if __name__ == "__main__":
    run()
