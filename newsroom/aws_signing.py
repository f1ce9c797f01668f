"""AWS Signature Version 4 for one request, for the CloudFront purger (newsroom.cdn).

boto3 is installed for object storage, but a purge is one small POST that must time out in
seconds whatever boto3's retry settings are; signing it by hand keeps it a plain urllib call.
"""

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import urlsplit


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign_v4(
    *,
    method: str,
    url: str,
    body: bytes,
    headers: dict,
    service: str,
    region: str,
    access_key: str,
    secret_key: str,
    session_token: str = "",
    now: datetime | None = None,
) -> dict:
    """The headers to send: those given plus Host, X-Amz-Date and Authorization."""
    now = now or datetime.now(UTC)
    stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    parts = urlsplit(url)
    signed = {k.lower(): v.strip() for k, v in headers.items()}
    signed |= {"host": parts.netloc, "x-amz-date": stamp}
    if session_token:
        signed["x-amz-security-token"] = session_token
    names = ";".join(sorted(signed))
    canonical = "\n".join(
        [
            method,
            parts.path or "/",
            parts.query,
            "".join(f"{name}:{signed[name]}\n" for name in sorted(signed)),
            names,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(f"AWS4{secret_key}".encode(), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={names}, Signature={signature}"
    )
    sent = {name: value for name, value in signed.items() if name != "host"}
    return sent | {"authorization": authorization}
