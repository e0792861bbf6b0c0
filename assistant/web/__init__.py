"""The web surfaces: the JSON API, the Gradio chat, and the app that serves both."""

from assistant.web import gradio_import

# Before any module of this package imports Gradio: a third of the server's cold start otherwise.
gradio_import.install()
