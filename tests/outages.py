"""Real database outages for tests, without touching the shared database server.

`TcpProxy` sits between Django and PostgreSQL on loopback; a test cuts it (every live
connection dropped, new ones refused) and restores it. `connection_to(settings)` points this
thread's database connection somewhere else (through the proxy, or at a database that cannot
be opened) and back, leaving the test's own connection and transaction untouched.
"""

import socket
import threading
from contextlib import contextmanager

from django.db import connections


class TcpProxy:
    """Forwards 127.0.0.1:<port> to `upstream` until cut; refuses and drops while cut. While
    silent, it accepts connections and never answers, like a host that has gone away."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.silent = False
        self._open = set()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.up = False
        with self._lock:
            live = list(self._open)
        self._drop(*live)

    def go_silent(self) -> None:
        self.cut()
        self.silent = True

    def restore(self) -> None:
        self.up, self.silent = True, False

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.silent:  # held open, never answered
                with self._lock:
                    self._open.add(client)
                continue
            if not self.up:  # accepted and hung up at once: what a dead server looks like
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        self._drop(source, target)

    def _drop(self, *sockets) -> None:
        for sock in sockets:
            with self._lock:
                self._open.discard(sock)
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the other pump blocked in recv()
            except OSError:
                pass
            sock.close()


def unreachable(settings_dict: dict) -> dict:
    """The same database settings, pointing where no database can be opened."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return {**settings_dict, "NAME": "/nonexistent/newsroom.sqlite3"}
    return {**settings_dict, "HOST": "127.0.0.1", "PORT": 1}  # nothing listens on port 1


def through(proxy: TcpProxy, settings_dict: dict, **overrides) -> dict:
    """The same database settings, reaching the server through `proxy`."""
    return {**settings_dict, "HOST": "127.0.0.1", "PORT": proxy.port, **overrides}


@contextmanager
def connection_to(settings_dict: dict):
    """This thread's default database connection uses `settings_dict` inside the block."""
    original = connections["default"]
    replacement = original.__class__(settings_dict, "default")
    connections["default"] = replacement
    try:
        yield replacement
    finally:
        replacement.close()
        connections["default"] = original
