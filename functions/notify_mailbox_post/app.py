"""POST /MailboxPost/."""

from telemetry_gateway.notify import masters, web

# Time kept back to answer 503 before Lambda's own timeout would.
RESERVE_SECONDS = 1.5

handler = web.master_function(masters.post, lambda message_id, _now: web.posted(message_id), RESERVE_SECONDS)
