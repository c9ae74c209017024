"""An association's documents carry their file names (encrypted, and they may name people): each
document an answer carries is an audited read (`association_document.view`)."""

from __future__ import annotations

from haven.associations import actions
from haven.associations.actions import BEARER_VIEW, DOCUMENT_VIEW
from haven.associations.models import AssociationDocument
from haven.associations.tests import walk
from haven.associations.tests.helpers import api
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _reads(member: Membership, document: AssociationDocument) -> int:
    return AuditEntry.objects.filter(
        action=DOCUMENT_VIEW,
        actor=member.user,
        object_type="associations.associationdocument",
        object_id=str(document.pk),
        fields=["file_name"],
    ).count()


def test_listing_an_associations_documents_is_an_audited_read_of_each(world: World) -> None:
    association = walk.application(world.org)
    member = world.members[Role.PROGRAMME_OFFICER]
    answer = api(world, member, "GET", f"/associations/{association.pk}/documents")
    assert answer.status_code == 200
    documents = list(association.documents.all())
    assert len(documents) == len(answer.json()) == 3
    assert [_reads(member, document) for document in documents] == [1, 1, 1]


def test_listing_office_bearers_is_an_audited_read_of_each(world: World) -> None:
    association = walk.application(world.org)
    member = world.members[Role.PROGRAMME_OFFICER]
    bearer = actions.add_office_bearer(
        association=association,
        position="PRESIDENT",
        name="Morjina Khatun",
        phone="01711000111",
        since_on=world.at.date(),
        acting_user=member.user,
        at=world.at,
    )
    answer = api(world, member, "GET", f"/associations/{association.pk}/office-bearers")
    assert answer.status_code == 200 and answer.json()[0]["name"] == "Morjina Khatun"
    reads = AuditEntry.objects.filter(action=BEARER_VIEW, actor=member.user, object_id=str(bearer.pk))
    assert reads.count() == 1
