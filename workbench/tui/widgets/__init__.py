"""Widgets of the terminal user interface; they post messages up and never import screens."""
