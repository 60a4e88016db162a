"""HTTPS served directly by ``windowdesk-server serve --certfile --keyfile`` (a small hall
without a reverse proxy), and the client side of it: verification stays on, and the hall's
own certificate is trusted through a CA bundle, never by turning verification off."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support.server import ROOT, Api, ServerProcess


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and localhost) and its key, as PEM files.

    It is its own CA (basicConstraints CA:TRUE), so the certificate file itself is the CA
    bundle a client trusts — as a hall's private CA would be."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "一窗协同测试大厅")])
    now = datetime.now(UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "hall-cert.pem", directory / "hall-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A demo server speaking HTTPS only, and the certificate that verifies it."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = self_signed_certificate(directory)
    process = ServerProcess(directory / "data", extra=("--certfile", str(cert),
                                                       "--keyfile", str(key)),
                            scheme="https", verify=str(cert)).start()
    yield process, cert
    process.stop()


def test_health_over_https_verifies_against_the_halls_certificate(tls):
    server, cert = tls
    assert server.url.startswith("https://127.0.0.1:")
    response = requests.get(f"{server.url}/api/v1/health", verify=str(cert), timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert datetime.fromisoformat(body["server_time"]).tzinfo is not None
    assert f"https://127.0.0.1:{server.port}" in server.log()  # the start line says https


def test_without_the_halls_ca_verification_fails(tls):
    server, _ = tls
    # the default trust store (certifi) does not know the hall's certificate: refused
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{server.url}/api/v1/health", timeout=10)
    with pytest.raises(requests.exceptions.SSLError):
        Api(server.url).get("/api/v1/health", timeout=10)


def test_plain_http_to_the_https_port_gets_no_answer(tls):
    server, _ = tls
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{server.port}/api/v1/health", timeout=10)


def test_login_and_an_authenticated_call_over_https(tls):
    server, cert = tls
    api = Api(server.url, verify=str(cert)).login("bdc01")
    assert api.user is not None and api.user["username"] == "bdc01"
    me = api.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["user"]["department"] == "bdc"
    page = api.pull()
    assert page["cursor"] and any(c["entity"] == "department" for c in page["changes"])


@pytest.mark.parametrize("given", [("--certfile", "hall-cert.pem"),
                                   ("--keyfile", "hall-key.pem")])
def test_a_certificate_without_its_key_is_a_clear_error(tmp_path, given):
    option, name = given
    done = subprocess.run([sys.executable, "-m", "server.cli", "serve", option,
                           str(tmp_path / name), "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "--certfile 和 --keyfile 需要同时提供" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # refused before touching any database
