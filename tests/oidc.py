"""A real OpenID provider for the single sign-on tests: ``oidc-provider-mock`` (Authlib's own authorisation
server, with RS256 keys it publishes), served over HTTP from a thread.

A hook on its token answer can re-sign the ID token with changed claims, with the provider's own key (or with a
key it never published), to show that TeamOps checks the audience, expiry, nonce, issuer and signature itself.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import flask
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

Claims = dict[str, Any]
CLIENT_ID = "teamops"
CLIENT_SECRET = "a-client-secret"


@dataclass
class Provider:
    url: str = ""
    tamper: Callable[[Claims], Claims] | None = None
    foreign_key: bool = False  # sign the ID token with a key the provider never published
    tokens: list[Claims] = field(default_factory=list)  # the claims of every ID token it issued
    key_data: dict[str, Any] = field(default_factory=dict)  # its signing key, seen at its first token answer

    def sign(self, claims: Claims) -> str:
        """A token signed with the provider's own key (a logout token, as the provider would send one)."""
        assert self.key_data, "the provider signs with a key it makes at its first token answer: sign on first"
        return jwt.encode({"alg": "RS256", "kid": self.key_data.get("kid"), "typ": "logout+jwt"}, claims,
                          RSAKey.import_key(self.key_data))

    def user(self, sub: str, **claims: Any) -> None:
        """Sets what the provider says about the person ``sub`` (as an identity team would)."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204

    def settings(self, **extra: Any) -> dict[str, Any]:
        """TeamOps's settings for single sign-on with this provider."""
        return {"oidc_issuer": self.url, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET, **extra}


def claims_of(token: str) -> Claims:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@contextmanager
def running_provider() -> Iterator[Provider]:
    # The provider's own transport check: the tests speak plain http on this machine.
    before = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    import oidc_provider_mock

    app = oidc_provider_mock.app()
    state = Provider()

    @app.after_request
    def rewrite_id_token(response: flask.Response) -> flask.Response:
        if flask.request.path != "/oauth2/token" or response.status_code != 200:
            return response
        body = response.get_json()
        claims = claims_of(body["id_token"])
        state.tokens.append(claims)
        key_data = flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True)
        state.key_data = key_data
        if state.tamper is None and not state.foreign_key:
            return response
        key = RSAKey.generate_key(2048) if state.foreign_key else RSAKey.import_key(key_data)
        claims = state.tamper(claims) if state.tamper else claims
        body["id_token"] = jwt.encode({"alg": "RS256", "kid": key_data.get("kid")}, claims, key)
        response.set_data(json.dumps(body))
        return response

    server = make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://localhost:{server.server_port}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        if before is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = before
