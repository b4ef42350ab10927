"""january20: the 20 January tragedy (Baku, Neftchala and Lankaran, January 1990) as a provenance-rich RDF dataset.

The library API that the CLI and the tests share lives in :mod:`january20.build` (``build_dataset``,
``write_outputs``); everything is importable without click.
"""

__version__ = "0.1.0"
