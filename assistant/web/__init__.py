"""The web surfaces: the JSON API, the Gradio chat, and the app that serves both."""
