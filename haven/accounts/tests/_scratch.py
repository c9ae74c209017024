from django.test import Client
from django.urls import reverse
from haven.conftest import PASSWORD
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

def test_explore(world):
    c = Client()
    m = world.members[Role.LAWYER]
    m.is_active = False
    m.save()
    r = c.post(reverse("accounts:login"), {"username": m.user.username, "password": PASSWORD})
    print("inactive membership", r.status_code, r.get("Location"))
    r = c.get(reverse("web:home"))
    print("home", r.status_code)
    print(list(AuditEntry.objects.values_list("action", flat=True)))
    c = Client()
    for i in range(7):
        r = c.post(reverse("accounts:login"), {"username": "home.nurse", "password": "nope"})
        print(i, r.status_code, b"locked" in r.content)
    r = c.post(reverse("accounts:login"), {"username": "home.nurse", "password": PASSWORD})
    print("right", r.status_code)
    print(list(AuditEntry.objects.values_list("action", flat=True)))
