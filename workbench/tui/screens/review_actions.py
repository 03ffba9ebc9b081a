"""Looking back over the coding from the coding screen: the chapter preview (E), the framework
matrix (F5), where two coders disagree (F6), and the codings a re-import flagged for review (F7).

The screens they open are imported when first used: each costs start-up time that most sessions
never need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.tui.screens.coding_base import CodingScreenBase

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).

if TYPE_CHECKING:
    from workbench.study.reimport import ReviewItem


class ReviewActions(CodingScreenBase):
    """The coding screen's actions that open a view over the whole study."""

    def action_chapter(self) -> None:
        """Preview the results chapter from the selected quotes, and write it (w)."""
        from workbench.tui.screens.chapter_preview import ChapterPreviewScreen

        try:
            screen = ChapterPreviewScreen(self.study)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.app.push_screen(screen)

    def action_matrix(self) -> None:
        """The framework matrix: themes x cases (or attribute values), the quotes of a cell."""
        from workbench.tui.screens.matrix import FrameworkMatrixScreen

        self.app.push_screen(FrameworkMatrixScreen(self.study), lambda _result: self.refresh_all())

    def action_disagreements(self) -> None:
        """Step through where two coders disagree (after `workbench merge` of a second coder)."""
        from workbench.study.agreement import study_coders
        from workbench.tui.screens.dialogs import ChoiceDialog

        coders = sorted(study_coders(self.study))
        pairs = [(f"{a}  ×  {b}", (a, b)) for i, a in enumerate(coders) for b in coders[i + 1 :]]
        if not pairs:
            self.notify(
                "Agreement needs codings by two coders: bring a second coder's in with "
                "`workbench merge STUDY OTHER.db`.",
                timeout=6,
            )
            return
        self.app.push_screen(ChoiceDialog("Compare which coders?", pairs), self._open_disagreements)

    def _open_disagreements(self, pair: tuple[str, str] | None) -> None:
        if pair is None:
            return
        from workbench.tui.screens.disagreements import DisagreementsScreen

        self.app.push_screen(DisagreementsScreen(self.study, pair))

    def action_review(self) -> None:
        """Codings a re-import could not place with confidence: jump to one to check it."""
        from workbench.study.reimport import codings_to_review
        from workbench.tui.screens.dialogs import ChoiceDialog

        items = codings_to_review(self.study)
        if not items:
            self.notify("No coding needs review.", timeout=3)
            return
        choices = [(f"{i.transcript} · {i.theme} · {i.reason}", i) for i in items]
        self.app.push_screen(ChoiceDialog(f"{len(items)} coding(s) to review", choices), self._review_item)

    def _review_item(self, item: ReviewItem | None) -> None:
        from workbench.tui.screens.dialogs import ConfirmDialog

        if item is None:
            return
        self.show_passage(item.transcript, item.start, item.end)
        self.app.push_screen(
            ConfirmDialog(
                f"Was: “{item.coded_text[:200]}”\nKeep the coding on the selected text?", confirm_label="Keep"
            ),
            lambda keep: keep and self._mark_reviewed(item.id),
        )

    def _mark_reviewed(self, coding_id: int) -> None:
        from workbench.study.reimport import mark_reviewed

        self._run("reviewed", mark_reviewed, self.study, coding_id)
