"""Say where `scripts/run` serves: the address to open, and for phones on the office network
the machine's own addresses when HOST lets them in (0.0.0.0, ::, or this machine's address).

Usage: python scripts/addresses.py HOST PORT (standard library only: it runs before and
without the app).
"""

import ipaddress
import socket
import subprocess
import sys

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
EVERYWHERE = {"0.0.0.0", "::", ""}  # noqa: S104 -- these name the choice, bind nothing


def own_addresses() -> list[str]:
    """Return this machine's IPv4 addresses on its networks (not loopback)."""
    try:
        found = subprocess.run(["hostname", "-I"], capture_output=True, text=True,  # noqa: S607
                               timeout=5, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        found = []
    if not found:  # no `hostname -I`: the address a route to a private network would use
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("10.255.255.255", 1))  # UDP: nothing is sent
                found = [probe.getsockname()[0]]
            except OSError:
                found = []
    return [a for a in found if ":" not in a and not ipaddress.ip_address(a).is_loopback]


def announce(host: str, port: str) -> list[str]:
    """Return the lines `scripts/run` prints about where the board can be opened."""
    if host in LOOPBACK:
        return [f"Bảng tin is serving on http://{host}:{port}  (Ctrl+C stops it)",
                "Only this computer can open it; HOST=0.0.0.0 scripts/run lets the phones "
                "and PCs of the office network in (see the README first)."]
    addresses = own_addresses() if host in EVERYWHERE else [host]
    lines = [f"Bảng tin is serving on http://{host or '0.0.0.0'}:{port}  (Ctrl+C stops it)"]  # noqa: S104
    if addresses:
        lines.append("Phones and PCs of the office network open:")
        lines += [f"    http://{address}:{port}" for address in addresses]
    else:
        lines.append("No network address found: is this computer on the office network?")
    lines.append("Serving beyond this computer: set BASE_URL and TRUSTED_HOSTS (README, "
                 "“Opening it to the office network”).")
    return lines


if __name__ == "__main__":
    print("\n".join(announce(sys.argv[1], sys.argv[2])))  # noqa: T201
