"""``python -m fastf1.cli``: the ``fastf1`` command."""

import sys

from . import main

sys.exit(main())
