"""Every example template Haven ships, in every language it ships in, drafts from a case and prints: the
filled values and the template's own words come back out of the PDF, set in the script's Noto family, and
Persian runs right to left. A Hindi template written here prints in Devanagari."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from pypdf.generic import DictionaryObject

from haven.cases.actions import open_case, record_incident
from haven.conftest import World
from haven.documents import actions, catalogue
from haven.documents.examples import Example, examples
from haven.documents.forms import asked_field_name
from haven.documents.models import DocumentTemplate, Draft
from haven.documents.tests.conftest import download
from haven.documents.tests.pdf_text import comes_back, line_starts
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.web.tests.pdf_support import font_families, reader, text_of

FAMILY = {"bn": "Noto Sans Bengali", "fa": "Noto Naskh Arabic", "fr": "Noto Sans", "ru": "Noto Sans"}

# Synthetic people and places, in each language's own script. No digits in Persian: text extractors
# reverse numbers inside right-to-left lines (the PDF draws them correctly).
WRITTEN = {
    "bn": {
        "name": "সালমা খাতুন",
        "court.name": "পারিবারিক আদালত, ঢাকা",
        "police.station": "মিরপুর মডেল থানা",
        "respondent.name": "করিম মিয়া",
        "survivor.address": "আইনি সহায়তা কেন্দ্র, সড়ক ১২, ঢাকা",
        "law.basis": "পারিবারিক সহিংসতা প্রতিরোধ আইন",
        "facts": "তিনি আমাকে মারধর করেছেন এবং হুমকি দিয়েছেন।",
        "relief": "প্রতিপক্ষ যেন আবেদনকারীর কাছে না আসেন।",
        "signed.place": "ঢাকা",
    },
    "fa": {
        "name": "مریم رحیمی",
        "court.name": "دادگاه خانواده تهران",
        "police.station": "کلانتری مرکزی تهران",
        "respondent.name": "علی رضایی",
        "survivor.address": "دفتر حقوقی سازمان، خیابان آزادی",
        "law.basis": "قانون حمایت از خانواده",
        "facts": "او مرا کتک زد و تهدید کرد.",
        "relief": "طرف درخواست به درخواست‌کننده نزدیک نشود.",
        "signed.place": "تهران",
    },
    "fr": {
        "name": "Amina Diallo",
        "court.name": "Tribunal judiciaire de Lyon",
        "police.station": "Commissariat central de Lyon",
        "respondent.name": "Marc Dupont",
        "survivor.address": "Cabinet de Maître Durand, 3 rue de la Paix, Lyon",
        "law.basis": "Code civil, articles sur la protection des victimes",
        "facts": "Il m'a frappée et menacée devant les enfants.",
        "relief": "Interdire au défendeur d'entrer en contact avec la demanderesse.",
        "signed.place": "Lyon",
    },
    "ru": {
        "name": "Анна Иванова",
        "court.name": "Районный суд города Алматы",
        "police.station": "Отдел полиции Алмалинского района",
        "respondent.name": "Иван Петров",
        "survivor.address": "Юридическая консультация, улица Мира, 5",
        "law.basis": "Закон о профилактике бытового насилия",
        "facts": "Он ударил меня и угрожал мне.",
        "relief": "Запретить ответчику приближаться к заявительнице.",
        "signed.place": "Алматы",
    },
}
OPTIONAL = {"survivor.phone", "respondent.address", "children"}


def a_phrase(example: Example) -> str:
    """The longest line of the body with no placeholder: the template's own words."""
    lines = [line.strip() for line in example.body.splitlines() if "{{" not in line and "_" not in line]
    return max(lines, key=len)


@pytest.mark.parametrize("example", examples(), ids=lambda example: f"{example.key}-{example.language}")
def test_it_drafts_and_prints_each_example_in_its_language(world: World, example: Example) -> None:
    written = WRITTEN[example.language]
    lawyer = world.members[Role.LAWYER]
    survivor = register_person(
        org=world.org, name=written["name"], born_on=date(1990, 3, 12), acting_user=None, at=world.at
    )
    case = open_case(survivor=survivor, lead=lawyer, acting_user=None, at=world.at)
    record_incident(
        case=case,
        acting_user=None,
        at=world.at,
        occurred_on=date(2026, 1, 5),
        reported_on=date(2026, 1, 6),
        place_type="HOME",
        physical_violence=True,
    )
    actions.install_examples(org=world.org, acting_user=None, at=world.at)
    template = DocumentTemplate.objects.get(org=world.org, example_key=example.key, language=example.language)
    asked = {field.key for field, _required in catalogue.asked_fields(example.body)}
    values = {key: value for key, value in written.items() if key in asked}
    assert asked - set(values) <= OPTIONAL, asked - set(values)  # every required asked field is filled

    client = world.client_for(lawyer)
    form = {asked_field_name(key): value for key, value in values.items()}
    response = client.post(reverse("documents:draft_new", args=[case.pk, template.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Draft.objects.get(case=case)
    document = download(client, draft)

    for expected in [written["name"], *values.values(), a_phrase(example)]:
        assert comes_back(document, expected, example.language), (expected, text_of(document))
    assert comes_back(document, template.title, example.language, heading=True)
    assert FAMILY[example.language] in font_families(document)
    assert all(family.startswith("Noto ") for family in font_families(document)), font_families(document)
    catalog = reader(document).trailer["/Root"].get_object()
    assert isinstance(catalog, DictionaryObject) and str(catalog["/Lang"]) == example.language
    title_starts = line_starts(document)[0]  # the title, a short line: flush with the start of the page
    assert title_starts > 0.5 if example.language == "fa" else title_starts < 0.2


def test_it_prints_a_hindi_template_in_devanagari(world: World) -> None:
    lawyer = world.members[Role.LAWYER]
    survivor = register_person(org=world.org, name="सुनीता देवी", acting_user=None, at=world.at)
    case = open_case(survivor=survivor, lead=lawyer, acting_user=None, at=world.at)
    body = "आवेदक: {{survivor.name}}\nपता: {{survivor.address}}\nन्यायालय से सुरक्षा आदेश की प्रार्थना है।"
    template = actions.create_template(
        org=world.org,
        kind="PROTECTION_ORDER",
        language="hi",
        title="सुरक्षा आदेश के लिए आवेदन",
        body=body,
        acting_user=None,
        at=world.at,
    )
    client = world.client_for(lawyer)
    url = reverse("documents:draft_new", args=[case.pk, template.pk])
    address = "विधिक सहायता केंद्र, दिल्ली"
    assert client.post(url, {asked_field_name("survivor.address"): address}).status_code == 302
    document = download(client, Draft.objects.get(case=case))
    assert "Noto Sans Devanagari" in font_families(document)
    for expected in ("सुनीता देवी", address, "न्यायालय से सुरक्षा आदेश की प्रार्थना है।"):
        assert comes_back(document, expected, "hi"), (expected, text_of(document))
    assert line_starts(document)[0] < 0.2
