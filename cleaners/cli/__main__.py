"""``python -m cleaners.cli``: the ``scrubline`` command."""

from cleaners.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
