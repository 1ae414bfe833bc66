"""settings.STORAGES["default"] for an S3-compatible object store (AWS, MinIO, a government
cloud), in one place for settings.py and for the tests that run against a real S3 server."""

from __future__ import annotations

# A download is buffered in memory up to this size, in a temporary file beyond it.
MAX_MEMORY_BYTES = 2 * 1024 * 1024


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    addressing_style: str | None = None,
    default_acl: str | None = None,
    url_expire_seconds: int = 60,
    credentials: tuple[str, str] | None = None,
) -> dict:
    """Return the storage definition for django-storages' S3 backend.

    Without `credentials`, boto3 finds them itself (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    in the environment, or a machine role), so no secret needs to sit in the settings.
    """
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        # MinIO and most on-premises stores answer at host/bucket rather than bucket.host.
        "addressing_style": addressing_style or ("path" if endpoint_url else None),
        "signature_version": "s3v4",
        # Objects stay private by the bucket's own policy. Buckets with ACLs disabled (the AWS
        # default) refuse any ACL but the owner's, so none is sent unless asked for.
        "default_acl": default_acl or None,
        # Files are streamed through views that check access; should anything ask for a URL,
        # it gets a signed one that expires within seconds, never a public one.
        "querystring_auth": True,
        "querystring_expire": url_expire_seconds,
        # Never replace an existing object, as on disk.
        "file_overwrite": False,
        "max_memory_size": MAX_MEMORY_BYTES,
    }
    if credentials:
        options["access_key"], options["secret_key"] = credentials
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
