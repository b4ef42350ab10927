"""Stage 5, publishing: the ontology page, the browsable site, and the atomic replacement of an output folder.
Imports from the stages below (the validator at 4 included), never from build or cli."""
