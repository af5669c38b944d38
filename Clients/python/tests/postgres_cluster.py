"""A throwaway PostgreSQL cluster, for the test where two Optuna workers share one study.

Uses Debian's PostgreSQL (package `postgresql`): `ensure_installed()` installs it with apt-get when it
is missing and we are root, and otherwise says why it cannot (`Unavailable`), so the test can fall
back to SQLite and say so. `Cluster` runs initdb and pg_ctl in a temporary directory (as the
`postgres` user when we are root, since PostgreSQL refuses to run as root), listens only on a Unix
socket inside that directory (no TCP port: nothing to find free and race another process for) with
password authentication, creates one database, and removes everything when stopped.

    python3 Clients/python/tests/postgres_cluster.py install   # what `make test-python` runs first
"""
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

PACKAGE = "postgresql"


class Unavailable(Exception):
    """PostgreSQL cannot be used here; the message says why."""


def server_bin_dir():
    """The newest installed server's bin directory (holding initdb and pg_ctl), or None."""
    candidates = [os.path.dirname(path) for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    if not candidates:
        return None
    return max(candidates, key=lambda path: int(os.path.basename(os.path.dirname(path)) or 0))


def ensure_installed():
    """The server's bin directory, installing Debian's `postgresql` first if it is missing.

    Raises Unavailable when it is missing and cannot be installed (not root, no apt-get, apt failed),
    or when root cannot hand the cluster to the `postgres` user."""
    found = server_bin_dir() or _install()
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("there is no `postgres` user to run the server as (PostgreSQL refuses to run as root)")
        if not shutil.which("runuser"):
            raise Unavailable("there is no runuser (util-linux) to run the server as the `postgres` user")
    return found


def _install():
    """Installs Debian's `postgresql` and returns its bin directory."""
    if os.geteuid() != 0:
        raise Unavailable(f"PostgreSQL is not installed and installing it needs root (apt-get install {PACKAGE})")
    if not shutil.which("apt-get"):
        raise Unavailable("PostgreSQL is not installed and there is no apt-get to install it")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", PACKAGE]
    print(f"postgres_cluster: installing {PACKAGE} with apt-get", file=sys.stderr)
    started = time.monotonic()
    if subprocess.run(install, env=environment, stdout=subprocess.DEVNULL).returncode != 0:
        # A fresh machine may have no package lists yet.
        subprocess.run(["apt-get", "update", "-qq"], env=environment, check=False)
        result = subprocess.run(install, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise Unavailable(f"apt-get install {PACKAGE} failed: {result.stderr.strip()[-300:]}")
    print(f"postgres_cluster: installed {PACKAGE} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    found = server_bin_dir()
    if not found:
        raise Unavailable(f"apt-get installed {PACKAGE} but no /usr/lib/postgresql/*/bin/initdb appeared")
    return found


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on a Unix socket there, with one database.

    Use as a context manager; `url` is the SQLAlchemy URL of the database (driver psycopg2)."""

    def __init__(self, bin_dir, database="nas"):
        self.bin_dir = bin_dir
        self.database = database
        # The socket is <directory>/.s.PGSQL.<port>: private to this cluster, so any port number does.
        self.port = 5432
        self.password = secrets.token_hex(16)
        self.directory = tempfile.mkdtemp(prefix="edgeprobe-pg-")
        self.data = os.path.join(self.directory, "data")
        self.log = os.path.join(self.directory, "server.log")
        self.started = False
        # PostgreSQL will not run as root: run its programs as the `postgres` user Debian's package creates.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.directory, "postgres", "postgres")

    @property
    def url(self):
        return (f"postgresql+psycopg2://postgres:{self.password}@/{self.database}"
                f"?host={self.directory}&port={self.port}")

    def _run(self, program, *arguments, environment=None):
        command = self.as_user + [os.path.join(self.bin_dir, program), *arguments]
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(environment or {})})
        if result.returncode != 0:
            log = open(self.log).read()[-2000:] if os.path.exists(self.log) else ""
            raise RuntimeError(f"{program} failed ({result.returncode}): {result.stderr.strip()}\n{log}")
        return result

    def start(self):
        password_file = os.path.join(self.directory, "password")
        with open(os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(self.password + "\n")
        if self.as_user:
            shutil.chown(password_file, "postgres", "postgres")
        # --no-sync and fsync=off: a throwaway cluster need not survive a crash, and syncing costs seconds.
        self._run("initdb", "-D", self.data, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth=scram-sha-256",
                  f"--pwfile={password_file}", "--no-sync", "--no-instructions")
        os.unlink(password_file)
        options = (f"-c listen_addresses='' -p {self.port} -k {self.directory} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", options, "start")
        self.started = True
        self._run("createdb", "-h", self.directory, "-p", str(self.port), "-U", "postgres", self.database,
                  environment={"PGPASSWORD": self.password})
        return self

    def stop(self):
        try:
            if self.started:
                self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop")
                self.started = False
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exception):
        self.stop()


def main(argv):
    if argv[1:] != ["install"]:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(f"postgres_cluster: PostgreSQL server in {ensure_installed()}", file=sys.stderr)
    except Unavailable as reason:
        # Not an error: the shared-study test falls back to SQLite and says why.
        print(f"postgres_cluster: {reason}; the shared-study test will use SQLite", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
