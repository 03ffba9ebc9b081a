"""Coding: applying a theme to a span of a transcript, changing it, removing it, and reading codings."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from workbench.domain.models import Coding, Theme
from workbench.errors import NotFoundError, TextChangedError, WorkbenchError
from workbench.storage import codings as codings_store
from workbench.storage import queries
from workbench.storage import quotes as quotes_store
from workbench.storage.codings import CodingKey, NewCoding
from workbench.study.provenance import now, text_hash

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.storage.connection import Database
    from workbench.study.kept_reads import KeptReads


class CodeResult(NamedTuple):
    """What :meth:`Study.code` did: the coding, and whether it is new."""

    coding: Coding
    created: bool  # False when the same coding already existed
    moved_from: tuple[int, int] | None = None  # the span chosen, when the text had changed and it moved


class CodingMixin:
    """Part of :class:`workbench.study.Study` (mixed in there; uses its ``db``, ``path``, ``coder``,
    ``_change``, transcripts, themes and quote order)."""

    db: Database
    path: Path
    coder: str
    _kept: KeptReads

    def find_passage(self, transcript: str, passage: str, occurrence: int | None = None) -> tuple[int, int]:
        """The span of an exact passage (NFC and NFD forms being equal); ambiguity and absence
        are errors that say so."""
        if not passage:
            raise WorkbenchError("the passage to code is empty")
        text = self.transcript_text(transcript)
        # Canonically equivalent text is equal (a passage typed in NFC finds it stored in NFD).
        from workbench.domain.text_search import find_passage_spans

        spans = dict(find_passage_spans(text, passage))
        starts = sorted(spans)
        if not starts:
            raise WorkbenchError(f"passage not found in {transcript!r}: {_short(passage)!r}")
        if occurrence is None:
            if len(starts) > 1:
                raise WorkbenchError(
                    f"passage occurs {len(starts)} times in {transcript!r}; choose one with --occurrence 1..{len(starts)}"
                )
            occurrence = 1
        if not 1 <= occurrence <= len(starts):
            raise WorkbenchError(
                f"--occurrence {occurrence}: the passage occurs {len(starts)} time(s) in {transcript!r}"
            )
        start = starts[occurrence - 1]
        return start, spans[start]

    def code(
        self, transcript: str, theme: str, start: int, end: int, coder: str | None = None, *, as_seen: str | None = None
    ) -> CodeResult:
        """Apply a theme to ``text[start:end]`` of a transcript. The same coding twice is a no-op.

        ``as_seen`` is the transcript's text as the caller saw it when it chose ``start..end``
        (a screen showing it). If another program has changed the text since (a re-import), the
        passage is found again in the current text the way a re-import moves codings, and coded
        there (``CodeResult.moved_from`` gives the span it was chosen at); if it cannot be found
        with certainty, ``TextChangedError`` is raised and nothing is coded. The text is read
        inside the transaction, so no change can come in between.
        """
        record = self.transcript(transcript)
        # The codebook as quotes keep it (read again only if the file changed): the coding
        # returned names its theme from the same list.
        themes = self._themes_and_cases()[0]
        target = self._theme_in(themes, theme)
        coder = coder or self.coder
        payload = {"transcript": record.name, "theme": target.path, "start": start, "end": end}
        with self._change("code", payload) as payload:
            text = self._text_for_coding(record.id, record.name)
            moved_from = None
            if as_seen is not None and text != as_seen:
                moved_from, (start, end) = (start, end), _found_again(as_seen, text, start, end, record.name)
                payload.update(start=start, end=end)
            if not 0 <= start < end <= len(text):
                raise WorkbenchError(f"span {start}..{end} is outside {record.name!r} (0..{len(text)}) or empty")
            passage = text[start:end]
            if not passage.strip():
                raise WorkbenchError(f"span {start}..{end} of {record.name!r} is only whitespace")
            existing = codings_store.find_coding(self._db, (record.id, target.id, start, end, coder))
            if existing is not None:  # nothing written: no event is recorded
                return CodeResult(self._coding_among(existing, themes), created=False, moved_from=moved_from)
            coding_id = codings_store.insert_coding(
                self._db, NewCoding(record.id, target.id, start, end, coder, now(), passage, text_hash(passage))
            )
            payload["id"] = coding_id
        return CodeResult(self._coding_among(coding_id, themes), created=True, moved_from=moved_from)

    def _text_for_coding(self, transcript_id: int, name: str) -> str:
        """A transcript's text, inside a change, as this program last read it while the file is
        unchanged since (``kept_reads.py``): a coding in a long interview need not read 300,000
        characters again (0.4 ms) to learn that nobody changed them."""
        kept = self._kept.get("transcript_text")
        if kept is not None and kept[0] == transcript_id:  # type: ignore[index]
            return kept[1]  # type: ignore[index]
        text = self.transcript_text(name)
        self._kept.put("transcript_text", (transcript_id, text))
        return text

    def code_many(self, codings: Iterable[tuple[str, str, int, int, str | None, str | None]]) -> list[int]:
        """Store many codings at once, one transaction: (transcript, theme path, start, end, coder,
        created or None). Exact duplicates are skipped; returns the ids of the new codings."""
        themes = {t.path: t for t in self.themes()}
        transcripts = {t.name: t for t in self.transcripts()}
        texts: dict[int, str] = {}
        existing: set[CodingKey] = set()
        new: list[NewCoding] = []
        for transcript, theme_path, start, end, coder, created in codings:
            record = transcripts.get(transcript) or self.transcript(transcript)
            if record.id not in texts:
                texts[record.id] = self.transcript_text(record.name)
                existing.update(codings_store.coding_keys(self._db, record.id))
            text = texts[record.id]
            theme = themes.get(theme_path) or self.theme(theme_path)
            if not 0 <= start < end <= len(text):
                raise WorkbenchError(f"span {start}..{end} is outside {transcript!r} (0..{len(text)}) or empty")
            key = (record.id, theme.id, start, end, coder or self.coder)
            if key in existing:
                continue
            existing.add(key)
            passage = text[start:end]
            new.append(NewCoding(*key, created or now(), passage, text_hash(passage)))
        # Everything is checked before the first write, so a bad span changes nothing.
        with self._change("code", {"many": True, "count": len(new)}):
            ids = codings_store.insert_codings(self._db, new)
        return ids

    def recode(self, coding_id: int, theme: str) -> Coding:
        """Give a coding another theme (keeping its span, coder and quote state)."""
        coding = self.coding(coding_id)
        target = self.theme(theme)
        if target.id == coding.theme_id:
            return coding
        with self._change("recode", {"id": coding_id, "from": coding.theme_path, "to": target.path}):
            codings_store.set_coding_theme(self._db, coding_id, target.id)
            state = quotes_store.quote_state(self._db, coding_id)
            if state and state.selected:
                # It joins the end of the new theme's selected quotes.
                quotes_store.move_to_end(self._db, coding_id)
                self._renumber(coding.theme_id)
                self._renumber(target.id)
        return self.coding(coding_id)

    def uncode(self, coding_id: int) -> Coding:
        """Remove a coding (and its quote state); returns what was removed."""
        coding = self.coding(coding_id)
        state = quotes_store.quote_state(self._db, coding_id)
        payload = {
            "id": coding.id,
            "transcript": coding.transcript,
            "theme": coding.theme_path,
            "start": coding.start,
            "end": coding.end,
            "coder": coding.coder,
            "quote": [int(state.selected), state.position, state.comment, state.elided] if state else None,
        }
        with self._change("uncode", payload):
            codings_store.delete_coding(self._db, coding_id)
            if state and state.selected:
                self._renumber(coding.theme_id)
        return coding

    def coding(self, coding_id: int) -> Coding:
        """The coding with this id."""
        return self._coding_among(coding_id, self.themes())

    def _coding_among(self, coding_id: int, themes: list[Theme]) -> Coding:
        """:meth:`coding`, its theme's path found among ``themes`` (the codebook as just read)."""
        coding = queries.load_coding(self._db, coding_id, themes)
        if coding is None:
            raise NotFoundError(f"no coding with id {coding_id} in {self.path.name}")
        return coding

    def codings(self, transcript: str) -> list[Coding]:
        """A transcript's codings in text order."""
        return queries.load_codings(self._db, self.transcript(transcript).id, self.themes())

    def coding_spans(self, transcript: str) -> list[tuple[int, int, int, int]]:
        """A transcript's codings as (id, start, end, theme id), in text order: what a view draws."""
        return codings_store.coding_spans(self._db, self.transcript(transcript).id)

    def coding_counts(self) -> dict[str, int]:
        """Number of codings per transcript name."""
        return codings_store.coding_counts(self._db)


def _found_again(seen: str, text: str, start: int, end: int, transcript: str) -> tuple[int, int]:
    """Where ``seen[start:end]`` is in ``text``, a changed version of ``seen``: placed the way a
    re-import places codings, and only onto exactly the same text."""
    from workbench.domain.reanchor import Anchor, place_exactly

    placed = place_exactly(Anchor(seen, text), start, end)
    if placed is None:
        raise TextChangedError(
            f"{transcript!r} was changed by another program and the selected text is no longer there as it was; "
            f"nothing was coded"
        )
    return placed


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
