"""Verbs for documents: write and revise templates, install the example templates, draft a document from a
template for a case, save new versions of its text, and move it through review.

Callers fetch templates and drafts through their `visible_to` rule first; the verbs check what that rule
cannot: the acting member's role for the step (drafting, reviewing), the draft's status, and that a
reviewer is never the one who wrote it. Each verb is one transaction with its audit entry and, where the
status moves, a `DraftTransition`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.actions import require_editable
from haven.cases.models import Case
from haven.documents import catalogue
from haven.documents.models import (
    DRAFTERS,
    REVIEWERS,
    DocumentKind,
    DocumentTemplate,
    Draft,
    DraftTransition,
    DraftVersion,
    TemplateVersion,
)
from haven.orgs.models import Organisation, membership_of
from haven.orgs.roles import Role
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.legal.models import Matter

TEMPLATE_CREATE = audit.register_action("documents.template_create", "A document template was written")
TEMPLATE_REVISE = audit.register_action("documents.template_revise", "A document template got a new version")
TEMPLATE_ACTIVE = audit.register_action(
    "documents.template_active", "A document template was offered or withdrawn"
)
DRAFT_CREATE = audit.register_action("documents.draft", "A document was drafted for a case")
DRAFT_VERSION = audit.register_action("documents.draft_version", "A drafted document's text was saved")
DRAFT_TRANSITION = audit.register_action("documents.draft_transition", "A drafted document's status changed")
DRAFT_VIEW = audit.register_action("documents.draft_view", "A drafted document was read", read=True)
DRAFT_PRINT = audit.register_action("documents.draft_pdf", "A drafted document was printed to PDF")

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_VALUE = 4_000
MAX_TEXT = 100_000

Status = Draft.Status


# --- who may -------------------------------------------------------------------------------------------


def _role_of(acting_user: User | None, org_id: object) -> Role | None:
    membership = membership_of(acting_user)
    if membership is None or membership.org_id != org_id:
        return None
    return membership.role_enum


def _require_role(acting_user: User | None, org_id: object, roles: Collection[Role], message: str) -> None:
    if _role_of(acting_user, org_id) not in roles:
        raise ValidationError(message)


def _require_drafter(acting_user: User | None, draft_or_case: Draft | Case) -> None:
    _require_role(
        acting_user,
        draft_or_case.org_id,
        DRAFTERS,
        _("Only a lawyer, a caseworker or a centre manager can draft and edit documents."),
    )


def may_review(draft: Draft, acting_user: User | None) -> bool:
    """A reviewer is another lawyer or a centre manager, who wrote no version of the draft."""
    if acting_user is None or _role_of(acting_user, draft.org_id) not in REVIEWERS:
        return False
    return draft.author_id != acting_user.pk and not draft.versions.filter(created_by=acting_user).exists()


def _require_reviewer(draft: Draft, acting_user: User | None) -> None:
    if _role_of(acting_user, draft.org_id) not in REVIEWERS:
        raise ValidationError(_("Only a lawyer or a centre manager can review a document."))
    if not may_review(draft, acting_user):
        raise ValidationError(
            _("Someone else must review this document: you wrote it, or a version of it, yourself.")
        )


# --- templates -----------------------------------------------------------------------------------------


def _clean_template(*, kind: str, language: str, title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose one of the kinds of document.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages Haven speaks.")
    if not title:
        errors["title"] = _("Give the template a title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("Keep the title under %(count)s characters.") % {"count": MAX_TITLE}
    if not body:
        errors["body"] = _("Write the template's text.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("The text is too long (at most %(count)s characters).") % {"count": MAX_BODY}
    if errors:
        raise ValidationError(errors)
    catalogue.check_body(body)
    return title, body


def create_template(
    *,
    org: Organisation,
    kind: str,
    language: str,
    title: str,
    body: str,
    acting_user: User | None,
    at: datetime,
    example_key: str = "",
) -> DocumentTemplate:
    """A new template with its first version; placeholders outside the catalogue are refused."""
    title, body = _clean_template(kind=kind, language=language, title=title, body=body)
    template = DocumentTemplate(
        org=org,
        kind=kind,
        language=language,
        title=title,
        current_number=1,
        example_key=example_key,
        created_at=at,
        created_by=acting_user,
    )
    with transaction.atomic():
        template.save()
        TemplateVersion.objects.create(
            org=org,
            template=template,
            number=1,
            title=title,
            body=body,
            created_at=at,
            created_by=acting_user,
        )
        audit.record(
            action=TEMPLATE_CREATE,
            actor=acting_user,
            org=org,
            obj=template,
            at=at,
            fields=["kind", "language", "title", "body"],
        )
    return template


def revise_template(
    *, template: DocumentTemplate, title: str, body: str, acting_user: User | None, at: datetime
) -> TemplateVersion:
    """Save a new version of the template. Drafts already made keep the version they came from."""
    title, body = _clean_template(kind=template.kind, language=template.language, title=title, body=body)
    with transaction.atomic():
        locked = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
        current = locked.current_version
        if (current.title, current.body) == (title, body):
            raise ValidationError({"body": _("Nothing has changed, so no new version was saved.")})
        locked.current_number += 1
        locked.title = title
        locked.save(update_fields=["current_number", "title"])
        version = TemplateVersion.objects.create(
            org_id=locked.org_id,
            template=locked,
            number=locked.current_number,
            title=title,
            body=body,
            created_at=at,
            created_by=acting_user,
        )
        audit.record(
            action=TEMPLATE_REVISE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["title", "body"],
        )
    template.current_number, template.title = locked.current_number, locked.title
    return version


def set_template_active(
    *, template: DocumentTemplate, is_active: bool, acting_user: User | None, at: datetime
) -> DocumentTemplate:
    """Offer the template for new drafts, or withdraw it (drafts made from it stay as they are)."""
    with transaction.atomic():
        template.is_active = is_active
        template.save(update_fields=["is_active"])
        audit.record(
            action=TEMPLATE_ACTIVE,
            actor=acting_user,
            org=template.org,
            obj=template,
            at=at,
            fields=["is_active"],
        )
    return template


def install_examples(*, org: Organisation, acting_user: User | None, at: datetime) -> list[DocumentTemplate]:
    """Add the example templates shipped with Haven (haven/documents/examples/) to the organisation.

    Idempotent: an example already installed in a language (even if since revised or withdrawn) is not
    added again. Returns the templates added."""
    from haven.documents.examples import examples

    installed = set(
        DocumentTemplate.objects.filter(org=org)
        .exclude(example_key="")
        .values_list("example_key", "language")
    )
    added = []
    with transaction.atomic():
        for example in examples():
            if (example.key, example.language) in installed:
                continue
            try:
                with transaction.atomic():
                    added.append(
                        create_template(
                            org=org,
                            kind=example.kind,
                            language=example.language,
                            title=example.title,
                            body=example.body,
                            acting_user=acting_user,
                            at=at,
                            example_key=example.key,
                        )
                    )
            except IntegrityError:  # installed at the same moment by someone else: theirs stands
                continue
    return added


# --- drafts --------------------------------------------------------------------------------------------


def source_for(
    *, case: Case, template_language: str, matter: Matter | None, acting_user: User, at: datetime
) -> catalogue.Source:
    return catalogue.Source(
        case=case,
        matter=matter,
        drafter=acting_user,
        language=template_language,
        calendar=case.org.default_calendar,
        today=timezone.localdate(at),
    )


def _check_matter(case: Case, matter: Matter | None) -> None:
    if matter is not None and matter.case_id != case.pk:
        raise ValidationError({"matter": _("Choose a legal matter of this case.")})


def _check_values(body: str, values: Mapping[str, str]) -> None:
    asked = {field.key for field, _required in catalogue.asked_fields(body)}
    unknown = sorted(set(values) - asked)
    if unknown:
        raise ValidationError(
            {"values": _("This template does not ask for: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    too_long = [key for key, value in values.items() if len(value) > MAX_VALUE]
    if too_long:
        raise ValidationError(
            {key: _("Keep this under %(count)s characters.") % {"count": MAX_VALUE} for key in too_long}
        )


def draft_document(
    *,
    case: Case,
    template: DocumentTemplate,
    values: Mapping[str, str],
    acting_user: User,
    at: datetime,
    matter: Matter | None = None,
) -> Draft:
    """Fill the template's current version for the case and save it as version 1 of a new draft.

    Refused, naming every missing field and where to fix it, when a required field has no value; refused
    on a closed case, with a template withdrawn or of another organisation, or a matter of another case."""
    _require_drafter(acting_user, case)
    if template.org_id != case.org_id or not template.is_active:
        raise ValidationError({"template": _("Choose one of the templates your organisation offers.")})
    _check_matter(case, matter)
    version = template.current_version
    _check_values(version.body, values)
    source = source_for(
        case=case, template_language=template.language, matter=matter, acting_user=acting_user, at=at
    )
    text = catalogue.fill(version.body, catalogue.resolve(version.body, source, values))
    draft = Draft(
        org_id=case.org_id,
        case=case,
        matter=matter,
        template_version=version,
        kind=template.kind,
        title=version.title,
        language=template.language,
        status=Status.DRAFT,
        current_number=1,
        author=acting_user,
        created_at=at,
    )
    with transaction.atomic():
        require_editable(case)
        draft.save()
        DraftVersion.objects.create(
            org_id=case.org_id, draft=draft, number=1, text=text, created_at=at, created_by=acting_user
        )
        DraftTransition.objects.create(
            org_id=case.org_id,
            draft=draft,
            to_status=Status.DRAFT,
            version_number=1,
            at=at,
            actor=acting_user,
        )
        audit.record(
            action=DRAFT_CREATE,
            actor=acting_user,
            org=case.org,
            obj=draft,
            at=at,
            fields=["case", "template_version", "text", *(["matter"] if matter else [])],
        )
    return draft


def _state_error(draft: Draft, doing: str) -> ValidationError:
    return ValidationError(
        _("This document is “%(status)s”, so you cannot %(doing)s.")
        % {"status": Status(draft.status).label, "doing": doing},
        code="draft_state",
    )


def save_draft_version(
    *, draft: Draft, text: str, acting_user: User, at: datetime, based_on: int | None = None
) -> DraftVersion:
    """Save the edited text as the draft's next version. A returned draft goes back to "Draft".

    `based_on` is the version the editor started from: if someone saved a newer one meanwhile, the save
    is refused rather than silently overwrite their changes."""
    _require_drafter(acting_user, draft)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The document cannot be empty.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": _("The text is too long (at most %(count)s characters).") % {"count": MAX_TEXT}}
        )
    with transaction.atomic():
        locked: Draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if not locked.is_editable:
            raise _state_error(locked, _("change its text"))
        if based_on is not None and based_on != locked.current_number:
            raise ValidationError(
                {
                    "text": _(
                        "Someone saved version %(number)s while you were editing. Copy your changes, "
                        "open the document again and make them on the newest version."
                    )
                    % {"number": locked.current_number}
                }
            )
        if text == locked.current_version.text:
            raise ValidationError({"text": _("Nothing has changed, so no new version was saved.")})
        from_status = locked.status
        locked.current_number += 1
        locked.status = Status.DRAFT
        locked.save(update_fields=["current_number", "status"])
        version = DraftVersion.objects.create(
            org_id=locked.org_id,
            draft=locked,
            number=locked.current_number,
            text=text,
            created_at=at,
            created_by=acting_user,
        )
        if from_status != Status.DRAFT:
            _record_move(locked, from_status, acting_user, at)
        audit.record(
            action=DRAFT_VERSION, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["text"]
        )
    draft.current_number, draft.status = locked.current_number, locked.status
    return version


def _record_move(
    draft: Draft, from_status: str, acting_user: User | None, at: datetime, comment: str = ""
) -> None:
    DraftTransition.objects.create(
        org_id=draft.org_id,
        draft=draft,
        from_status=from_status,
        to_status=draft.status,
        version_number=draft.current_number,
        at=at,
        actor=acting_user,
        comment=comment,
    )
    audit.record(
        action=DRAFT_TRANSITION,
        actor=acting_user,
        org=draft.org,
        obj=draft,
        at=at,
        fields=["status", *(["approved_number"] if draft.approved_number else [])],
        reason_code=f"{from_status}>{draft.status}",
    )


def _move(
    draft: Draft,
    *,
    allowed: Collection[str],
    to: str,
    doing: str,
    acting_user: User,
    at: datetime,
    comment: str = "",
) -> Draft:
    with transaction.atomic():
        locked: Draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if locked.status not in allowed:
            raise _state_error(locked, doing)
        from_status = locked.status
        locked.status = to
        locked.approved_number = locked.current_number if to == Status.APPROVED else None
        locked.save(update_fields=["status", "approved_number"])
        _record_move(locked, from_status, acting_user, at, comment)
    draft.status, draft.approved_number = locked.status, locked.approved_number
    return draft


def submit_draft(*, draft: Draft, acting_user: User, at: datetime) -> Draft:
    """Send the draft for review (from "Draft", or straight back from "Returned" when nothing needs to
    change)."""
    _require_drafter(acting_user, draft)
    return _move(
        draft,
        allowed=Draft.EDITABLE,
        to=Status.IN_REVIEW,
        doing=_("send it for review"),
        acting_user=acting_user,
        at=at,
    )


def approve_draft(*, draft: Draft, acting_user: User, at: datetime) -> Draft:
    """Approve the version under review; it is the one printed without the "draft" mark."""
    _require_reviewer(draft, acting_user)
    return _move(
        draft,
        allowed=(Status.IN_REVIEW,),
        to=Status.APPROVED,
        doing=_("approve it"),
        acting_user=acting_user,
        at=at,
    )


def return_draft(*, draft: Draft, comment: str, acting_user: User, at: datetime) -> Draft:
    """Send the draft back to its author with what to change (the comment is required)."""
    _require_reviewer(draft, acting_user)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what has to change before it can be approved.")})
    if len(comment) > MAX_VALUE:
        raise ValidationError({"comment": _("Keep this under %(count)s characters.") % {"count": MAX_VALUE}})
    return _move(
        draft,
        allowed=(Status.IN_REVIEW,),
        to=Status.RETURNED,
        doing=_("return it"),
        acting_user=acting_user,
        at=at,
        comment=comment,
    )


def record_draft_view(*, draft: Draft, acting_user: User | None, at: datetime) -> None:
    """Reading a drafted document is an audited read."""
    audit.record(action=DRAFT_VIEW, actor=acting_user, org=draft.org, obj=draft, at=at)


def record_draft_print(*, draft: Draft, version_number: int, acting_user: User | None, at: datetime) -> None:
    """Printing a drafted document to PDF is an audited read (the version goes in the reason code)."""
    audit.record(
        action=DRAFT_PRINT,
        actor=acting_user,
        org=draft.org,
        obj=draft,
        at=at,
        reason_code=f"v{version_number}",
    )


VERBS = ("submit", "approve", "return")


def move_draft(*, draft: Draft, verb: str, acting_user: User, at: datetime, comment: str = "") -> Draft:
    """Run one review verb by name (for the pages and the API); an unknown verb is refused."""
    if verb == "submit":
        return submit_draft(draft=draft, acting_user=acting_user, at=at)
    if verb == "approve":
        return approve_draft(draft=draft, acting_user=acting_user, at=at)
    if verb == "return":
        return return_draft(draft=draft, comment=comment, acting_user=acting_user, at=at)
    raise ValidationError({"verb": _("Choose one of: %(verbs)s.") % {"verbs": ", ".join(VERBS)}})


def available_verbs(draft: Draft, acting_user: User) -> list[str]:
    """The review verbs this person may use on the draft now (what its page offers)."""
    role = _role_of(acting_user, draft.org_id)
    if draft.is_editable:
        return ["submit"] if role in DRAFTERS else []
    if draft.status == Status.IN_REVIEW and may_review(draft, acting_user):
        return ["approve", "return"]
    return []


def may_edit(draft: Draft, acting_user: User) -> bool:
    return draft.is_editable and _role_of(acting_user, draft.org_id) in DRAFTERS
