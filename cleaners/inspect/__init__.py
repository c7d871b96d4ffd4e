"""Inspection: what a cleaned document's sidecar says, shown to a person.

``view`` loads a document (output files or a fresh clean), ``rows`` aligns input and output
lines, ``diff`` / ``unified`` / ``terminal`` render them, ``explain`` lists every edit and
review entry, ``report`` (+ ``report_assets``) writes the static HTML review page.
"""
