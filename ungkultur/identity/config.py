"""ID-porten and Feide from the environment (issue 19); imported by settings, so no models here.

A provider shows on the login page only when all three of its variables are set:
UNGKULTUR_OIDC_<NAME>_ISSUER, _CLIENT_ID and _CLIENT_SECRET, NAME being IDPORTEN or FEIDE.
"""

from urllib.parse import urlsplit

PROVIDERS = {"idporten": "ID-porten", "feide": "Feide"}


def oidc_apps(environ) -> list[dict]:
    apps = []
    for provider_id, name in PROVIDERS.items():
        prefix = f"UNGKULTUR_OIDC_{provider_id.upper()}_"
        issuer = environ.get(prefix + "ISSUER", "").strip()
        client_id = environ.get(prefix + "CLIENT_ID", "").strip()
        secret = environ.get(prefix + "CLIENT_SECRET", "").strip()
        if not (issuer and client_id and secret):
            continue
        apps.append(
            {
                "provider_id": provider_id,
                "name": name,
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    "server_url": issuer,
                    # Only what we use: no address, no phone, no national identity number scope.
                    "scope": ["openid", "profile", "email"],
                    "oauth_pkce_enabled": True,
                },
            }
        )
    return apps


def issuer_origins(apps) -> list[str]:
    """The issuers' origins, for the CSP's form-action (the login form redirects there)."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
