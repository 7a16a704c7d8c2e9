"""`python -m mdskg_cli …` is the `mdskg` command."""

import sys

from mdskg_cli.main import main

sys.exit(main())
