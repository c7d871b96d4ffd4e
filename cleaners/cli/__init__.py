"""The ``scrubline`` command line: one module per command group, run by :func:`main`.

``main`` (in :mod:`cleaners.cli.main`, the console script ``cleaners.cli:main``) parses the
arguments and runs the command; :mod:`cleaners.cli.common` holds what the commands share.
"""

from cleaners.cli.main import main

__all__ = ["main"]
