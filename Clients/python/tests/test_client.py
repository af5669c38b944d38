"""The Python client against a local edgeprobe, and two Optuna workers sharing one study.

Needs a built edgeprobe: $EDGEPROBE_BIN, or the newest .build*/{debug,release}/edgeprobe of the repo.
Run: Clients/python/.venv/bin/python -m unittest discover -s Clients/python/tests -v
"""
import glob
import os
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(CLIENT_DIR))
sys.path.insert(0, CLIENT_DIR)
sys.path.insert(0, HERE)

import postgres_cluster  # noqa: E402
from edgeprobe_client import CLIClient, EdgeprobeError, HTTPClient, mobilenet_spec  # noqa: E402

TINY = mobilenet_spec("tiny-py", 16, 8, [(8, 1, [(3, 2)]), (16, 2, [(5, 3), (3, 3)])], head_cout=32, classes=10)


def edgeprobe_binary():
    if os.environ.get("EDGEPROBE_BIN"):
        return os.environ["EDGEPROBE_BIN"]
    candidates = glob.glob(os.path.join(REPO, ".build*", "*", "edgeprobe"))
    candidates = [path for path in candidates if os.access(path, os.X_OK)]
    if not candidates:
        raise unittest.SkipTest("no built edgeprobe (set EDGEPROBE_BIN)")
    return max(candidates, key=os.path.getmtime)


class Server:
    """`edgeprobe latency serve` on a loopback port the kernel picks (`--listen 127.0.0.1:0`),
    read back from its `serving on http://HOST:PORT` line; stopped with SIGTERM."""

    def __init__(self, binary):
        self.log = tempfile.NamedTemporaryFile(prefix="edgeprobe-serve-", suffix=".log")
        self.process = subprocess.Popen(
            [binary, "latency", "serve", "--listen", "127.0.0.1:0", "--min-time", "50ms",
             "--min-iterations", "5", "--warmup", "1"],
            stderr=self.log, env={**os.environ, "EDGEPROBE_PROFILES": os.path.join(REPO, "Profiles")})
        self.port = self._serving_port()
        self.client = HTTPClient(f"http://127.0.0.1:{self.port}", timeout=120)

    def _serving_port(self, deadline_s=120):
        """The port of the `serving on` line; the deadline only catches a server that never starts."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            with open(self.log.name) as log:
                for line in log:
                    if "serving on http://" in line:
                        return int(line.rsplit(":", 1)[1])
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        with open(self.log.name) as log:
            raise RuntimeError(f"edgeprobe latency serve did not start: {log.read()[-2000:]}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


class ClientRoundTrip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.binary = edgeprobe_binary()
        cls.server = Server(cls.binary)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_health(self):
        health = self.server.client.health()
        self.assertEqual(health["status"], "ok")
        self.assertFalse(health["busy"])

    def test_latency_with_reward(self):
        record = self.server.client.latency(TINY, accuracy=0.7, target_ms=1000, hard_constraint=True, seed=4)
        self.assertEqual(record["type"], "latency")
        self.assertEqual(record["name"], "tiny-py")
        self.assertEqual(record["seed"], 4)
        self.assertEqual(record["reward"]["value"], 0.7)  # hard constraint, far under 1 s: (LAT/T)^0
        self.assertEqual(len(record["blocks"]), 7)

    def test_errors_name_the_field(self):
        bad = dict(TINY, blocks=[dict(TINY["blocks"][0], type="mystery")])
        with self.assertRaises(EdgeprobeError) as caught:
            self.server.client.latency(bad)
        self.assertEqual((caught.exception.status, caught.exception.field), (422, "blocks[0].type"))

    def test_cli_gives_the_same_shape(self):
        cli = CLIClient(self.binary, ["--min-time", "50ms", "--min-iterations", "5"])
        record = cli.latency(TINY, seed=4)
        http = self.server.client.latency(TINY, seed=4, min_time_s=0.05)
        self.assertEqual(record["macs"], http["macs"])
        self.assertEqual([block["key"] for block in record["blocks"]], [block["key"] for block in http["blocks"]])


class TwoWorkersShareOneStudy(unittest.TestCase):
    """Two workers, each with its own local edgeprobe, optimize one study in Optuna's RDB storage:
    PostgreSQL from Debian's packages on a private Unix socket (installed when missing and we are root, a
    throwaway cluster started and removed here), or SQLite where PostgreSQL is unavailable."""

    postgres_unavailable = None

    @classmethod
    def setUpClass(cls):
        try:
            cls.postgres_bin = postgres_cluster.ensure_installed()
            import psycopg2  # noqa: F401  (the driver SQLAlchemy's postgresql+psycopg2 URL loads)
        except (postgres_cluster.Unavailable, ImportError) as reason:
            cls.postgres_unavailable = str(reason)
            print(f"\nPostgreSQL unavailable ({reason}): the shared study runs on SQLite instead", file=sys.stderr)

    def test_two_workers_on_postgresql(self):
        if self.postgres_unavailable:
            self.skipTest(f"PostgreSQL unavailable: {self.postgres_unavailable}; test_two_workers_on_sqlite runs instead")
        started = time.monotonic()
        with postgres_cluster.Cluster(self.postgres_bin) as cluster:
            print(f"\nPostgreSQL cluster on {cluster.directory} up in {time.monotonic() - started:.1f} s",
                  file=sys.stderr)
            self.run_two_workers(cluster.url)
        self.assertFalse(os.path.exists(cluster.directory), "the throwaway cluster was not removed")

    def test_two_workers_on_sqlite(self):
        if not self.postgres_unavailable:
            self.skipTest("PostgreSQL is available: the shared study runs there (test_two_workers_on_postgresql)")
        with tempfile.TemporaryDirectory() as folder:
            self.run_two_workers(f"sqlite:///{folder}/study.db")

    def run_two_workers(self, storage):
        import optuna

        binary = edgeprobe_binary()
        servers = [Server(binary), Server(binary)]
        try:
            # Create the study (and the storage's tables) once, before the workers start, as
            # Optuna's multi-worker recipe does: two workers creating the schema at once race.
            optuna.create_study(study_name="shared", storage=storage, direction="maximize")
            workers = [subprocess.Popen(
                [sys.executable, os.path.join(CLIENT_DIR, "nas_optuna.py"), "--url", server.client.url,
                 "--storage", storage, "--study", "shared", "--trials", "3", "--resolution", "32",
                 "--scale", "8", "--min-time-s", "0.05", "--target-ms", "2", "--seed", str(index)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for index, server in enumerate(servers)]
            for worker in workers:
                out, err = worker.communicate(timeout=300)
                self.assertEqual(worker.returncode, 0, err)
                self.assertIn("best: trial", out)
            study = optuna.load_study(study_name="shared", storage=storage)
            trials = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
            self.assertEqual(len(trials), 6)
            self.assertEqual({t.user_attrs["worker"].split(":", 1)[1] for t in trials},
                             {server.client.url for server in servers})
            for trial in trials:
                self.assertGreater(trial.user_attrs["macs"], 0)
                expected = trial.user_attrs["macs"] / 1e6 * (
                    1.0 if trial.user_attrs["latency_p90_ms"] <= 2 else 2 / trial.user_attrs["latency_p90_ms"])
                self.assertAlmostEqual(trial.value, expected, places=9)
        finally:
            for server in servers:
                server.stop()


if __name__ == "__main__":
    unittest.main()
