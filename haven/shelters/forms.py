"""Forms of the shelter pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import ServiceKind
from haven.orgs.models import Area, Organisation, Site
from haven.shelters.actions import FACILITY_FIELDS, NewBed
from haven.shelters.models import FACILITY_SITE_KINDS, Bed, Facility, RiskLevel, Stay, TurnAway
from haven.shelters.page_queries import ChildChoice
from haven.web.widgets import DateInput, DateTimeInput

DATE = DateInput()
PERIOD_DAYS = 30  # the occupancy page's period when only its end is given
DATETIME = DateTimeInput()


def _numbers(text: str, low: int, high: int, message: Any) -> list[int]:
    """ "7, 30, 90" → [7, 30, 90]; anything else is refused with `message`."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    try:
        numbers = [int(part) for part in parts]
    except ValueError as exc:
        raise ValidationError(message) from exc
    if any(not low <= n <= high for n in numbers):
        raise ValidationError(message)
    return numbers


class PolicyForm(forms.Form):
    """What a facility is, whom it accepts, and its stay policy (the `FACILITY_FIELDS`)."""

    facility_type = forms.ChoiceField(label=_("Type"), choices=Facility.Type.choices)
    operator = forms.ChoiceField(label=_("Run by"), choices=Facility.Operator.choices)
    accepts_women = forms.BooleanField(label=_("Accepts women"), required=False, initial=True)
    accepts_children = forms.BooleanField(
        label=_("Accepts children with their mother"), required=False, initial=True
    )
    boys_max_age = forms.IntegerField(
        label=_("Boys may stay up to the age of"),
        min_value=0,
        max_value=17,
        required=False,
        help_text=_("Older boys cannot stay. Empty: no age limit for boys."),
    )
    accepts_pregnant_women = forms.BooleanField(
        label=_("Accepts pregnant women"), required=False, initial=True
    )
    accepts_women_with_disabilities = forms.BooleanField(
        label=_("Accepts women with disabilities"), required=False, initial=True
    )
    max_stay_days = forms.IntegerField(
        label=_("Longest stay (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Empty: she may stay as long as she needs. A longer stay needs an approved extension."),
    )
    hold_minutes = forms.IntegerField(
        label=_("A bed is held for (minutes)"), min_value=5, max_value=1440, initial=90
    )
    admits_around_the_clock = forms.BooleanField(label=_("Admits at any hour"), required=False, initial=True)
    shares_availability = forms.BooleanField(
        label=_("Show free beds to the network"),
        required=False,
        help_text=_("Organisations of your shelter networks see how many beds are free, never who is here."),
    )
    follow_up_days = forms.CharField(
        label=_("Follow-up after the stay (days)"),
        required=False,
        initial="7, 30, 90",
        help_text=_("Days after she leaves when a follow-up call or meeting is planned, e.g. 7, 30, 90."),
    )

    def clean_follow_up_days(self) -> list[int]:
        message = _("List the days after her stay as whole numbers from 1 to 730, separated by commas.")
        return _numbers(self.cleaned_data["follow_up_days"], 1, 730, message)

    def policy(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FACILITY_FIELDS}

    @staticmethod
    def initial_for(facility: Facility) -> dict[str, Any]:
        initial = {name: getattr(facility, name) for name in FACILITY_FIELDS}
        initial["follow_up_days"] = ", ".join(str(day) for day in facility.follow_up_days)
        return initial


class FacilityForm(PolicyForm):
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        help_text=_("A shelter, one-stop centre or crisis centre site not yet described."),
    )
    field_order = ["site"]

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(org=org, is_active=True, kind__in=FACILITY_SITE_KINDS, facility=None)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


def _labels(text: str) -> list[str]:
    return [label.strip() for label in text.replace(";", ",").split(",") if label.strip()]


class BedsForm(forms.Form):
    labels = forms.CharField(
        label=_("Bed labels"),
        max_length=400,
        help_text=_("One label per bed, separated by commas, e.g. 1, 2, 3."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Bed.Kind.choices, initial=Bed.Kind.BED)
    is_accessible = forms.BooleanField(label=_("Accessible (wheelchair)"), required=False)

    def clean_labels(self) -> list[str]:
        labels = _labels(self.cleaned_data["labels"])
        if not labels or len(labels) > 100 or any(len(label) > 40 for label in labels):
            raise ValidationError(_("Give between 1 and 100 labels of at most 40 characters."))
        return labels

    def new_beds(self) -> list[NewBed]:
        data = self.cleaned_data
        return [NewBed(label, data["kind"], data["is_accessible"]) for label in data["labels"]]


class RoomForm(BedsForm):
    name = forms.CharField(label=_("Room name or number"), max_length=60)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who the room suits; kept encrypted."),
    )
    field_order = ["name", "floor", "labels", "kind", "is_accessible", "notes"]


