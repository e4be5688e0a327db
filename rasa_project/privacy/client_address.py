"""The client address, for counting failed identity checks per address, kept only as a keyed hash.

The channel (rasa_extensions/web.py) puts the tag in the message metadata, so the address itself
never reaches the conversation record, the action server or Redis. Behind a reverse proxy on this
host, the address is the last X-Forwarded-For entry (the one the proxy appended); from any other
peer the header is ignored, so a client cannot choose its own address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from rasa_project.privacy.keys import purpose_key

CLIENT_METADATA_KEY = "client"


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def client_address(peer: str, forwarded_for: str | None) -> str:
    """The customer's address: the peer, or for a loopback peer (a proxy on this host) the address
    that proxy appended to X-Forwarded-For."""
    if forwarded_for and is_loopback(peer):
        last = forwarded_for.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return peer
    return peer


def client_tag(address: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 under the "client-address" key derived from ASSISTANT_SECRET_KEY."""
    return hmac.new(key or purpose_key("client-address"), address.encode(),
                    hashlib.sha256).hexdigest()[:32]
