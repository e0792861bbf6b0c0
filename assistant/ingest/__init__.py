"""The ingest flow: corpus files → parsed documents (readers, structure, facts) → passage and sentence
nodes (chunking) → embedded into the store (pipeline)."""
