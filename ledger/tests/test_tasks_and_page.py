import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from ledger.models import Checkpoint, Cosignature
from ledger.services import ledger_append_many
from ledger.tasks import publish_checkpoint_task

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_publish_task_publishes_and_gathers_the_demo_witness():
    ledger_append_many(actor=None, events=[("test.event", "x:1", {})] * 3)
    publish_checkpoint_task.enqueue()
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.size == 3
    assert Cosignature.objects.filter(checkpoint=checkpoint).count() == 1


@override_settings(TASKS=DB_TASKS)
def test_schedule_books_one_future_run():
    call_command("ledger", "schedule")
    call_command("ledger", "schedule")
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1
    assert waiting.get().task_path == "ledger.tasks.publish_checkpoint_task"


def test_ledger_page_shows_the_checkpoint_and_its_witness(settings):
    ledger_append_many(actor=None, events=[("test.event", "x:1", {})] * 2)
    call_command("ledger", "checkpoint", stdout=__import__("io").StringIO())
    page = Client(headers={"accept-language": "zh-hant"}).get("/ledger/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>存證賬本</h1>" in html
    assert "test.onestop.invalid/ledger\n2\n" in html
    assert settings.WITNESS_NAME in html
