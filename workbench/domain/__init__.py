"""Pure-Python core: models, transcript parsing, codebooks. Imports only the standard library and yaml."""
