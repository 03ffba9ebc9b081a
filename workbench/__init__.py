"""workbench: code interview transcripts and write the results chapter, in the terminal."""

__version__ = "0.2.0.dev0"
