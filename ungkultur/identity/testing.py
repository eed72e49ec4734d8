"""A local OpenID Connect issuer for tests: oidc-provider-mock on a free loopback port."""

import threading
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx


@contextmanager
def local_issuer():
    import oidc_provider_mock
    import werkzeug.serving

    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(require_nonce=False), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def set_person(issuer: str, sub: str, claims: dict) -> None:
    httpx.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()


def oidc_settings(issuer: str, provider_id: str = "idporten", name: str = "ID-porten") -> dict:
    from ungkultur.identity.config import oidc_apps

    environ = {
        f"UNGKULTUR_OIDC_{provider_id.upper()}_ISSUER": issuer,
        f"UNGKULTUR_OIDC_{provider_id.upper()}_CLIENT_ID": "ungkultur-test",
        f"UNGKULTUR_OIDC_{provider_id.upper()}_CLIENT_SECRET": "hemmelig",
    }
    return {
        "openid_connect": {
            "APPS": oidc_apps(environ),
            "provider_class": "ungkultur.identity.oidc.HashedSubjectProvider",
        }
    }


def authorize(url: str, sub: str | None, *, deny: bool = False) -> str:
    """Answer the issuer's login page as the person ``sub`` would; the URL it sends back."""
    data = {"action": "deny"} if deny else {"sub": sub}
    response = httpx.post(url, data=data, timeout=5)
    assert response.status_code in (302, 303), response.text
    return response.headers["location"]


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
