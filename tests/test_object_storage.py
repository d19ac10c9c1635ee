"""Uploaded files in S3-compatible storage: private objects and signed, expiring URLs only.

No bucket is reachable from the test machine, so these tests stop at what can be checked offline:
the settings build django-storages' S3 backend with the private defaults, and a URL it makes is
signed (boto3 signs locally, without a request).
"""

from __future__ import annotations

import json

from tests.instances import clean_env, python

SHOW_STORAGE = """
import json
from django.core.files.storage import storages
s = storages["default"]
url = s.url("private/requests/1/abc.pdf")
print(json.dumps({
    "class": f"{type(s).__module__}.{type(s).__name__}",
    "bucket": s.bucket_name,
    "endpoint": s.endpoint_url,
    "acl": s.default_acl,
    "querystring_auth": s.querystring_auth,
    "expire": s.querystring_expire,
    "overwrite": s.file_overwrite,
    "location": s.location,
    "signature": s.signature_version,
    "url": url,
}))
"""


def test_a_bucket_setting_switches_media_to_private_s3_storage():
    env = clean_env(
        AWS_STORAGE_BUCKET_NAME="esa-chachoengsao1-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.go.th",
        AWS_S3_REGION_NAME="ap-southeast-1",
        AWS_LOCATION="media",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE00",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret-key-used-only-for-signing",
    )
    result = python(env, SHOW_STORAGE)
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["class"] == "storages.backends.s3.S3Storage"
    assert storage["bucket"] == "esa-chachoengsao1-media"
    assert storage["endpoint"] == "https://s3.example.go.th"
    assert storage["acl"] == "private"
    assert storage["querystring_auth"] is True
    assert storage["expire"] == 300
    assert storage["overwrite"] is False
    assert storage["location"] == "media"
    assert storage["signature"] == "s3v4"
    # Every address handed out is signed and expires: nothing is public by its URL alone.
    assert storage["url"].startswith("https://s3.example.go.th/esa-chachoengsao1-media/media/")
    assert "X-Amz-Signature=" in storage["url"]
    assert "X-Amz-Expires=300" in storage["url"]


def test_without_a_bucket_media_stay_on_disk(tmp_path):
    result = python(
        clean_env(MEDIA_ROOT=str(tmp_path / "media")),
        "from django.core.files.storage import default_storage, FileSystemStorage\n"
        "assert isinstance(default_storage, FileSystemStorage)\n"
        "print(default_storage.__class__.__name__, default_storage.location)\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", str(tmp_path / "media")]
