"""Closed vocabularies. Values are the wire format (snake_case English); labels are Chinese."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    WINDOW = "window"
    HOTLINE_12345 = "hotline_12345"
    WEB = "web"
    MAILBOX = "mailbox"

    @property
    def label(self) -> str:
        return {"window": "窗口", "hotline_12345": "12345热线", "web": "网上", "mailbox": "信箱"}[
            self.value
        ]


class Category(StrEnum):
    URGENT = "urgent"
    SIMPLE = "simple"
    GENERAL = "general"
    COMPLEX = "complex"

    @property
    def label(self) -> str:
        labels = {"urgent": "急件", "simple": "简易", "general": "一般", "complex": "复杂"}
        return labels[self.value]


class StaffRole(StrEnum):
    CLERK = "clerk"
    LIAISON = "liaison"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "clerk": "窗口人员",
            "liaison": "联络员",
            "supervisor": "部门领导",
            "admin": "系统管理员",
        }[self.value]


class RequestRole(StrEnum):
    """A department's part in a case: 主办 (lead) or 协办 (assisting)."""

    LEAD = "lead"
    ASSISTING = "assisting"

    @property
    def label(self) -> str:
        return {"lead": "主办", "assisting": "协办"}[self.value]


class RequestState(StrEnum):
    SENT = "sent"  # waiting for the receiving department to accept
    ACCEPTED = "accepted"  # 已签收, being handled
    SENT_BACK = "sent_back"  # 退回补正: waiting for the requester; the clock is paused
    FORWARDED = "forwarded"  # 转办: waiting for the new department to accept; a new clock
    REPLIED = "replied"  # 已回复, waiting for the requester to confirm
    CONFIRMED = "confirmed"  # 已确认 with a rating
    REOPENED = "reopened"  # 重新办理 after an unsatisfied answer; a new clock
    WITHDRAWN = "withdrawn"  # 已撤回 by the requester

    @property
    def label(self) -> str:
        return {
            "sent": "待签收",
            "accepted": "办理中",
            "sent_back": "已退回",
            "forwarded": "已转办",
            "replied": "已回复",
            "confirmed": "已办结",
            "reopened": "重新办理",
            "withdrawn": "已撤回",
        }[self.value]

    @property
    def clock_running(self) -> bool:
        """States in which the receiving department owes an answer against a deadline."""
        return self in (RequestState.SENT, RequestState.ACCEPTED, RequestState.FORWARDED,
                        RequestState.REOPENED)


class CaseState(StrEnum):
    REGISTERED = "registered"  # 已受理
    IN_PROGRESS = "in_progress"  # 办理中: requests are out
    COMPLETED = "completed"  # 已办结, with a result
    EXPLAINED = "explained"  # 已告知: cannot be done, the reason told to the citizen
    REOPENED = "reopened"  # 重新办理 after an unsatisfied rating

    @property
    def label(self) -> str:
        return {
            "registered": "已受理",
            "in_progress": "办理中",
            "completed": "已办结",
            "explained": "已告知",
            "reopened": "重新办理",
        }[self.value]

    @property
    def is_closed(self) -> bool:
        return self in (CaseState.COMPLETED, CaseState.EXPLAINED)


class RectificationState(StrEnum):
    OPEN = "open"  # 整改中: owes a callback
    APPEALED = "appealed"  # 申诉中: waiting for the supervisor's decision
    RECTIFIED = "rectified"  # 已整改: a callback found the citizen satisfied
    ANNULLED = "annulled"  # 申诉成立: the rating was mistaken and no longer counts

    @property
    def label(self) -> str:
        return {"open": "整改中", "appealed": "申诉中", "rectified": "已整改",
                "annulled": "申诉成立"}[self.value]

    @property
    def is_closed(self) -> bool:
        return self in (RectificationState.RECTIFIED, RectificationState.ANNULLED)
