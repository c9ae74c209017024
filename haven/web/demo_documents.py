"""Demo documents: the example templates (an application for a protection order and a complaint to the
police, in Bengali, French, Persian and Russian) installed in a demo organisation, so that its lawyer can
draft from a case straight away. Called from `demo.load_demo` for an organisation it has just created."""

from __future__ import annotations

from datetime import datetime

from haven.documents.actions import install_examples
from haven.orgs.models import Organisation


def load_demo_documents(org: Organisation, at: datetime) -> None:
    install_examples(org=org, acting_user=None, at=at)
