"""The prompts a language model is given, as data: one Markdown file each (read by pipeline/llm/prompt.py)."""
