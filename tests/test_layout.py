"""Where things live: the rules of docs/architecture.md that a grep can hold.

Servers in tests bind ports the system gives; site administration is not in `auth`; a
worker's start does not seed, analyse or sweep by itself.
"""

import re
from pathlib import Path

from bulletin import create_app
from tests.conftest import BASE_CONFIG

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
# A port written as a number where a server is bound or reached: host:number, a bind to
# (host, number), a PORTS constant holding numbers or a range of them, `--bind host:number`,
# `port=number`, a port range read from the environment with a numeric default.
FIXED_PORT = re.compile(
    r"""(?:127\.0\.0\.1|localhost|0\.0\.0\.0)["']?\s*[:,]\s*[1-9]\d{3,4}\b"""
    r"""|\bPORTS?\b.*\b[1-9]\d{3,4}\b|_PORT\w*["']\s*,\s*["'][1-9]\d{3,4}"""
    r"""|\bport\s*=\s*[1-9]\d{3,4}\b""")
# The services the suite talks to (PostgreSQL, Redis) have their standard addresses.
SERVICES = re.compile(r"127\.0\.0\.1:(5432|6379)\b")


def test_no_test_binds_or_probes_a_fixed_port():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "test_layout.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FIXED_PORT.search(SERVICES.sub("", line)):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "bind port 0 (tests/servers.py) instead:\n" + "\n".join(found)


def test_the_fixed_port_check_catches_the_old_ways():
    # The old tests' lines, their numbers put together here so this file names none itself.
    a, b, c = 5000 + 311, 5000 + 100, 5000 + 290
    for line in (f'PORTS = {{"sqlite": {a}, "postgresql": {a + 1}}}',
                 f"server = make_server('127.0.0.1', {b}, app)",
                 f"PORTS = range({b}, {b + 100})  # this branch's share of the machine's ports",
                 f'PORTS = range(int(os.environ.get("SCALE_OUT_PORT_FROM", "{c}")), {2 ** 16})',
                 f'"--bind", "127.0.0.1:{a}", "app:app"'):
        assert FIXED_PORT.search(line), line
    service = f"redis://127.0.0.1:{6000 + 379}/0"  # a service's address is not a bound port
    assert not FIXED_PORT.search(SERVICES.sub("", service))


def test_site_administration_lives_outside_auth():
    auth = ROOT / "bulletin" / "auth"
    routes = [line for path in auth.glob("*.py")
              for line in path.read_text(encoding="utf-8").splitlines()
              if re.search(r"""route\(\s*["']/(admin/(organizations|categories|site|backups)"""
                           r"""|site/)""", line)]
    assert routes == []
    names = {path.stem for path in auth.glob("*.py")}
    assert not names & {"site_admin", "organizations_admin", "categories_admin",
                        "backups_admin"}
    app = create_app({**BASE_CONFIG, "DATABASE_URL": "sqlite://", "AUTO_MIGRATE": False})
    endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    for url in ("/admin/organizations/new", "/admin/categories/", "/admin/site",
                "/admin/backups"):
        matching = [endpoint for rule, endpoint in endpoints.items() if rule.startswith(url)]
        assert matching and all(e.startswith("admin.") for e in matching), (url, matching)
