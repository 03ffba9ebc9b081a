"""Screens of the terminal user interface: the workbench screens and the modal dialogs they open.

Screens own their widgets and handle their messages; dialogs return their answer with
``dismiss(result)`` (None when cancelled), so the caller gets it from ``push_screen``.
"""
