"""``python -m gendan_xl`` runs the gendan command."""

import sys

from gendan_xl.cli import main

sys.exit(main())