class InUseForm(forms.Form):
    in_use = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


def _ages(text: str) -> list[int]:
    return _numbers(text, 0, 17, _("Give ages in whole years from 0 to 17, separated by commas."))


class HouseholdFields(forms.Form):
    """Who is coming, without naming anyone: adults and the ages of the boys and girls."""

    adults = forms.IntegerField(label=_("Adults"), min_value=0, max_value=10, initial=1)
    boys_ages = forms.CharField(
        label=_("Ages of the boys"), required=False, help_text=_("For example: 6, 11. Empty: no boy.")
    )
    girls_ages = forms.CharField(
        label=_("Ages of the girls"), required=False, help_text=_("For example: 2. Empty: no girl.")
    )

    def clean_boys_ages(self) -> list[int]:
        return _ages(self.cleaned_data["boys_ages"])

    def clean_girls_ages(self) -> list[int]:
        return _ages(self.cleaned_data["girls_ages"])

    def children(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        boys = [{"age": age, "sex": "MALE"} for age in data.get("boys_ages") or []]
        girls = [{"age": age, "sex": "FEMALE"} for age in data.get("girls_ages") or []]
        return boys + girls


class AvailabilityForm(HouseholdFields):
    beds = forms.IntegerField(
        label=_("Beds needed"), min_value=0, max_value=50, required=False, help_text=_("Cots not included.")
    )
    needs_cot = forms.BooleanField(label=_("Needs a cot (infant)"), required=False)
    needs_accessible = forms.BooleanField(label=_("Needs an accessible bed"), required=False)
    pregnant = forms.BooleanField(label=_("She is pregnant"), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    facility_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any")), *Facility.Type.choices], required=False
    )
    field_order = ["beds", "needs_cot", "needs_accessible", "pregnant", "adults", "boys_ages", "girls_ages"]

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adults"].required = False
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class HoldForm(HouseholdFields):
    facility = forms.UUIDField(widget=forms.HiddenInput)
    beds = forms.IntegerField(label=_("Beds"), min_value=0, max_value=20, initial=1)
    cots = forms.IntegerField(label=_("Cots"), min_value=0, max_value=20, initial=0)
    needs_accessible = forms.BooleanField(label=_("One accessible bed"), required=False)
    case = forms.UUIDField(widget=forms.HiddenInput, required=False)
    contact = forms.UUIDField(widget=forms.HiddenInput, required=False)
    dispatch = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("beds") or 0) + (data.get("cots") or 0) == 0:
            raise ValidationError({"beds": _("Hold at least one bed or cot.")})
        return data


def _bed_choices(beds: Sequence[Bed], blank: Any) -> list[tuple[str, Any]]:
    options = [("", blank)]
    for bed in beds:
        kind = (
            _("cot") if bed.kind == Bed.Kind.COT else _("accessible bed") if bed.is_accessible else _("bed")
        )
        options.append((str(bed.pk), f"{bed.room.name} · {bed.label} ({kind})"))
    return options


