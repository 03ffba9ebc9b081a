"""Charts of the analysis as data: heat maps, bar charts and the saturation curve.

Pure: each chart is a dataclass built from counts the study has already made (the framework
matrix, co-occurrence, the themes coded in each transcript). ``workbench.display.charts`` draws
them in a terminal; ``svg`` writes them as SVG figures, byte for byte the same for the same data.
"""
