"""PySide6 widgets only: windows, dialogs, models/views, tray. No SQL, no HTTP.

The UI calls application services in ``app`` and listens to the sync adapter's signals.
"""

# The cache and sync stack is loaded before Qt: once PySide6 is imported, its signature
# support slows every later import (SQLAlchemy's: a third more time and 18 MB more memory
# at start-up; issue #8, P1 and P4).
import sync.client  # noqa: E402, F401
