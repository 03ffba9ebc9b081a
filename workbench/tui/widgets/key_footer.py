"""The footer of key hints, rebuilt only when the keys it shows change.

Textual's footer rebuilds all its key widgets whenever the screen's bindings may have changed:
after every focus change, and when the screen comes back from a dialog. Rebuilding mounts,
styles and lays out a dozen widgets and then repaints the whole screen, a large part of closing
a dialog (choosing a filter, a transcript, the coding to remove). The keys shown are nearly
always the same ones, so this footer compares them first.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A :class:`Footer` that skips rebuilding when the keys to show are those shown."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown_keys: tuple | None = None

    def shown_keys(self) -> tuple:
        """What the footer would show now: every shown binding with its key, label, state and
        tooltip, in order, and the command palette's."""
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        return keys, palette, self.compact

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self.shown_keys()
            if keys == self._shown_keys:  # None until the first time: always built then
                return
            self._shown_keys = keys
        super().bindings_changed(screen)