class AdmitForm(forms.Form):
    """Her bed, a bed (or cot) for each child who comes with her, how she came, what started."""

    woman_bed = forms.ChoiceField(label=_("Her bed"))
    arrival_kind = forms.ChoiceField(label=_("How she came"), choices=Stay.Arrival.choices)
    services_started = forms.MultipleChoiceField(
        label=_("Services started on arrival"),
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_end = forms.DateField(
        label=_("Planned end"),
        widget=DATE,
        required=False,
        help_text=_("Empty: the facility's longest stay, or open-ended where stays are not limited."),
    )

    def __init__(
        self, *args: Any, beds: Sequence[Bed], children: Sequence[ChildChoice], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.beds = {str(bed.pk): bed for bed in beds}
        self.children = {f"child_{child.person.pk}": child for child in children}
        self.fields["woman_bed"].choices = _bed_choices(  # type: ignore[attr-defined]
            [bed for bed in beds if bed.kind == Bed.Kind.BED], _("Choose a bed")
        )
        for name, child in self.children.items():
            # An infant sleeps in a cot where one is free (cots first), an older child in a bed.
            infant = child.age is not None and child.age < 2
            cots = [bed for bed in beds if bed.kind == Bed.Kind.COT]
            plain = [bed for bed in beds if bed.kind == Bed.Kind.BED]
            offered = cots + plain if infant else plain
            age = _("age not known") if child.age is None else _("%(age)d years") % {"age": child.age}
            self.fields[name] = forms.ChoiceField(
                label=_("Bed for %(code)s (%(age)s)") % {"code": child.person.survivor_code, "age": age},
                choices=_bed_choices(offered, _("Does not come")),
                required=False,
            )

    def residents(self) -> list[tuple[Any, Bed]]:
        """(person, bed) pairs: her own first, then each child given a bed."""
        data = self.cleaned_data
        pairs: list[tuple[Any, Bed]] = [(None, self.beds[data["woman_bed"]])]
        for name, child in self.children.items():
            if data.get(name):
                pairs.append((child.person, self.beds[data[name]]))
        return pairs


class ExtensionForm(forms.Form):
    new_planned_end = forms.DateField(label=_("New planned end"), widget=DATE)
    reason = forms.CharField(
        label=_("Why she needs to stay longer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class DischargeForm(forms.Form):
    destination = forms.ChoiceField(label=_("Where she went"), choices=Stay.Destination.choices)
    left_at = forms.DateTimeField(
        label=_("When she left"),
        widget=DATETIME,
        required=False,
        help_text=_("Empty: now."),
    )


class TransferForm(forms.Form):
    to_facility = forms.ModelChoiceField(label=_("Move to"), queryset=Facility.objects.none())
    planned_end = forms.DateField(label=_("Planned end there"), widget=DATE, required=False)

    def __init__(
        self, *args: Any, facilities: Any, beds: Sequence[Bed], residents: Sequence[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["to_facility"].label_from_instance = lambda f: f.site.name  # type: ignore[attr-defined]
        self.beds = {str(bed.pk): bed for bed in beds}
        self.people = {f"person_{r.person_id}": r.person for r in residents}
        for name, person in self.people.items():
            self.fields[name] = forms.ChoiceField(
                label=_("New bed for %(code)s") % {"code": person.survivor_code},
                choices=_bed_choices(beds, _("Choose a bed")),
                required=bool(beds),
            )

    def residents(self) -> list[tuple[Any, Bed]]:
        data = self.cleaned_data
        return [(person, self.beds[data[name]]) for name, person in self.people.items() if data.get(name)]


class WaitlistForm(HouseholdFields):
    facility = forms.ModelChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Any of our facilities"),
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=[("", _("From her latest risk screen")), *RiskLevel.choices],
        required=False,
    )
    field_order = ["facility", "risk_level", "adults", "boys_ages", "girls_ages"]

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adults"] = forms.IntegerField(label=_("Adults"), min_value=1, max_value=10, initial=1)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["facility"].label_from_instance = lambda f: f.site.name  # type: ignore[attr-defined]


class OfferForm(forms.Form):
    beds = forms.MultipleChoiceField(
        label=_("Beds to offer"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, beds: Sequence[Bed], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bed_rows = {str(bed.pk): bed for bed in beds}
        self.fields["beds"].choices = _bed_choices(beds, "")[1:]  # type: ignore[attr-defined]

    def chosen(self) -> list[Bed]:
        return [self.bed_rows[pk] for pk in self.cleaned_data["beds"]]


class TurnAwayForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=TurnAway.Reason.choices)
    adults = forms.IntegerField(label=_("Adults"), min_value=0, max_value=10, initial=1)
    children = forms.IntegerField(label=_("Children"), min_value=0, max_value=20, initial=0)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To (the day after the last)"), widget=DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start >= end:
            raise ValidationError({"end": _("The period must start before it ends.")})
        if end and not start and end < date.min + timedelta(days=PERIOD_DAYS):
            # The page counts the default period back from the end: before year 1 it cannot.
            raise ValidationError({"end": _("This period is outside the years the calendar can show.")})
        return data
