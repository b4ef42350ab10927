"""Stage 1, sources: reading what the sources say. Facts files (YAML, untrusted), quotes located in the held
text, the editors' enrichment file, and bounded reads of untrusted bytes. Imports nothing above it."""
