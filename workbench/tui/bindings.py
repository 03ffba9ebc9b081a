"""Every key binding of the terminal workbench, by id: what the ``keys:`` section of config.yaml can remap.

The ids are read from the ``BINDINGS`` of every app, screen, dialog and widget class in
``workbench.tui``, so a binding added anywhere is known here. That means importing every screen,
including those the coding screen imports only when first opened; so this is done only for a
config file that remaps keys.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode


def declared_bindings() -> Iterator[tuple[type[DOMNode], Binding]]:
    """(class, binding) for the bindings each class of the workbench's UI declares itself
    (not those it inherits), module by module."""
    import workbench.tui as package

    for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(module_info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                for binding in cls.__dict__.get("BINDINGS", []):
                    yield cls, binding if isinstance(binding, Binding) else Binding(*binding)


def binding_ids() -> set[str]:
    """The ids a user can remap in config.yaml (F1 lists them in its last section)."""
    return {binding.id for _, binding in declared_bindings() if binding.id}


def unknown_binding_warning(keys: Mapping[str, str], source: Path | str | None) -> str | None:
    """One line naming the ids in ``keys`` that no binding has (and the file), or None when all are known.

    Textual ignores an unknown id without a word; a misspelt id would leave the user wondering
    why their key does nothing.
    """
    if not keys:
        return None
    known = binding_ids()
    unknown = [binding_id for binding_id in keys if binding_id not in known]
    if not unknown:
        return None
    named = ", ".join(_with_suggestion(binding_id, known) for binding_id in unknown)
    plural = "s" if len(unknown) > 1 else ""
    where = f"{source}: " if source else ""
    return f"{where}unknown key binding id{plural} {named} under 'keys:', ignored (F1 shows each key's id)"


def _with_suggestion(binding_id: str, known: set[str]) -> str:
    close = difflib.get_close_matches(binding_id, sorted(known), n=1)
    return f"{binding_id!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
