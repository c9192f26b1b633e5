"""The emulator's test certificates: a CA, a server and a client certificate.

Made once by ``scripts/make_test_certs.py`` and shipped as PEM files in
``infomaniak/testing/certs/``. They are public test material (the keys are in
this package for everyone to read): never trust the CA outside tests.

The emulator serves them where the API serves certificates: the kubeconfig's
``certificate-authority-data``, ``client-certificate-data`` and
``client-key-data``, and a database service's ``connection.ca``. The server
certificate names ``localhost``, 127.0.0.1, ``::1`` and the emulated hosts
(``*.dc3-a.kaas.example``, ``*.dc4-a.example.infomaniak.cloud``...), so a test
can serve TLS that the served CA validates.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["CA_PEM", "CLIENT_CERT_PEM", "CLIENT_KEY_PEM", "SERVER_CERT_PEM", "SERVER_KEY_PEM"]


def _read(name: str) -> str:
    return resources.files("infomaniak.testing").joinpath("certs", name).read_text(encoding="ascii")


CA_PEM = _read("ca.pem")
"""The test CA's certificate (PEM)."""
SERVER_CERT_PEM = _read("server.pem")
"""The server certificate signed by the test CA (PEM)."""
SERVER_KEY_PEM = _read("server-key.pem")
"""The server certificate's private key (PKCS#8 PEM)."""
CLIENT_CERT_PEM = _read("client.pem")
"""The client certificate (``CN=kubernetes-admin``, ``O=system:masters``) signed by the test CA."""
CLIENT_KEY_PEM = _read("client-key.pem")
"""The client certificate's private key (PKCS#8 PEM)."""
