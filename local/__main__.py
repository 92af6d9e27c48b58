"""`make run`: serve every route of template.yaml on http://127.0.0.1:$PORT against an embedded moto."""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading

from moto.server import ThreadedMotoServer

from local import queues, scheduler, state
from local.app import REGION, boot, secret_names
from local.server import GatewayServer
from local.template import load

# moto holds every stored item as Python objects. With the default thresholds, collections over that heap
# became the main cost as tables grew (/report at 30,000 items: -12% req/s, p99 +70%); these keep it flat.
GC_THRESHOLDS = (100_000, 50, 1000)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    logging.basicConfig(level=os.environ.get("LOCAL_LOG_LEVEL", "INFO"), format="%(asctime)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = int(os.environ.get("PORT", "3000"))
    template = load()
    app = boot(template, state.server_keys(secret_names(template)), port)
    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    moto_host, moto_port = moto_server.get_host_and_port()
    server = GatewayServer(port, app.gateway, app.runtime)
    state.write_server_info(
        {
            "pid": os.getpid(),
            "url": f"http://127.0.0.1:{server.port}",
            "aws_endpoint": f"http://{moto_host}:{moto_port}",
            "region": REGION,
            "outputs": app.stack.outputs(),
        }
    )
    stop = threading.Event()
    scheduler.start(app.runtime, template.schedules, stop)
    queues.start(app.runtime, app.stack, stop)
    signal.signal(signal.SIGTERM, _interrupt)
    print(
        f"Telemetry Gateway: {len(template.routes)} routes of {len(template.functions)} functions "
        f"on http://127.0.0.1:{server.port} (moto at http://{moto_host}:{moto_port})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        state.remove_server_info()
        server.server_close()
        moto_server.stop()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
