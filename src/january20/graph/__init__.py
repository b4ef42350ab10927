"""Stage 2, the graph: builders (pure functions from facts to triples), the concept schemes, the triples
container, the dataset description, and the assembly of the named graphs. Imports only from sources and the base."""
