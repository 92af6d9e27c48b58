"""`make run`: serve every route of template.yaml on http://127.0.0.1:$PORT against an embedded moto."""

from __future__ import annotations

import errno
import gc
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from moto.server import ThreadedMotoServer

from local import queues, scheduler, state
from local.app import REGION, boot, secret_names
from local.server import GatewayServer, listen
from local.template import load

# moto holds every stored item as Python objects. With the default thresholds, collections over that heap
# became the main cost as tables grew (/report at 30,000 items: -12% req/s, p99 +70%); these keep it flat.
GC_THRESHOLDS = (100_000, 50, 1000)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    logging.basicConfig(level=os.environ.get("LOCAL_LOG_LEVEL", "INFO"), format="%(asctime)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    listener = _listener(os.environ.get("PORT", "3000"))
    port = int(listener.getsockname()[1])
    template = load()
    app = boot(template, state.server_keys(secret_names(template)), port)
    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    moto_host, moto_port = moto_server.get_host_and_port()
    server = GatewayServer(listener, app.gateway, app.runtime)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)
    try:  # from here on, Ctrl-C and SIGTERM end in the cleanup below, never in a traceback
        state.write_server_info(
            {
                "pid": os.getpid(),
                "url": app.url,
                "aws_endpoint": f"http://{moto_host}:{moto_port}",
                "region": REGION,
                "outputs": app.outputs(),
            }
        )
        scheduler.start(app.runtime, template.schedules, stop)
        queues.start(app.runtime, app.stack, stop)
        print(  # the first line on stdout: support.local_server waits for it
            f"Telemetry Gateway: {len(template.routes)} routes of {len(template.functions)} functions "
            f"on http://127.0.0.1:{server.port} (moto at http://{moto_host}:{moto_port})",
            flush=True,
        )
        print(f"Emulator dashboard: http://{moto_host}:{moto_port}/moto-api/", flush=True)
        print(f"API docs: http://127.0.0.1:{server.port}/docs", flush=True)
        # The operator tool lives beside this interpreter (.venv/bin), rarely on PATH: say how to put it there.
        tools = Path(sys.executable).parent
        print(f'tgw: export PATH="{tools}:$PATH"  # the operator tool on PATH; then: tgw --local --help', flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        state.remove_server_info()
        server.server_close()
        moto_server.stop()


def _listener(port_setting: str) -> socket.socket:
    """The server's socket, bound before anything starts; a port that cannot be had ends `make run` with
    one line saying what to do, not a traceback."""
    try:
        port = int(port_setting)
        if not 0 <= port <= 65535:
            raise ValueError(port_setting)
    except ValueError:
        sys.exit(f"make run: PORT must be a number from 0 to 65535, not {port_setting!r}")
    try:
        return listen(port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            sys.exit(f"make run: port {port} is in use; set PORT=... or stop the other server")
        sys.exit(f"make run: cannot listen on 127.0.0.1:{port}: {error.strerror}")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
