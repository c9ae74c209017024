"""The demo committees load through the verbs, for both demo organisations."""

from __future__ import annotations

from django.utils import timezone

from haven.committees.models import Action, Committee, TabledCase
from haven.committees.queries import identity_releases
from haven.orgs.models import Organisation
from haven.web.demo import load_demo
from haven.web.demo_committees import load_demo_committees


def test_it_loads_a_prevention_committee_in_dhaka_and_a_marac_in_quebec(db: None) -> None:
    now = timezone.now()
    load_demo(at=now)
    for org in Organisation.objects.filter(is_demo=True):
        if not Committee.objects.filter(org=org).exists():  # until demo.py calls it itself
            load_demo_committees(org, now)
    dhaka = Committee.objects.get(org__slug="dwa-dhaka")
    assert dhaka.kind == "UPAZILA_PREVENTION" and dhaka.chair is not None
    assert dhaka.members.filter(membership__isnull=False).count() == 1
    tabled = list(TabledCase.objects.filter(meeting__committee=dhaka).select_related("case"))
    assert len(tabled) == 2
    named = identity_releases(dhaka, [t.case.survivor_id for t in tabled], timezone.localdate(now))
    assert len(named) == 1  # one woman consented to the committee knowing her name
    assert Action.objects.filter(meeting__committee=dhaka, due_on__lt=timezone.localdate(now)).exists()
    assert Committee.objects.get(org__slug="maison-secours").kind == "MARAC"
