import pytest
from django.contrib.auth.models import Permission

from accounts.services import staff_create
from conftest import PASSWORD


@pytest.fixture
def catalog_editor(db):
    """A back-office member granted the catalog change permission in the admin."""
    user = staff_create(actor=None, username="editor", display_name="目录管理员", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="change_serviceitem"))
    return type(user).objects.get(pk=user.pk)  # fresh: permission cache empty
