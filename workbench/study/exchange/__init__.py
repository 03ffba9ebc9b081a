"""Exchange with other QDA tools: REFI-QDA projects (.qdpx) and codebooks (.qdc), and the CSV
files Taguette and spreadsheets write.

Every import reads and checks the whole file first and then writes in one transaction, so a file
that fails changes nothing. Every import and export returns an ``ExchangeReport``: counts of what
was brought over, warnings, and the list of what was not (``not_imported`` / ``not_exported``),
as the REFI-QDA standard asks; nothing is dropped without a line in it.

One module per direction and format, all built on ``report`` (the shared report and theme merge)
and never on each other, so there is no import cycle among them:

- ``refi_import``: ``import_qdpx``, ``import_qdc`` (and the mapping table of the two formats);
- ``refi_export``: ``export_qdpx``, ``export_qdc``;
- ``csv_import``: ``import_codebook_csv``, ``import_highlights_csv``.

This package gathers their public names, so callers import from ``workbench.study.exchange``.
"""

from workbench.study.exchange.csv_import import import_codebook_csv, import_highlights_csv, locate
from workbench.study.exchange.refi_export import export_qdc, export_qdpx
from workbench.study.exchange.refi_import import import_qdc, import_qdpx
from workbench.study.exchange.report import ExchangeReport

__all__ = [
    "ExchangeReport",
    "export_qdc",
    "export_qdpx",
    "import_codebook_csv",
    "import_highlights_csv",
    "import_qdc",
    "import_qdpx",
    "locate",
]
