"""How many terminal cells text takes: the fast path shared by the quote board and the transcript view."""

from __future__ import annotations

import re

#: Characters outside the ranges Rich always measures as one cell each (checked by the tests):
#: text without any of them is as wide as it is long.
NOT_SINGLE_CELL = re.compile(r"[^\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e]")
