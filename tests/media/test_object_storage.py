"""Uploads on S3-compatible object storage, against a real S3 server (moto's server mode,
started on 127.0.0.1 by this test), not a stand-in for the storage class."""

import json
import mimetypes
import socket
import urllib.error
import urllib.request

import boto3
import pytest
from django.test import override_settings
from moto.server import ThreadedMotoServer

from articles.models import Status
from media.renditions import build_renditions
from tests.factories import make_article
from tests.images import jpeg_with_gps, make_image

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    for bucket in ("newsroom-media", "newsroom-private"):
        client.create_bucket(Bucket=bucket)
    # As in production (docs/images.md): the media bucket is public-read, originals are not.
    client.put_bucket_policy(Bucket="newsroom-media", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::newsroom-media/*"}],
    }))  # fmt: skip
    options = {"endpoint_url": s3_server, "region_name": "us-east-1", "file_overwrite": False}
    storages = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {**options, "bucket_name": "newsroom-media",
                                "querystring_auth": False}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {**options, "bucket_name": "newsroom-private",
                                "location": "private", "querystring_auth": True,
                                "default_acl": "private"}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }  # fmt: skip
    with override_settings(STORAGES=storages):
        yield client
    for bucket in ("newsroom-media", "newsroom-private"):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def keys(client, bucket) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_uploads_and_renditions_are_stored_in_the_bucket(s3, s3_server, client):
    image = make_image(jpeg_with_gps((900, 600)))
    build_renditions(image)
    public = keys(s3, "newsroom-media")
    assert image.file.name in public
    assert sum(key.startswith("renditions/") for key in public) == image.renditions.count() > 0
    assert image.original.name not in public  # the original never goes to the public bucket
    assert [k for k in keys(s3, "newsroom-private") if k.startswith("private/originals/")]

    served = urllib.request.urlopen(image.file.url).read()  # readers fetch it from the bucket
    assert served.startswith(b"\xff\xd8") and b"SpyCam" not in served
    # Each object carries the content type of what it is (the bucket serves it as stored).
    for key in public:
        stored_type = s3.head_object(Bucket="newsroom-media", Key=key)["ContentType"]
        assert stored_type == mimetypes.guess_type(key)[0], key
        assert stored_type.startswith("image/")

    story = make_article(status=Status.PUBLISHED, lead_image=image)
    page = client.get(story.get_absolute_url()).content.decode()
    assert f"{s3_server}/newsroom-media/renditions/" in page


def test_originals_are_only_reachable_through_signed_urls(s3):
    image = make_image(jpeg_with_gps((300, 200)))
    url = image.original.url
    assert "X-Amz-Signature=" in url or "Signature=" in url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url.split("?")[0])  # without the signature: refused
    assert refused.value.code == 403
    image.original.open("rb")
    assert b"SpyCam" in image.original.read()  # kept whole, privately
    image.original.close()
