"""Quality and speed on question files: our pipeline and plain llama-index side by side."""
