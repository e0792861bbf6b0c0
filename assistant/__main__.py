"""``python -m assistant`` is the ``wps-assistant`` command."""

import sys

from assistant.cli import main

sys.exit(main())
