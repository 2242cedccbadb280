"""Races: supports sent twice at once are counted once; two drafters answering one opinion at once, one
wins; closing the answering while an opinion arrives never leaves an opinion unanswered in an answered
consultation."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from civic.errors import Conflict
from consultations import services
from consultations.models import Consultation, Opinion, OpinionSupport
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run(jobs, threads=10):
    barrier = threading.Barrier(threads)
    outcomes = {"ok": 0, "conflict": 0}
    lock = threading.Lock()

    def worker(batch):
        try:
            barrier.wait()
            for job in batch:
                try:
                    job()
                    key = "ok"
                except Conflict:
                    key = "conflict"
                with lock:
                    outcomes[key] += 1
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(jobs[i::threads],)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return outcomes


def _consultation(world):
    consultation = services.consultation_create(
        actor=world["official_here"],
        area=world["C1"],
        title="并发测试",
        kind="plan",
        participation="signed_in",
        closes_at=timezone.now() + timedelta(days=3),
    )
    services.consultation_import_text(actor=world["official_here"], consultation=consultation, source="第一条 甲")
    return services.consultation_publish(actor=world["official_here"], consultation=consultation)


def test_parallel_supports_are_counted_once_each(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    consultation = _consultation(world)
    opinion = services.opinion_submit(author=world["resident"], consultation=consultation, text="意见")
    people = [UserFactory() for _ in range(30)]
    jobs = [
        (lambda person=person: services.opinion_support(user=person, opinion=Opinion(pk=opinion.pk)))
        for person in people + people
    ]
    assert _run(jobs) == {"ok": 30, "conflict": 30}
    assert OpinionSupport.objects.filter(opinion=opinion).count() == 30
    assert Opinion.objects.get(pk=opinion.pk).support_count == 30


def test_two_drafters_answer_at_once_and_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    consultation = _consultation(world)
    opinion = services.opinion_submit(author=world["resident"], consultation=consultation, text="意见")
    services.consultation_close(consultation=consultation, now=consultation.closes_at)
    drafters = [world["official_here"], world["official_city"]] * 5
    jobs = [
        (
            lambda who=who, i=i: services.opinion_answer(
                actor=who,
                opinion=Opinion(pk=opinion.pk, consultation_id=consultation.pk),
                classification="adopted",
                reason=f"理由{i}",
            )
        )
        for i, who in enumerate(drafters)
    ]
    assert _run(jobs) == {"ok": 1, "conflict": 9}
    assert Opinion.objects.get(pk=opinion.pk).answered_at is not None


def test_no_opinion_slips_in_while_the_answering_closes(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    consultation = _consultation(world)
    services.consultation_close(consultation=consultation, now=consultation.closes_at)
    today = timezone.localdate()
    jobs = [
        lambda: services.consultation_finish_answering(
            actor=world["official_here"], consultation=Consultation(pk=consultation.pk)
        ),
        *[
            (
                lambda i=i: services.opinion_enter_offline(
                    staff=world["organiser_here"],
                    consultation=Consultation(pk=consultation.pk),
                    source="letter",
                    received_on=today,
                    text=f"来信{i}",
                )
            )
            for i in range(5)
        ],
    ]
    _run(jobs, threads=6)
    consultation.refresh_from_db()
    if consultation.state == "answered":
        assert not Opinion.objects.filter(consultation=consultation, answered_at__isnull=True).exists()
    else:
        assert Opinion.objects.filter(consultation=consultation).count() == 5
