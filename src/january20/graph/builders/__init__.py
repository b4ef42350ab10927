"""Pure functions from checked facts to triples, one module per kind of thing.

Each ``build_*`` function takes a :class:`Context` and returns a list of triples; none reads or writes files.
"""
