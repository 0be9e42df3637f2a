"""Run `manage.py check --deploy` under production settings with throwaway secrets.

Fails (exit 1) on any warning or error, so production settings stay clean.
"""

import base64
import os
import subprocess
import sys

env = dict(os.environ)
env.update(
    {
        "DJANGO_SETTINGS_MODULE": "onestop.settings.production",
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "PII_ENCRYPTION_KEYS": "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "PII_HASH_KEY": base64.b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "onestop.example.gov.cn",
        "LEDGER_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        "LEDGER_ORIGIN": "onestop.example.gov.cn/ledger",
        "DATABASE_URL": env.get("DATABASE_URL", "sqlite:///:memory:"),
    }
)
result = subprocess.run(
    [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
    env=env,
    capture_output=True,
    text=True,
)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
sys.exit(result.returncode)
