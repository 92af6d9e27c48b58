"""POST /MailboxListen/."""

from telemetry_gateway.notify import masters, web

# The spec's margin: every wait ends this long before Lambda's own timeout would.
RESERVE_SECONDS = 3.0

handler = web.master_function(masters.listen, lambda message, now: web.delivered(message, now.now()), RESERVE_SECONDS)
