"""Reading the question: validation, normalising, spelling, acronyms, follow-ups, scope, views and the plan."""
