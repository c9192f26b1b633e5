#!/usr/bin/env python3
"""Generate the emulator's test certificates (run once; the PEM files are committed).

    python scripts/make_test_certs.py

Writes ``infomaniak/testing/certs/``: a test CA, a server certificate signed by
it (the emulated Kubernetes API servers and database hosts, ``localhost`` and
127.0.0.1) and a client certificate (the clusters' ``kubernetes-admin``),
each with its key. They are test material, public by design: the emulator
serves them so that kubectl, ``kubernetes``, ``kubernetes_asyncio`` and MySQL
drivers can load its kubeconfigs and CAs as they would real ones. Valid from
2020 to 2120, so that they never need regenerating.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = Path(__file__).resolve().parent.parent / "infomaniak" / "testing" / "certs"
NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2120, 1, 1, tzinfo=dt.UTC)
# The host names the emulator hands out: {cluster}.{region}.kaas.example and
# {service}.{region}.example.infomaniak.cloud.
REGIONS = ("dc3-a", "dc4-a")
SERVER_NAMES = [
    "localhost",
    *(f"*.{region}.kaas.example" for region in REGIONS),
    *(f"*.{region}.example.infomaniak.cloud" for region in REGIONS),
]


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    parts = []
    if organization is not None:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca_name = _name("infomaniak emulator test CA", "infomaniak.testing")
    ca = (
        _builder(ca_name, ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    authority = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())

    def leaf(
        subject: x509.Name, usage: x509.ObjectIdentifier, san: x509.SubjectAlternativeName | None
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = _key()
        builder = (
            _builder(subject, ca_name, key)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(authority, critical=False)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if san is not None:
            builder = builder.add_extension(san, critical=False)
        return builder.sign(ca_key, hashes.SHA256()), key

    server, server_key = leaf(
        _name("infomaniak emulator server"),
        ExtendedKeyUsageOID.SERVER_AUTH,
        x509.SubjectAlternativeName(
            [x509.DNSName(name) for name in SERVER_NAMES]
            + [
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1")),
            ]
        ),
    )
    client, client_key = leaf(
        _name("kubernetes-admin", "system:masters"), ExtendedKeyUsageOID.CLIENT_AUTH, None
    )
    files = {
        "ca.pem": ca.public_bytes(serialization.Encoding.PEM),
        "server.pem": server.public_bytes(serialization.Encoding.PEM),
        "server-key.pem": _pem_key(server_key),
        "client.pem": client.public_bytes(serialization.Encoding.PEM),
        "client-key.pem": _pem_key(client_key),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
