"""The Qt adapter moves the engine's news onto the UI thread as signals."""

from __future__ import annotations

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from sync.client import Client
from sync.qt import SyncAdapter
from tests.support.server import DEMO_PASSWORD, Api, register_op, send_op


def test_status_and_new_items_arrive_as_signals_on_the_ui_thread(qtbot, hub, tmp_path):
    adapter = SyncAdapter()
    client = Client.login(tmp_path / "tax", hub.url, "tax01", DEMO_PASSWORD, listener=adapter)
    threads = []
    adapter.itemsArrived.connect(lambda _: threads.append(QThread.currentThread()))
    try:
        with qtbot.waitSignal(adapter.statusChanged, timeout=15_000,
                              check_params_cb=lambda s: s.link == "online"):
            adapter.start(client.engine)
        sender = Api(hub.url).login("bdc01")
        case = register_op()
        request = send_op(case["entity_id"])
        with qtbot.waitSignal(adapter.itemsArrived, timeout=10_000,
                              check_params_cb=lambda keys: ("request", request["entity_id"])
                              in keys):
            assert [r["status"] for r in sender.push(case, request)] == ["applied"] * 2
        assert threads and all(t is QApplication.instance().thread() for t in threads)
    finally:
        adapter.stop()
        client.close()
