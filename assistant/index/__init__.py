"""The index: the embedding model and the Chroma store of passages and sentences."""
