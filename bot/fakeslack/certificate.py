"""A certificate for the stand-in to speak HTTPS with, made for one run, and a certificate bundle that trusts it.

A client checks the stand-in's certificate as it would Slack's: a default TLS context reads the bundle `SSL_CERT_FILE`
names, so a copy of the system's bundle with this one certificate added is trusted by every client a process builds,
without changing how it builds them (an older source tree's clients included).
"""

import datetime
import ipaddress
import ssl
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


class Certificate(NamedTuple):
    """PEM files: the certificate and its private key."""

    cert: Path
    key: Path


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day, with an RSA 2048 key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    hosts = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(hosts), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    files = Certificate(folder / "cert.pem", folder / "key.pem")
    files.cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    files.key.write_bytes(private)
    return files


def trusting(folder: Path, certificate: Certificate) -> Path:
    """A copy of the system's certificate bundle with `certificate` added: point `SSL_CERT_FILE` at it."""
    system = Path(ssl.get_default_verify_paths().cafile or SYSTEM_BUNDLE)
    bundle = folder / "bundle.pem"
    bundle.write_text(system.read_text() + certificate.cert.read_text())
    return bundle


def server_context(certificate: Certificate) -> ssl.SSLContext:
    """The server's side of TLS, with the certificate and its key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    return context
