"""A throw-away Apache httpd (Debian's apache2) for tests: its own config in a temporary folder, listening on free
loopback ports only, one virtual host per folder served, ``.htaccess`` files honoured. Never the system service.

Started as root (as in CI), httpd hands its workers to ``www-data``, so the folders it serves must be readable by
that user: make them with :func:`readable_folder`, not under pytest's private ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .tools import skip_or_fail

MODULES = Path("/usr/lib/apache2/modules")
# What the rules need: rewriting, media types, headers, directory indexes, and access control to allow anything.
LOAD = ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers")


def httpd_binary() -> str:
    """The path of Debian's httpd, or a skip (a failure in CI) naming the package."""
    found = shutil.which("apache2") or (("/usr/sbin/apache2") if Path("/usr/sbin/apache2").exists() else None)
    if found is None or not all((MODULES / f"mod_{m}.so").exists() for m in LOAD):
        skip_or_fail("apache2 not found (install Debian's apache2 with scripts/install-system-deps.sh)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readable_folder(prefix: str) -> Path:
    """A new folder under the system's temporary folder that httpd's workers can read; remove it when done."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


@dataclass
class Httpd:
    process: subprocess.Popen
    run_dir: Path

    def error_log(self) -> str:
        log = self.run_dir / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.run_dir, ignore_errors=True)


def start(hosts: dict[int, Path]) -> Httpd:
    """httpd serving each folder of ``hosts`` on 127.0.0.1 at its port, with AllowOverride All."""
    binary = httpd_binary()
    run_dir = Path(tempfile.mkdtemp(prefix="j20-httpd-run-"))
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    vhosts = "".join(f"""
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    DocumentRoot "{folder}"
    <Directory "{folder}">
        AllowOverride All
        Require all granted
    </Directory>
</VirtualHost>
""" for port, folder in hosts.items())
    modules = "".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so\n" for m in LOAD)
    config = f"""ServerRoot "{run_dir}"
ServerName 127.0.0.1
PidFile "{run_dir}/httpd.pid"
DefaultRuntimeDir "{run_dir}"
Mutex file:{run_dir} default
ErrorLog "{run_dir}/error.log"
LogLevel warn
{modules}{user}StartServers 1
ServerLimit 1
ThreadLimit 8
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8
TypesConfig /etc/mime.types
DirectoryIndex index.html
<Directory />
    AllowOverride None
    Require all denied
</Directory>
{vhosts}"""
    (run_dir / "httpd.conf").write_text(config)
    process = subprocess.Popen([binary, "-f", str(run_dir / "httpd.conf"), "-DFOREGROUND"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = Httpd(process, run_dir)
    deadline = time.monotonic() + 30
    for port in hosts:
        while True:
            if process.poll() is not None:
                message = process.stderr.read() + server.error_log()
                server.stop()
                raise RuntimeError(f"httpd exited with {process.returncode}: {message}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    server.stop()
                    raise RuntimeError(f"httpd did not listen on 127.0.0.1:{port}: {server.error_log()}")
                time.sleep(0.1)
    return server
