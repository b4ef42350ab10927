"""january20: the events of 19-26 January 1990 in Baku, Neftchala and Lankaran as a provenance-rich RDF dataset.

The library API that the CLI and the tests share lives in :mod:`january20.build` (``build_dataset``,
``write_outputs``); everything is importable without click.
"""

__version__ = "0.1.0"
