"""Production mode refuses to start half-configured, and passes Django's deployment checks when set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "gongzhi.example.cn",
    "DATABASE_URL": "postgres://civic@127.0.0.1:5432/civic",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SITE_URL": "https://gongzhi.example.cn",
}


def test_production_refuses_to_start_without_its_variables():
    result = _manage("check", env_extra={"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "k" * 60})
    assert result.returncode != 0
    # without DJANGO_SITE_URL every e-mailed link would point at http://127.0.0.1:8000
    for name in ("DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DJANGO_SITE_URL"):
        assert name in result.stderr
    assert "DJANGO_SECRET_KEY" not in result.stderr.split("needs these environment variables:")[-1]


def test_production_passes_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
