"""PySide6 widgets only: windows, dialogs, models/views, tray. No SQL, no HTTP.

The UI calls application services in ``app`` and listens to the sync adapter's signals.
"""
