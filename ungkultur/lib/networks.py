"""Whether a client address belongs to the networks a setting names (for internal endpoints)."""

import ipaddress
from collections.abc import Iterable


def address_in(address: str, networks: Iterable[str]) -> bool:
    """True when ``address`` lies in one of ``networks`` (CIDR strings); False for garbage."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:127.0.0.1 from a dual-stack socket
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip())
