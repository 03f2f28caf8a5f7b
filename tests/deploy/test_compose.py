"""The compose topology hangs together: two gateway replicas behind the load balancer, every
service they need, and every file it mounts. (`docker compose config` validates the syntax.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

DOCKER = Path(__file__).parents[2] / "docker"


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    return document


def test_two_gateways_behind_the_load_balancer() -> None:
    services = compose()["services"]
    gateways = [name for name in services if name.startswith("gateway-")]
    assert len(gateways) == 2
    upstream = set(re.findall(r"server (\S+):8000;", (DOCKER / "nginx.conf").read_text()))
    assert upstream == set(gateways)
    assert set(services["lb"]["depends_on"]) == set(gateways)


def test_every_dependency_and_mounted_file_exists() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "simulators", "oidc", "migrate", "lb"} <= services.keys()
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on unknown {needed}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (DOCKER / source).is_file(), f"{name} mounts missing {source}"


def test_replicas_share_redis_and_the_database() -> None:
    services = compose()["services"]
    env = [services[g]["environment"] for g in ("gateway-1", "gateway-2")]
    assert env[0]["AREAGRAPH_REDIS_URL"] == env[1]["AREAGRAPH_REDIS_URL"] == "redis://redis:6379/0"
    assert env[0]["AREAGRAPH_DATABASE_URL"] == env[1]["AREAGRAPH_DATABASE_URL"]
    assert env[0]["AREAGRAPH_DATABASE_URL"].startswith("postgresql://")


def test_the_image_runs_as_a_user_and_migrates_on_start() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\S+", dockerfile, re.MULTILINE)
    final_stage = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)[-1]
    assert final_stage.endswith("-slim")
    entrypoint = (DOCKER / "entrypoint.sh").read_text()
    assert "areagraph migrate" in entrypoint
    assert "graphiql fetch" in dockerfile  # GraphiQL's files come from npm at build time


def test_the_gateways_trust_forwarded_headers_from_the_load_balancer_only() -> None:
    import ipaddress

    document = compose()
    services = document["services"]
    lb_address = services["lb"]["networks"]["default"]["ipv4_address"]
    subnet = document["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(lb_address) in ipaddress.ip_network(subnet)
    for name in ("gateway-1", "gateway-2"):
        env = services[name]["environment"]
        assert env["AREAGRAPH_TRUSTED_PROXIES"] == lb_address
        assert "FORWARDED_ALLOW_IPS" not in env
    nginx = (DOCKER / "nginx.conf").read_text()
    # nginx replaces what the client sent, so no one picks their own address.
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", nginx)
