"""`python -m bot ...`: the same as the `latitude` command."""

import signal

INTERRUPTED = 128 + signal.SIGINT
"""The exit status of a command stopped by Ctrl-C, as a shell reports it (130); bot.cli's own, which is not loaded
yet when this one is needed."""


def console() -> int:
    """The command line, with Ctrl-C pressed while it still loads (a second or so, before anything runs) ending it
    quietly rather than with Python's traceback of the import it stopped."""
    try:
        from bot.cli import main
    except KeyboardInterrupt:
        return INTERRUPTED
    return main()


if __name__ == "__main__":
    raise SystemExit(console())
