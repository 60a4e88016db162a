"""A fault-injecting TCP proxy for sync tests: a lossy link between a client and the server.

    proxy = LossyProxy("127.0.0.1", server.port, seed=7).start()
    client = Client.login(data_dir, proxy.url, ...)
    proxy.drop = 0.3          # from now on, 30 % of the server's answers never arrive
    ...
    proxy.stop()

Every accepted client connection gets its own upstream connection and two pump threads.
The client→server pump forwards everything (so the server always receives, and usually
acts on, the whole request). The server→client pump decides, on the **first bytes of each
answer** (each exchange of an HTTP/1.1 keep-alive connection), with probability ``drop``
and a seeded random generator, to swallow that answer: it then closes both sockets without
sending the client anything. That is the worst case for a client: the server has done the
work (a push is committed) but the client cannot know. The client's HTTP session sees a
dropped connection and reconnects on its next call.

Deciding per answer rather than once per connection matters: ``requests`` reuses a kept-alive
connection, so a per-connection coin would stop injecting faults as soon as one connection
survived its first exchange.
"""

from __future__ import annotations

import collections
import contextlib
import random
import socket
import threading

CHUNK = 1 << 16


class LossyProxy:
    def __init__(self, target_host: str, target_port: int, *, drop: float = 0.0,
                 seed: int = 0) -> None:
        self.target = (target_host, target_port)
        self.drop = drop  # may be changed at any time; read at every answer
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.port = 0
        # counters (read them at any time)
        self.connections = 0  # client connections accepted
        self.exchanges = 0  # answers that began to arrive from the server
        self.drops = 0  # answers swallowed
        self.relayed = 0  # answers passed on
        # answers swallowed, by request ("POST /api/v1/sync/push", query string left out)
        self.dropped: collections.Counter[str] = collections.Counter()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LossyProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._spawn(self._accept_loop, "proxy-accept")
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            _close(self._listener)
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            _close(sock)
        for thread in list(self._threads):
            thread.join(5)

    def __enter__(self) -> LossyProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- internals --------------------------------------------------------------------------

    def _spawn(self, target, name: str, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                self.connections += 1
            self._spawn(self._serve, "proxy-conn", client)

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _close(client)  # the server is down: the client sees a refused/closed link
            return
        upstream.settimeout(None)
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._open.update((client, upstream))
        connection = _Connection(client, upstream)
        self._spawn(self._client_to_server, "proxy-c2s", connection)
        self._server_to_client(connection)

    def _client_to_server(self, conn: _Connection) -> None:
        try:
            while True:
                data = conn.client.recv(CHUNK)
                if not data:
                    break
                if not conn.awaiting_answer.is_set():  # the first bytes of a new request
                    conn.request = _request_line(data)
                conn.awaiting_answer.set()  # before forwarding: the answer may come at once
                conn.upstream.sendall(data)
        except OSError:
            pass
        self._finish(conn)

    def _server_to_client(self, conn: _Connection) -> None:
        try:
            while True:
                data = conn.upstream.recv(CHUNK)
                if not data:
                    break
                if conn.awaiting_answer.is_set():  # the first bytes of a new answer
                    conn.awaiting_answer.clear()
                    with self._lock:
                        self.exchanges += 1
                        doomed = self._rng.random() < self.drop
                        if doomed:
                            self.drops += 1
                            self.dropped[conn.request] += 1
                        else:
                            self.relayed += 1
                    if doomed:
                        break  # swallow it: close both sides, send the client nothing
                conn.client.sendall(data)
        except OSError:
            pass
        self._finish(conn)

    def _finish(self, conn: _Connection) -> None:
        for sock in (conn.client, conn.upstream):
            _close(sock)
        with self._lock:
            self._open.discard(conn.client)
            self._open.discard(conn.upstream)


class _Connection:
    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.awaiting_answer = threading.Event()
        self.request = ""  # "METHOD /path" of the exchange under way


def _request_line(data: bytes) -> str:
    """The method and path (no query) from the first bytes of an HTTP/1.1 request."""
    words = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    if len(words) < 2:
        return "?"
    return f"{words[0]} {words[1].split('?', 1)[0]}"


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a pump blocked in recv() on it
    with contextlib.suppress(OSError):
        sock.close()
