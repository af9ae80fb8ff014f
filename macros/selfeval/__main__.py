"""``python -m selfeval COMMAND …``: the same as the ``selfeval`` command."""

import sys

from selfeval.cli import main

sys.exit(main())
