"""The production install: docker-compose.yml must agree with the settings, and the settings must refuse a
malformed environment with a message naming the variable."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services_with_health_checks_and_named_volumes():
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "minio", "minio-bucket", "web", "worker", "beat"}
    for name, service in services.items():
        if name != "minio-bucket":  # a one-shot job: makes the bucket and exits
            assert "healthcheck" in service, f"{name} has no health check"
    assert {"pgdata", "redisdata", "media", "miniodata"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_compose_commands_run_gunicorn_a_worker_and_beat_of_this_project():
    services = _compose()["services"]
    assert "gunicorn kehila.wsgi" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "kehila", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "kehila", "beat"]
    assert "healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_environment_names_only_variables_the_settings_read():
    settings_source = (ROOT / "kehila" / "settings.py").read_text()
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "false"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        assert env["CACHE_URL"].startswith("redis://")
        for variable in env:
            assert f'"{variable}"' in settings_source, f"{name}: settings never read {variable}"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        # Files are shared between machines through MinIO, whose bucket exists before the app starts.
        assert env["KEHILA_STORAGE"] == "s3"
        assert env["AWS_S3_ENDPOINT_URL"].endswith("minio:9000}")
        bucket = services[name]["depends_on"]["minio-bucket"]["condition"]
        assert bucket == "service_completed_successfully"


def _run_settings(env_overrides, *args):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "KEHILA_VAR_DIR": os.environ.get("KEHILA_VAR_DIR", str(ROOT / "var")),
        **env_overrides,
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("CONN_MAX_AGE", "forever"),
        ("CELERY_BROKER_URL", "carrier-pigeon://loft"),
        ("KEHILA_TRUSTED_PROXY_COUNT", "one"),
        ("KEHILA_TRUSTED_PROXY_COUNT", "-1"),
        ("KEHILA_IDLE_TIMEOUT_MINUTES", "soon"),
        ("KEHILA_LOGIN_FAILURE_LIMIT", "many"),
        ("KEHILA_STORAGE", "floppy"),
        ("KEHILA_OUTBOX_BODY_RETENTION_DAYS", "0"),
    ],
)
def test_a_malformed_variable_stops_start_up_naming_it(variable, value):
    result = _run_settings({variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = _run_settings({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_the_production_variables():
    result = _run_settings(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2" * 10,
            "ALLOWED_HOSTS": "kehila.example.org",
            "DATABASE_URL": "postgres://kehila:pw@127.0.0.1:5432/kehila",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
            "EMAIL_URL": "smtp://mail.example.org:25",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout


STATIC_PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--no-input", verbosity=0)
from django.templatetags.static import static
from django.test import Client
url = static("build/bootstrap.rtl.css")
response = Client().get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip, br")
print(json.dumps({"url": url, "status": response.status_code, **dict(response.headers)}))
"""


def test_static_files_are_fingerprinted_compressed_and_cached_for_a_year(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # production settings, static root in KEHILA_VAR_DIR
        "KEHILA_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2" * 10,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(  # noqa: S603 - our own probe script
        [sys.executable, "-c", STATIC_PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    assert re.fullmatch(
        r"/static/build/bootstrap\.rtl\.[0-9a-f]{12}\.css", headers["url"]
    )  # hashed
    assert "immutable" in headers["Cache-Control"]
    max_age = int(headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert headers["Content-Encoding"] in ("br", "gzip")
