"""A deterministic synthetic study for benchmarks: long transcripts, many codings."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from workbench.study import Study

WORDS = (
    "we the collaboration municipality system agreement trust server support budget you know "
    "well I think that it was is and but so because they our their smaller larger cluster "
    "technician strategy decision cost service desk procurement e-services security data"
).split()


def interview_text(rng: random.Random, chars: int) -> str:
    """Alternating interviewer/informant turns of plausible length, about ``chars`` long."""
    parts: list[str] = []
    size = 0
    speaker = 0
    while size < chars:
        label = "Interviewer" if speaker % 2 == 0 else "Informant"
        sentences = []
        for _ in range(rng.randint(1, 3) if speaker % 2 == 0 else rng.randint(3, 12)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 22))]
            sentences.append(" ".join(words).capitalize() + rng.choice(".?."))
        paragraph = f"{label}: {' '.join(sentences)}"
        parts.append(paragraph)
        size += len(paragraph) + 2
        speaker += 1
    return "\n\n".join(parts) + "\n"


def build_long_study(folder: Path, chars: int = 300_000, codings: int = 2_000, seed: int = 7) -> Path:
    """One transcript of ``chars`` characters with ``codings`` codings over 12 themes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "long_interview.txt"
    source.write_text(interview_text(rng, chars), encoding="utf-8")
    path = folder / "long.db"
    path.unlink(missing_ok=True)
    with Study.create(path, coder="bench") as study:
        study.import_files([source])
        names = [f"Theme {i}" for i in range(1, 13)]
        for name in names:
            study.add_theme(name)
        text = study.transcript_text("long_interview")
        turns = [t for t in study.turns("long_interview") if t.end - t.start > 40]
        # Bulk insert in one transaction: the benchmark is about the UI, not about coding speed.
        from workbench.storage.database import transaction

        themes = study.themes()
        with transaction(study._db):
            for i in range(codings):
                turn = rng.choice(turns)
                start = rng.randint(turn.start, turn.end - 20)
                end = min(turn.end, start + rng.randint(20, 400))
                study._db["codings"].insert(
                    {
                        "transcript_id": 1,
                        "theme_id": themes[i % len(themes)].id,
                        "start": start,
                        "end": end,
                        "coder": "bench",
                        "created": "2026-01-01T00:00:00+00:00",
                        "text": text[start:end],
                        "text_hash": "",
                    }
                )
    return path


def interview_of_words(rng: random.Random, words: int, width: int | None = 80) -> str:
    """An interview of about ``words`` words, each turn hard-wrapped at ``width`` columns.

    Wrapped text is what line-based tools expect (the peer's own importer reflows to 80
    columns), and both tools then read byte-identical files.
    """
    chars = int(words * 6.75)  # the vocabulary averages 5.6 letters, plus spaces and labels
    text = interview_text(rng, chars)
    if width is None:
        return text
    paragraphs = text.rstrip("\n").split("\n\n")
    wrapped = (textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs)
    return "\n\n".join(wrapped) + "\n"


def case_attributes(rng: random.Random, number: int) -> dict[str, object]:
    """Eight case attributes of the kind a thematic interview study records."""
    return {
        "informant": number,
        "role": rng.choice(["CIO", "technician", "director", "strategist"]),
        "level": rng.choice(["strategic", "operational"]),
        "organisation": f"Municipality {number % 12}",
        "size": rng.choice(["smaller", "larger"]),
        "cluster": rng.choice("ABCD"),
        "region": rng.choice(["north", "south", "east", "west"]),
        "interviewed": f"2025-03-{1 + number % 28:02d}",
    }


def two_coder_spans(
    rng: random.Random, turns: list, count: int, themes: list, coders: tuple[str, str]
) -> list[tuple[str, int, int, object]]:
    """``count`` codings (coder, start, end, theme) inside ``turns`` by two coders.

    The second coder follows the first with shifted boundaries, other themes (10%) and
    omissions (15%), then adds finds of their own: realistic material for agreement figures.
    """
    first = []
    for _ in range(count // 2):
        turn = rng.choice(turns)
        start = rng.randint(turn.start, turn.end - 20)
        end = min(turn.end, start + rng.randint(20, 400))
        first.append((turn, start, end, rng.choice(themes)))
    second = []
    for turn, start, end, theme in first:
        roll = rng.random()
        if roll < 0.15:
            continue  # the second coder missed it
        if roll < 0.25:
            theme = rng.choice(themes)  # saw something else in it
        s = max(turn.start, start + rng.randint(-15, 15))
        e = min(turn.end, end + rng.randint(-15, 15))
        if e - s >= 5:
            second.append((s, e, theme))
    while len(first) + len(second) < count:  # the second coder's own finds
        turn = rng.choice(turns)
        start = rng.randint(turn.start, turn.end - 20)
        second.append((start, min(turn.end, start + rng.randint(20, 400)), rng.choice(themes)))
    return [(coders[0], s, e, t) for _turn, s, e, t in first] + [(coders[1], s, e, t) for s, e, t in second]
