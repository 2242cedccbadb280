"""A consultation of community C1 in the test world: drafted by the official of D1, text imported."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services

TEXT = """第一章 总则
第一条 为了维护业主的合法权益，制定本规约。
第二条 业主享有下列权利：
（一）使用共有部分；
（二）参加业主大会。
第二章 附则
第三条 本规约自通过之日起生效。
"""


@pytest.fixture
def make_consultation(world):
    def make(publish=True, area="C1", **kwargs):
        kwargs.setdefault("title", "一社区管理规约（征求意见稿）")
        kwargs.setdefault("kind", "community_rules")
        kwargs.setdefault("closes_at", timezone.now() + timedelta(days=10))
        consultation = services.consultation_create(actor=world["official_here"], area=world[area], **kwargs)
        services.consultation_import_text(actor=world["official_here"], consultation=consultation, source=TEXT)
        if publish:
            services.consultation_publish(actor=world["official_here"], consultation=consultation)
        consultation.refresh_from_db()
        return consultation

    return make


@pytest.fixture
def open_consultation(make_consultation):
    return make_consultation()


def close(consultation):
    """Move the clock past the window and let the tick close it."""
    later = consultation.closes_at + timedelta(minutes=1)
    assert services.consultation_close(consultation=consultation, now=later)
    consultation.refresh_from_db()
    return consultation
