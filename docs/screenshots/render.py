"""Render the main screens with demo data into docs/screenshots/ (Chinese, 1280×800).

    .venv/bin/python docs/screenshots/render.py        # offscreen; or under xvfb-run

A real embedded server and real clients: bdc01 (不动产登记中心) sends requests to tax01
(税务局), who accepts and answers some; a second tax counter makes one conflict; the tax
department's leader (tax-lead) gets the overdue pop-up once two requests are past due. A
second server plays the demo's four weeks of history for the statistics and 办理不满意.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.intake import receipt_data  # noqa: E402
from app.local import load_request  # noqa: E402
from app.secrets import use_memory_keyring  # noqa: E402
from app.store import models as m  # noqa: E402
from app.validation import id_check_character  # noqa: E402
from app.worktime import WorkCalendar  # noqa: E402
from server.embedded import EmbeddedServer  # noqa: E402
from sync.client import Client  # noqa: E402
from sync.qt import SyncAdapter  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.login import LoginDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.notify import PanelNotifier, RecordingNotifier  # noqa: E402
from ui.receipt import ReceiptDialog  # noqa: E402

OUT = Path(__file__).resolve().parent
PASSWORD = "demo-2026"
CITIZENS = [(name, body + id_check_character(body), phone) for name, body, phone in (
    ("张三", "11010519491231002", "13800138000"), ("李秀英", "44010619900307452", "13912345678"),
    ("王建华", "32010219851123041", "0571-87654321"), ("赵敏", "51010419770716662", "13698765432"))]
MATTERS = ["bdc-transfer-secondhand", "bdc-mortgage", "bdc-first-registration-newbuild",
           "bdc-presale-notice-registration"]


class Ahead(UiContext):
    """The same session seen at 13:45 of the next working day, so the bands differ: some
    requests are overdue, one has minutes left."""

    shift = timedelta(0)

    def now(self):
        return super().now() + self.shift

    @classmethod
    def looking_at(cls, client: Client) -> Ahead:
        calendar = WorkCalendar()
        now = client.clock.now()
        day = now.astimezone(calendar.tz).date() + timedelta(days=1)
        while not calendar.is_workday(day):
            day += timedelta(days=1)
        cls.shift = datetime.combine(day, time_of_day(13, 45), calendar.tz) - now
        return cls(client=client, adapter=SyncAdapter())


def login(root: Path, url: str, user: str) -> Client:
    return Client.login(root / user, url, user, PASSWORD)


def stage(url: str, root: Path):
    bdc, tax, tax_lead = (login(root, url, u) for u in ("bdc01", "tax01", "tax-lead"))
    for client in (bdc, tax, tax_lead):
        client.engine.sync_once()
    requests = []
    for i, ((name, id_number, phone), matter) in enumerate(zip(CITIZENS, MATTERS,
                                                               strict=True)):
        case = bdc.desk.register_case(matter_code=matter, citizen_name=name,
                                      citizen_id_number=id_number, citizen_phone=phone,
                                      channel="window", category="general",
                                      description="群众在不动产登记窗口办理")
        requests.append(bdc.desk.send_request(
            case, to_department="tax", role="lead" if i % 2 == 0 else "assisting",
            subject="完税证明", needed="契税及增值税完税证明",
            sla="feedback" if i == 3 else None))
    bdc.engine.sync_once()
    tax.engine.sync_once()
    tax.desk.accept(requests[0])
    tax.desk.reply(requests[0], "完税证明已开具，请查收附件。")
    tax.desk.accept(requests[1])
    tax.engine.sync_once()
    bdc.engine.sync_once()
    bdc.desk.urge(requests[1], "群众在窗口等候，请尽快办理")
    bdc.engine.sync_once()
    tax_lead.engine.sync_once()
    tax_lead.desk.send_back(requests[2], "买卖合同复印件不清晰，请补正")
    tax.desk.accept(requests[2])  # at the same time, on another tax counter
    tax_lead.engine.sync_once()
    tax.engine.sync_once()  # the accept loses: a conflict on tax01's screen
    tax_lead.close()
    return bdc, tax, requests


def settle(window=None) -> None:
    """Let background queries land and the window lay itself out."""
    pages = [window.inbox, window.sent] if window is not None else []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(p.busy() for p in pages):
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        QApplication.processEvents()


def shoot(widget, name: str, size=(1280, 800)) -> None:
    widget.resize(*size)
    widget.show()
    settle(widget if isinstance(widget, MainWindow) else None)
    widget.grab().save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def shoot_history(root: Path) -> None:
    """The scenes over the demo's four weeks of history: a server of their own, as the
    history takes a minute to play."""
    server = EmbeddedServer(root / "history", history=True).start()
    try:
        server.wait_for_history()
        shoot_reports(server.url, root / "history-clients")
        shoot_unsatisfied(server.url, root / "history-clients")
    finally:
        server.stop()


def shoot_reports(url: str, root: Path) -> None:
    """统计 and 月度考核 as the hall's administrator (范春生) sees them."""
    admin = login(root, url, "admin")
    admin.engine.sync_once()
    window = MainWindow(UiContext(client=admin, adapter=SyncAdapter()), RecordingNotifier())
    window.resize(1280, 800)
    window.show()
    for page, name in ((window.dashboard, "dashboard"), (window.evaluation, "evaluation")):
        window.nav.setCurrentRow(window.pages.indexOf(page))  # showing it fetches
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and page.report is None:
            QApplication.processEvents()
            time.sleep(0.01)
        shoot(window, name)
    admin.close()


