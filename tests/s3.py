"""An S3-compatible server for tests: moto's, started on a free port of 127.0.0.1 (no network, no
Docker), and a fresh private bucket per test with the settings KEHILA_STORAGE=s3 would produce."""

import socket
import uuid

import pytest

from kehila.settings import s3_storage

ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the settings KEHILA_STORAGE=s3 produces, pointing at it."""
    import boto3

    name = f"kehila-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket_name=name,
            endpoint_url=s3_endpoint,
            region_name=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            addressing_style="path",
        ),
    }

    def keys() -> list[str]:
        listing = client.list_objects_v2(Bucket=name)
        return sorted(o["Key"] for o in listing.get("Contents", []))

    return keys
