"""The optional language model: the client, its condenser, the generative answerer and the source check."""
