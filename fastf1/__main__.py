"""``python -m fastf1``: the ``fastf1`` command."""

import sys

from .cli import main

sys.exit(main())
