#!/usr/bin/env python3
"""`cds publish ftp://…` against a real FTP server (pyftpdlib) on 127.0.0.1.

    python3 tests/e2e/publish_ftp.py CDS_BINARY SITE_ROOT

Each case runs the binary against a fresh server folder and checks the files there against
the site's `public/` byte for byte:
- plain FTP: everything sent, said to be unencrypted; a second publish sends nothing; one
  article changed sends that page and the lists that show it, not the rest;
- explicit TLS with a certificate of our own CA (CDS_FTP_CA): said to be encrypted;
- `ftps://` to a server without TLS, and TLS with an unknown certificate: refused, nothing
  written, never a fallback to the clear;
- a connection cut in the middle of a transfer: cds opens it again and finishes;
- a server that goes away midway: cds stops, the old site whole, and the next publish sends
  only what had not landed;
- a wrong password: refused, said in Vietnamese, the password never printed.
"""

import datetime
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import ThreadedFTPServer

USER, PASSWORD = "bbt", "mat-khau-thu"
logging.basicConfig(level=logging.WARNING)
logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
CDS, SITE = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="cds-ftp-")


def certificates():
    """A CA and a server certificate for 127.0.0.1 signed by it (a self-signed leaf is not
    accepted by rustls as an end-entity)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thử của cds")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    ca_pem = os.path.join(WORK, "ca.pem")
    with open(ca_pem, "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    server_pem = os.path.join(WORK, "server.pem")
    with open(server_pem, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption()))
        f.write(leaf.public_bytes(serialization.Encoding.PEM))
    return ca_pem, server_pem


class Server:
    """A pyftpdlib server in a thread, serving a fresh folder, counting uploads; `cut_at`
    drops the control connection when that upload (1-based) starts, once or for good."""

    def __init__(self, tls_pem=None, cut_at=None, cut_for_good=False, refuse_tls_after_first=False):
        self.home = tempfile.mkdtemp(dir=WORK)
        os.makedirs(os.path.join(self.home, "web"))
        self.stores = []
        self.cut_at, self.cut_for_good, self.cut = cut_at, cut_for_good, False
        self.refuse_tls_after_first, self.auths, self.logins_in_clear = refuse_tls_after_first, 0, 0
        authorizer = DummyAuthorizer()
        authorizer.add_user(USER, PASSWORD, self.home, perm="elradfmwMT")
        base = TLS_FTPHandler if tls_pem else FTPHandler
        server = self

        class Handler(base):
            def ftp_STOR(self, file, mode="w"):
                server.stores.append(os.path.relpath(file, server.home))
                n = len(server.stores)
                if server.cut_at and (n == server.cut_at or (server.cut_for_good and n > server.cut_at)):
                    server.cut = True
                    self.close()
                    return None
                return super().ftp_STOR(file, mode)

            def ftp_USER(self, line):
                if server.cut and server.cut_for_good:
                    self.close()
                    return None
                if tls_pem and not getattr(self, "_ssl_established", False):
                    server.logins_in_clear += 1
                return super().ftp_USER(line)

            def ftp_AUTH(self, line):
                server.auths += 1
                if server.refuse_tls_after_first and server.auths > 1:
                    self.respond("502 TLS is not offered any more.")
                    return None
                return super().ftp_AUTH(line)

        Handler.authorizer = authorizer
        Handler.passive_ports = None
        if tls_pem:
            Handler.certfile = tls_pem
            # Required, unless the case is a server that stops offering it.
            Handler.tls_control_required = not refuse_tls_after_first
            Handler.tls_data_required = not refuse_tls_after_first
        # An IO loop and a stop flag of its own: pyftpdlib shares both between servers, and
        # closing one stopped the next.
        self.server = ThreadedFTPServer(("127.0.0.1", 0), Handler, ioloop=IOLoop())
        self.server._exit = threading.Event()
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"timeout": 0.1},
                                       daemon=True)
        self.thread.start()

    def url(self, scheme="ftp"):
        return f"{scheme}://{USER}@127.0.0.1:{self.port}/web"

    def close(self):
        self.server.close_all()


def publish(url, password=PASSWORD, ca=None):
    env = dict(os.environ, CDS_FTP_PASSWORD=password)
    env.pop("CDS_FTP_CA", None)
    if ca:
        env["CDS_FTP_CA"] = ca
    out = subprocess.run([CDS, "publish", url, "--root", SITE], env=env, capture_output=True,
                         timeout=120)
    return out.returncode, out.stdout.decode("utf-8") + out.stderr.decode("utf-8")


def tree(root, skip=()):
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/")
            if rel not in skip:
                with open(os.path.join(d, n), "rb") as f:
                    files[rel] = f.read()
    return files


def same_as_built(server):
    built = tree(os.path.join(SITE, "public"), skip={".cds-build"})
    there = tree(os.path.join(server.home, "web"), skip={".cds-publish.tsv"})
    assert there.keys() == built.keys(), sorted(set(there) ^ set(built))[:10]
    assert there == built, "bytes differ"
    return len(built)


def _final(stored):
    """The path a temporary upload (`dir/.name.cds-tmp`) becomes."""
    d, _, name = stored.rpartition("/")
    name = name.removeprefix(".").removesuffix(".cds-tmp")
    return f"{d}/{name}" if d else name


def expect(ok, text, *needles):
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"
    assert PASSWORD not in text, "the password was printed"
    assert ok, text


def main():
    ca_pem, server_pem = certificates()
    passed = []

    s = Server()
    code, text = publish(s.url())
    expect(code == 0, text, "Đã đăng vào ftp://bbt@127.0.0.1", "không mã hóa")
    files = same_as_built(s)
    sent = len(s.stores)
    code, text = publish(s.url())
    expect(code == 0, text, "không có gì để đăng")
    assert len(s.stores) == sent, s.stores[sent:]
    article = os.path.join(SITE, "content", "tin-tuc", "ra-mat-to-cong-nghe-so-cong-dong", "index.md")
    with open(article, "a", encoding="utf-8") as f:
        f.write("\nMột câu thêm để thử đăng lại.\n")
    before = len(s.stores)
    code, text = publish(s.url())
    expect(code == 0, text, "thay")
    again = [p for p in s.stores[before:] if ".cds-publish" not in p]
    assert 0 < len(again) < files / 4, again
    assert any("ra-mat-to-cong-nghe-so-cong-dong" in p for p in again), again
    same_as_built(s)
    # A file put there by hand where the next publish would add a page, and a folder of
    # another person at the top: the publish stops, nothing is written over.
    new_page = os.path.join(SITE, "content", "tin-tuc", "bai-moi-thu-dang.md")
    with open(new_page, "w", encoding="utf-8") as f:
        f.write("---\ntitle: Bài mới thử đăng\ndate: 2026-11-30\n---\nNội dung.\n")
    hand = os.path.join(s.home, "web", "tin-tuc", "bai-moi-thu-dang", "index.html")
    os.makedirs(os.path.dirname(hand))
    with open(hand, "w", encoding="utf-8") as f:
        f.write("của người khác")
    before = len(s.stores)
    code, text = publish(s.url())
    expect(code == 1, text, "không do cds đăng", "tin-tuc/bai-moi-thu-dang/index.html")
    assert open(hand, encoding="utf-8").read() == "của người khác"
    assert len(s.stores) == before, s.stores[before:]
    os.remove(hand)
    code, text = publish(s.url())
    expect(code == 0, text, "thêm")
    same_as_built(s)
    s.close()
    passed.append(f"plain FTP: {files} files, then nothing, then {len(again)} changed files; "
                  "a file put there by hand is never written over")

    s = Server(tls_pem=server_pem)
    code, text = publish(s.url(), ca=ca_pem)
    expect(code == 0, text, "Kết nối được mã hóa (TLS)")
    same_as_built(s)
    code, text = publish(s.url("ftps"), ca=ca_pem)
    expect(code == 0, text, "không có gì để đăng")
    s.close()
    passed.append("explicit TLS with our CA")

    # TLS at first, then the connection is cut and the server (or a man in the middle)
    # refuses TLS: cds stops rather than log in again in the clear.
    s = Server(tls_pem=server_pem, cut_at=5, refuse_tls_after_first=True)
    code, text = publish(s.url(), ca=ca_pem)
    expect(code == 1, text, "không hỗ trợ mã hóa TLS")
    assert s.logins_in_clear == 0, "a password went in the clear"
    s.close()
    passed.append("a reconnect never falls back from TLS to the clear")

    s = Server(tls_pem=server_pem)
    code, text = publish(s.url())
    expect(code == 1, text, "không tin được chứng chỉ TLS")
    assert tree(os.path.join(s.home, "web")) == {}, "nothing written"
    s.close()
    s = Server()
    code, text = publish(s.url("ftps"))
    expect(code == 1, text, "không hỗ trợ mã hóa TLS")
    assert tree(os.path.join(s.home, "web")) == {}
    s.close()
    passed.append("unknown certificate and ftps:// without TLS refused, nothing written")

    s = Server()
    code, text = publish(s.url(), password="sai")
    expect(code == 1, text, "Không đăng được vào")
    assert "sai" not in text.split("ftp://")[0]
    s.close()
    passed.append("wrong password refused")

    s = Server(cut_at=7)
    code, text = publish(s.url())
    expect(code == 0, text, "Kết nối bị ngắt 1 lần, đã tự nối lại")
    same_as_built(s)
    s.close()
    passed.append("a connection cut midway is opened again")

    # Gone for good after 80 uploads: past the journal's first flush (50 files).
    s = Server(cut_at=80, cut_for_good=True)
    code, text = publish(s.url())
    expect(code == 1, text, "dừng giữa chừng", "chưa xóa tệp nào", "trang cũ vẫn nguyên vẹn")
    assert not os.path.exists(os.path.join(s.home, "web", "index.html")), "home page last"
    # The journal claims every file first (a hash of zeros), then notes each that landed.
    with open(os.path.join(s.home, "web", ".cds-publish.log"), encoding="utf-8") as f:
        last = dict(line.rstrip("\n").split("\t")[0::2] for line in f if line.count("\t") == 2)
    journaled = {path for path, sha in last.items() if sha != "0" * 64}
    assert len(journaled) >= 50, len(journaled)
    s.cut_at, s.cut_for_good, s.cut = None, False, False
    before = len(s.stores)
    code, text = publish(s.url())
    expect(code == 0, text, "Đã đăng vào")
    resent = {_final(p.removeprefix("web/")) for p in s.stores[before:] if ".cds-publish" not in p}
    built = set(tree(os.path.join(SITE, "public"), skip={".cds-build"}))
    assert not resent & journaled, sorted(resent & journaled)[:5]
    assert resent == built - journaled, sorted(resent ^ (built - journaled))[:5]
    same_as_built(s)
    s.close()
    passed.append(f"a server gone after 80 uploads: old site whole; the next publish sent the "
                  f"{len(resent)} files not yet journaled, none of the {len(journaled)} that were")

    for line in passed:
        print("publish over FTP:", line)


try:
    main()
finally:
    shutil.rmtree(WORK, ignore_errors=True)
