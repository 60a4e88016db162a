"""The Qt face of the sync engine: it only moves signals.

The engine runs in its own threads and calls its listener from there; this adapter turns
each call into a Qt signal, which Qt queues onto the UI thread for widgets. No network call
ever happens here. It also nudges the engine when the OS says the network is back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

from sync.engine import Status, SyncEngine


class SyncAdapter(QObject):
    statusChanged = Signal(object)  # sync.engine.Status
    itemsArrived = Signal(list)  # [(entity, id)] of cases and requests the server changed
    conflictsAdded = Signal(list)  # [op_id] of ops the server rejected

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine: SyncEngine | None = None

    # the engine's Listener protocol (called from the engine's threads)
    def status_changed(self, status: Status) -> None:
        self.statusChanged.emit(status)

    def items_arrived(self, keys: list[tuple[str, str]]) -> None:
        self.itemsArrived.emit(keys)

    def conflicts_added(self, op_ids: list[str]) -> None:
        self.conflictsAdded.emit(op_ids)

    def start(self, engine: SyncEngine) -> None:
        """Run ``engine`` (made with this adapter as its listener) until :meth:`stop`."""
        self.engine = engine
        _watch_network(engine.nudge)
        engine.start()

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()


def _watch_network(network_back) -> bool:
    """Nudge the engine when the OS reports the network reachable again. Where the OS
    offers no backend (a bare Linux box), the retry timer alone brings the link back."""
    if not QNetworkInformation.loadDefaultBackend():
        return False
    info = QNetworkInformation.instance()

    def changed(reachability) -> None:
        if reachability in (QNetworkInformation.Reachability.Online,
                            QNetworkInformation.Reachability.Site,
                            QNetworkInformation.Reachability.Local):
            network_back()

    info.reachabilityChanged.connect(changed)
    return True
