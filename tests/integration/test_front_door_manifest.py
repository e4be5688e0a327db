"""The Kubernetes front door's nginx configuration (ops/deploy/k8s/front-door.yaml), checked by
Debian's nginx (`nginx -t`) with the cluster's names and paths replaced by local ones."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MOUNTED = "/etc/nginx/front-door/"
# `server … resolve` in upstreams needs nginx 1.27.3 (the image has 1.28); older ones lack it.
RESOLVE_SINCE = (1, 27, 3)


def front_door_files() -> dict[str, str]:
    documents = yaml.safe_load_all((ROOT / "ops/deploy/k8s/front-door.yaml").read_text())
    return next(d for d in documents if d["kind"] == "ConfigMap")["data"]


def nginx_test(folder: Path, files: dict[str, str]) -> subprocess.CompletedProcess:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is not installed: run `make system-test`"
    version = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)",
                        subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr)
    tls = folder / "tls"
    tls.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(tls / "tls.key"), "-out", str(tls / "tls.crt"),
                    "-subj", "/CN=chat.example.gov"], check=True, capture_output=True)
    for name, text in files.items():
        text = text.replace("/tmp/", "@state/").replace(MOUNTED, "@state/")
        text = text.replace("/etc/nginx/tls/", f"{tls}/").replace("@state/", f"{folder}/")
        text = re.sub(r"[\w.-]+\.svc\.cluster\.local", "127.0.0.1", text)
        if tuple(map(int, version.groups())) < RESOLVE_SINCE:
            text = text.replace(" resolve ", " ").replace(" resolve;", ";")
        (folder / name).write_text(text)
    return subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"),
                           "-e", "stderr"], capture_output=True, text=True)


def test_the_front_door_configuration_passes_nginx_t(tmp_path):
    files = front_door_files()
    assert "include " + MOUNTED + "security-headers.conf" in files["nginx.conf"]
    result = nginx_test(tmp_path, files)
    assert result.returncode == 0, result.stderr


def test_nginx_t_rejects_a_broken_front_door(tmp_path):
    files = front_door_files()
    files["nginx.conf"] = files["nginx.conf"].replace("zone=messages burst", "zone=mesages burst")
    result = nginx_test(tmp_path, files)
    assert result.returncode != 0 and "mesages" in result.stderr
