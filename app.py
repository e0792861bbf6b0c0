"""Start the web app (chat at /, JSON API at /api) with settings from WPS_* environment variables."""

import assistant  # noqa: F401  (sets the offline environment first)
from assistant.settings import Settings
from assistant.web.app import serve

if __name__ == "__main__":
    serve(Settings())
