"""Hypothesis strategies for fuzzing the three API families, shared by the fuzz tests and anything else that
wants hostile input: JSON documents (`documents`), HTTP headers and byte mutations (`http`), the telemetry
bodies and headers (`telemetry`), notify forms, cookies and Referers (`notify`), protobuf messages and their
mutations (`sensors`), and multipart bodies (`multipart`)."""
