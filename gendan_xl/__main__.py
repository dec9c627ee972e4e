"""``python -m gendan_xl`` runs the gendan command."""

import sys

from .cli import main

sys.exit(main())
