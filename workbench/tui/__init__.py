"""The terminal user interface (Textual)."""
