"""Answering without a language model: signals, the fitted tiers, citations and the composed answer."""
