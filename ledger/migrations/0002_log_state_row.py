from django.db import migrations


def create_state(apps, schema_editor):
    apps.get_model("ledger", "LogState").objects.get_or_create(pk=1, defaults={"size": 0, "border": ""})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create_state, migrations.RunPython.noop)]
