"""scrubline's Prefect layer: discovery, batching, retries, artifacts over the ``cleaners`` library.

No cleaning logic lives here; every document is cleaned by :func:`cleaners.io.clean_file`,
the same function the one-off CLI uses.
"""
