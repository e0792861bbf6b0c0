"""The tabs of the chat page, one module each, composed by :mod:`assistant.web.ui`."""
