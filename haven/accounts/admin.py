from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from haven.accounts.models import User


@admin.register(User)
class HavenUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Accounts across organisations are the installation operator's business (superusers only)."""

    fieldsets = (*(UserAdmin.fieldsets or ()), ("Haven", {"fields": ("language", "calendar")}))
