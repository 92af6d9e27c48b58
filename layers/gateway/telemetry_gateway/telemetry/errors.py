"""The one exception type the telemetry handlers turn into `{"error": ...}` responses."""

# WWW-Authenticate scopes: what a client does after a 401.
REGISTER = "register"
AUTHENTICATE = "authenticate"


class TelemetryError(Exception):
    """A refusal with the exact status and message the client must see.

    `scope` is the WWW-Authenticate scope (`"register"` or `"authenticate"`) of a 401, else None.
    """

    def __init__(self, status: int, message: str, scope: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.scope = scope


def invalid_body(detail: str) -> TelemetryError:
    """400 for a body that is not the JSON the endpoint expects."""
    return TelemetryError(400, f"invalid request body: {detail}")


def unauthorized(message: str, scope: str) -> TelemetryError:
    """401 telling the client whether to re-authenticate or register again."""
    return TelemetryError(401, message, scope)
