"""Stage 3, RDF text: reading RDF files (other people's included) and writing Turtle, TriG, N-Triples and
JSON-LD. Imports only from graph, sources and the base."""
