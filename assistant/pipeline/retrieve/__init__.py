"""Retrieval: the retrievers over the index and the postprocessors of what they return."""
