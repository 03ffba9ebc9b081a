"""The chapter's fixed words (headings, table headers, captions, cross-references) per language.

``words:`` in the chapter settings replaces any of them, e.g. ``words: {summary: Slutsatser}``.
Placeholders in braces (``{ref}``, ``{number}``, ``{label}``, ``{value}``, ``{theme}``) are filled in at export.
"""

from __future__ import annotations

WORDS = {
    "en": {
        "title": "Results",
        "summary": "Summary of results",
        "codebook": "Appendix A. Codebook",
        "informants_appendix": "Appendix B. Informants",
        "theme": "Theme",
        "definition": "Definition",
        "codings": "Codings",
        "informants": "Informants",
        "quotes": "Quotes",
        "case": "Case",
        "of": "of",
        "also": "(Also quoted in section {ref}.)",
        "also_unnumbered": "(Also quoted under {ref}.)",
        "section": "section {number}",
        "table": "Table {number}.",
        "overview_caption": (
            "Themes by {label}: informants who spoke of the theme (at least one coded passage, sub-themes "
            "included) out of all informants in the group, and quotes shown in this chapter."
        ),
        "section_caption": (
            "{theme} by {label}: informants who spoke of the theme out of all informants in the group, "
            "and quotes shown in this section (sub-themes included)."
        ),
        "overview_informants": "{value}: informants",
        "overview_quotes": "{value}: quotes",
        "codebook_caption": (
            "The codebook: each theme's definition, with its codings (coded passages) and the informants "
            "they come from, sub-themes included."
        ),
        "informants_caption": "The informants and their attributes.",
    },
    "sv": {
        "title": "Resultat",
        "summary": "Sammanfattning av resultaten",
        "codebook": "Bilaga A. Kodbok",
        "informants_appendix": "Bilaga B. Informanter",
        "theme": "Tema",
        "definition": "Definition",
        "codings": "Kodningar",
        "informants": "Informanter",
        "quotes": "Citat",
        "case": "Fall",
        "of": "av",
        "also": "(Citeras även i avsnitt {ref}.)",
        "also_unnumbered": "(Citeras även under {ref}.)",
        "section": "avsnitt {number}",
        "table": "Tabell {number}.",
        "overview_caption": (
            "Teman per {label}: informanter som berörde temat (minst en kodad passage, underteman "
            "inräknade) av alla informanter i gruppen, och citat som visas i detta kapitel."
        ),
        "section_caption": (
            "{theme} per {label}: informanter som berörde temat av alla informanter i gruppen, "
            "och citat som visas i detta avsnitt (underteman inräknade)."
        ),
        "overview_informants": "{value}: informanter",
        "overview_quotes": "{value}: citat",
        "codebook_caption": (
            "Kodboken: varje temas definition, med dess kodningar (kodade passager) och de informanter "
            "de kommer från, underteman inräknade."
        ),
        "informants_caption": "Informanterna och deras attribut.",
    },
}
# Every language has the same fixed words; ``words:`` in the settings may replace any of them.
WORD_KEYS = frozenset(WORDS["en"])

# The document language a Word or LibreOffice file is marked with (spelling, hyphenation).
LANGUAGE_TAGS = {"en": "en-GB", "sv": "sv-SE"}
