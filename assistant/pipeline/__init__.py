"""The question path: plan (condense, acronyms, steer) → retrieve → post-process → answer or abstain."""
