"""SPARQL beside the pipeline: the query catalogue and embedded engine (`query`), the local endpoint (`serve`)
and pushing the dataset into a triplestore (`load`). Imports from the base and the stages below publish."""
