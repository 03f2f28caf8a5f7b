"""The JWS algorithms areagraph can ever accept: asymmetric ones only (read by the settings
and by token verification)."""

from __future__ import annotations

# No "none", and no HS*: with an HMAC algorithm a token "signed" with our public key would verify.
ASYMMETRIC_ALGORITHMS = frozenset({
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
})