def shoot_unsatisfied(url: str, root: Path) -> None:
    """办理不满意 as the real-estate centre's liaison (王志强) sees it after weeks of
    ratings: the rectifications his department owes and those it asked of others, overdue
    ones first; beside the list, the detail of one with a callback already made (else the
    most urgent), with its 差评整改 section."""
    liaison = login(root, url, "bdc02")
    liaison.engine.sync_once()
    window = MainWindow(UiContext(client=liaison, adapter=SyncAdapter()),
                        RecordingNotifier())
    window.resize(1280, 800)
    window.show()
    page = window.unsatisfied
    window.nav.setCurrentRow(window.pages.indexOf(page))  # showing it reads the list
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and page.busy():
        QApplication.processEvents()
        time.sleep(0.01)
    rows = page.model.rows
    with liaison.store.read() as session:
        called = [r for r in rows
                  if load_request(session, r.request_id).rectification.callbacks]
    page.select_request((called or rows)[0].request_id)  # selecting opens the detail
    shoot(window, "unsatisfied")
    liaison.close()


def main() -> int:
    make_application()
    use_memory_keyring()
    root = Path(tempfile.mkdtemp(prefix="windowdesk-shots-"))
    server = EmbeddedServer(root / "server").start()
    try:
        bdc, tax, requests = stage(server.url, root)
        bdc_ctx = UiContext(client=bdc, adapter=SyncAdapter())
        tax_ctx = Ahead.looking_at(tax)

        login_dialog = LoginDialog(root / "tax01", SyncAdapter())
        login_dialog.password.setText(PASSWORD)
        shoot(login_dialog, "login", (460, 230))

        panel = PanelNotifier()  # where a PC without a system tray shows the messages
        tax_window = MainWindow(tax_ctx, panel)
        tax_window.inbox.refresh()
        shoot(tax_window, "inbox")
        tax_window.open_request(requests[0])
        shoot(tax_window, "detail")
        tax_window.nav.setCurrentRow(4)
        shoot(tax_window, "conflicts")

        bdc_window = MainWindow(bdc_ctx, RecordingNotifier())
        bdc_window.nav.setCurrentRow(1)
        bdc_window.sent.refresh()
        shoot(bdc_window, "sent")
        bdc_window.new_intake()
        form = bdc_window.intake
        form.name.insert("孙丽")
        form.id_number.insert("110105194912310021")  # a wrong check digit
        form.phone.insert("13800138000")
        form.select_matter("bdc-transfer-secondhand")
        form.set_lead("tax", "契税完税证明")
        form.submit_and_collaborate()  # refused: the message shows beside the field
        shoot(bdc_window, "intake")

        with bdc.store.read() as session:
            case_id = load_request(session, requests[0]).case_id
            received = session.get(m.Case, case_id) is not None
        assert received
        receipt = receipt_data(bdc.store, case_id, bdc.actor, bdc.clock.now())
        shoot(ReceiptDialog(receipt), "receipt", (760, 800))

        shoot(panel, "tray-message", (420, 480))

        # 超期督办提醒: tax-lead (税务局 部门领导) when one more request, unanswered, and the
        # accepted and urged one are 1 h 20 min (of working time) past their deadline
        (name, id_number, phone), matter = CITIZENS[1], MATTERS[1]
        case = bdc.desk.register_case(matter_code=matter, citizen_name=name,
                                      citizen_id_number=id_number, citizen_phone=phone,
                                      channel="window", category="general",
                                      description="群众在不动产登记窗口办理抵押登记")
        bdc.desk.send_request(case, to_department="tax", role="assisting",
                              subject="个人所得税完税证明", needed="个人所得税完税凭证")
        bdc.engine.sync_once()
        lead = login(root, server.url, "tax-lead")
        lead.engine.sync_once()
        lead_ctx = Ahead(client=lead, adapter=SyncAdapter())
        with lead.store.read() as session:
            due = session.get(m.CollabRequest, requests[1]).due_at
        late = WorkCalendar().add_working_time(due, timedelta(hours=1, minutes=20))
        lead_ctx.shift = late - lead.clock.now()
        lead_window = MainWindow(lead_ctx, RecordingNotifier())
        lead_window.show()  # as the app does: the first look waits for the inbox's first list
        popup = lead_window.overdue
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (popup.busy() or not popup.isVisible()):
            QApplication.processEvents()
            time.sleep(0.01)
        popup.table.selectRow([i.request_id for i in popup.items].index(requests[1]))
        shoot(popup, "overdue", (1180, 720))
        lead.close()
        for client in (bdc, tax):
            client.close()
    finally:
        server.stop()
    shoot_history(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
