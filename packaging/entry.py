"""The frozen ``windowdesk`` executable starts here, exactly as the console script does."""

import sys

from app.cli import main

sys.exit(main())
