"""A consultation carried to every opinion answered: two residents (one with replacement wording), a
symposium with two opinions, a letter; answers of every kind, two opinions grouped."""

from django.utils import timezone

from consultations import services
from tests.consultations.conftest import close
from tests.factories import UserFactory
from tests.world import verify


def answered_consultation(world, make_consultation, *, finish=True, **kwargs):
    consultation = make_consultation(**kwargs)
    second = UserFactory(display_name="second resident")
    verify(second, world["c1b"])
    official = world["official_here"]
    today = timezone.localdate()
    wording = services.opinion_submit(
        author=world["resident"],
        consultation=consultation,
        unit="art1-p1",
        text="“制定本规约”前应写明依据。",
        wording="为了维护业主的合法权益，根据《民法典》，制定本规约。",
    )
    plain = services.opinion_submit(author=second, consultation=consultation, unit="art3-p1", text="生效日期应明确。")
    services.opinion_support(user=world["resident"], opinion=plain)
    symposium = services.symposium_record(
        staff=world["organiser_here"], consultation=consultation, held_on=today, place="社区议事厅", attendance=15
    )
    sym_a = services.opinion_enter_offline(
        staff=world["organiser_here"],
        consultation=consultation,
        source="symposium",
        symposium=symposium,
        unit="art2",
        text="增加停车位分配的权利。",
    )
    sym_b = services.opinion_enter_offline(
        staff=world["organiser_here"],
        consultation=consultation,
        source="symposium",
        symposium=symposium,
        unit="art2",
        text="写上车位怎么分。",
    )
    letter = services.opinion_enter_offline(
        staff=world["organiser_here"],
        consultation=consultation,
        source="letter",
        received_on=today,
        text="小区外道路的事也请管一管。",
    )
    close(consultation)
    services.opinion_answer(actor=official, opinion=wording, classification="adopted", reason="已按建议补充依据。")
    services.opinion_answer(
        actor=official, opinion=plain, classification="already_provided", reason="第三条已写明自通过之日起生效。"
    )
    group = services.group_create(actor=official, consultation=consultation, title="车位分配", opinions=[sym_a, sym_b])
    services.group_answer(actor=official, group=group, classification="not_adopted", reason="车位分配另行制定办法。")
    services.opinion_answer(
        actor=official, opinion=letter, classification="out_of_scope", reason="已转交街道城管科办理。"
    )
    if finish:
        services.consultation_finish_answering(actor=official, consultation=consultation)
    consultation.refresh_from_db()
    return consultation, {"wording": wording, "plain": plain, "sym_a": sym_a, "sym_b": sym_b, "letter": letter}
