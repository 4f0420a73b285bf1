"""A throwaway PostgreSQL server for the tests and the benchmark: initdb in a folder of its
own, started as a user that is not root (as PostgreSQL insists), listening on a Unix socket
in that folder and on no TCP port, with password (SCRAM) authentication for its one role."""
import glob
import os
import pwd
import subprocess


class PostgresServer:
    def __init__(self, folder, user="crm", password="s3cret-Pa55"):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("no PostgreSQL server: apt-get install postgresql")
        self.bin = os.path.dirname(found[-1])
        self.folder, self.user, self.password = folder, user, password
        self.data, self.sockets = os.path.join(folder, "pg"), os.path.join(folder, "sock")
        self.env = dict(os.environ, PGPASSWORD=password, PGHOST=self.sockets, PGUSER=user, PGDATABASE="postgres")

    def _as_server(self, command):
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        return subprocess.run(command, capture_output=True, text=True)

    def start(self):
        os.makedirs(self.sockets, exist_ok=True)
        pwfile = os.path.join(self.folder, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password)
        if os.geteuid() == 0:
            uid = pwd.getpwnam("postgres").pw_uid
            for path in [self.folder, self.sockets, pwfile]:
                os.chown(path, uid, -1)
        init = self._as_server([f"{self.bin}/initdb", "-D", self.data, "-U", self.user, "--auth=scram-sha-256",
                                f"--pwfile={pwfile}", "-E", "UTF8"])
        if init.returncode != 0:
            raise RuntimeError("initdb failed: " + init.stderr)
        start = self._as_server([f"{self.bin}/pg_ctl", "-D", self.data, "-l", f"{self.folder}/log", "-w",
                                 "-o", f"-k {self.sockets} -c listen_addresses=''", "start"])
        if start.returncode != 0:
            raise RuntimeError("the server did not start: " + start.stderr + open(f"{self.folder}/log").read())

    def stop(self):
        self._as_server([f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "stop"])

    def psql(self, sql, db="postgres", out=None):
        """Runs SQL (or a backslash command) with psql; out= a file to send its output to."""
        return subprocess.run([f"{self.bin}/psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", db, "-c", sql],
                              env=self.env, stdout=out or subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def uri(self, db, password=None):
        return f"postgresql://{self.user}:{password or self.password}@/{db}?host={self.sockets}"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *_):
        self.stop()
