"""proto/saf/ against sensor-api.md section 13, and the generated modules against proto/saf/."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from google.protobuf import descriptor_pb2

from local.paths import ROOT
from telemetry_gateway.sensors.pb import client_messages_pb2, common_pb2, event_pb2, heartbeat_pb2, query_messages_pb2
from tests.infrastructure.test_template import pins
from tools import protogen

FieldProto = descriptor_pb2.FieldDescriptorProto

# Section 13's tables, as written there: "number name: type", "repeated" and "**packed**" included.
MESSAGES = {
    "common.proto": {
        "ClientSignature": "1 date: string; 2 message_id: uint32; 3 signature: string",
        "StatusMessage": "1 type: StatusType; 2 message: string",
        "GenericResponse": "1 status: StatusMessage",
    },
    "client_messages.proto": {
        "ClientCreateMessage": "1 client_data: ClientMetadata; 2 attached_sensors: repeated SensorMetadata",
        "ClientCreateResponse": "1 status: StatusMessage; 2 client_id: uint64; 3 client_secret: string; "
        "4 sensor_ids: repeated uint64; 5 latest_request_id: uint64",
        "ClientUpdateMessage": "1 client_signature: ClientSignature; 2 client_data: ClientMetadata; "
        "3 new_sensors: repeated SensorMetadata; 4 updated_sensors: repeated SensorMetadata; "
        "5 removed_sensors: repeated uint64 **packed**",
        "ClientUpdateResponse": "1 status: StatusMessage; 2 sensor_ids: repeated uint64",
        "ClientMetadata": "1 latitude: double; 2 longitude: double; 3 location_source_type: LocationSourceType; "
        "4 name: string; 5 location_description: string; 6 floor: string; 7 building: string; "
        "8 mobility_type: ClientMetadata.MobilityType; 9 software_version: string; 10 operating_system: string; "
        "14 uuid: string; 15 other_metadata: repeated KeyValue; 128 legacy_identifier: string",
        "SensorMetadata": "1 sensor_id: uint64; 2 sensor_type: SensorType; 3 model: string; 4 serial: string; "
        "5 calibrated: bool; 6 units: string; 7 num_samples: int32; 8 sample_window_size: int32",
        "KeyValue": "1 key: string; 2 string_value: string; 3 double_value: double; 4 long_value: int64; "
        "5 bool_value: bool; 15 unset: bool",
        "NotificationRegistrationMessage": "1 topic: string",
        "NotificationRegistrationResponse": "1 status: StatusMessage",
        "ClientEditorTokenRequest": "1 client_signature: ClientSignature",
        "ClientEditorTokenResponse": "1 status: StatusMessage; 2 editor_url: string; 3 token: string",
        "ClientMetadataRequest": "1 client_signature: ClientSignature; 2 include_sensor_data: bool",
        "ClientMetadataResponse": "1 status: StatusMessage; 2 client_data: ClientMetadata; "
        "3 sensor_data: repeated SensorMetadata",
        "ClientKeyValueRequest": "1 client_signature: ClientSignature; 2 client_keys: repeated string",
        "ClientKeyValueResponse": "1 status: StatusMessage; 2 client_data: repeated KeyValue",
    },
    "heartbeat.proto": {
        "HeartbeatMessage": "1 client_signature: ClientSignature; 2 latitude: double; 3 longitude: double; "
        "4 location_source_type: LocationSourceType; 5 status_change: HeartbeatMessage.StatusChange; "
        "6 connected_sensors: repeated uint64; 7 disconnected_sensors: repeated uint64; "
        "8 latest_request_id: uint64; 9 current_data_offers: repeated SensorReadingDescription; "
        "10 event_rates: repeated HeartbeatMessage.SensorEventRate",
        "HeartbeatMessage.SensorEventRate": "1 sensor_id: uint64; 2 event_count: int32; 3 time_window: int32",
        "HeartbeatResponse": "1 status: StatusMessage; 2 data_requests: repeated HeartbeatResponse.DataRequest; "
        "3 latest_request_id: uint64; 4 current_data_upload_urls: repeated string; 5 metadata_changed: bool",
        "HeartbeatResponse.DataRequest": "1 sensor_id: uint64; 2 provide_current_data: bool; 3 request_id: uint64; "
        "4 start_date: string; 5 end_date: string; 6 latitude: repeated double; 7 longitude: repeated double; "
        "8 threshold_distance: uint32",
        "SensorReadingDescription": "1 sensor_id: uint64; 2 current_data: bool; 3 request_id: uint64; "
        "4 start_date: string; 5 end_date: string; 6 latitude: double; 7 longitude: double; "
        "8 data_format: SensorReadingDescription.DataFormat",
        "SensorReadingOfferMessage": "1 client_signature: ClientSignature; "
        "2 sensor_readings: repeated SensorReadingDescription",
        "SensorReadingOfferResponse": "1 status: StatusMessage; 2 data_upload_urls: repeated string",
        "SensorReadingUploadResponse": "1 status: StatusMessage; 2 sensor_reading_id: uint64",
        "DataStream": "1 values: repeated double **packed**",
        "DataRecord": "1 datapoint_spacing: uint32; 2 streams: repeated DataStream; "
        "3 locations: DataRecord.LocationChanges",
        "DataRecord.LocationChanges": "1 time_offsets: repeated uint32 **packed**; "
        "2 latitudes: repeated double **packed**; 3 longitudes: repeated double **packed**",
    },
    "event.proto": {
        "EventMessage": "1 client_signature: ClientSignature; 2 latitude: double; 3 longitude: double; "
        "4 location_type: LocationSourceType; 5 event: EventMessage.SensorEvent; "
        "6 other_readings: repeated EventMessage.SensorEvent",
        "EventMessage.SensorEvent": "1 sensor_id: uint64; 2 sensor_type: SensorType; "
        "3 readings: repeated double **packed**; 4 date: string; 5 event_count: int32; 6 time_window: int32",
        "EventResponse": "1 status: StatusMessage",
    },
    "query_messages.proto": {
        "NameAvailableQuery": "1 name: string",
        "NameAvailableResponse": "1 status: StatusMessage; 2 name: string; 3 available: bool",
        "ExistingUuidQuery": "1 client_uuid: string",
        "ExistingUuidResponse": "1 status: StatusMessage; 2 registration_found: bool; 3 client_id: uint64; "
        "4 client_secret: string; 5 sensors: repeated SensorMetadata",
        "ClientFromLegacyIdQuery": "1 legacy_client_key: string; 2 legacy_client_id: uint64",
        "ClientFromLegacyIdResponse": "1 status: StatusMessage; 2 client_id: uint64",
        "RecentEventQuery": "1 limit: uint32; 2 sensor_type: SensorType; 3 most_recent_events: bool; "
        "4 after_event_id: uint64; 15 provide_polygons: bool",
        "RecentEventResponse": "1 status: StatusMessage; 2 most_recent_event_id: uint64; "
        "3 events: repeated RecentEventResponse.SensorEvent; 14 geocells_included: repeated string; "
        "15 geocell_bounds: repeated RecentEventResponse.BoundingBox",
        "RecentEventResponse.SensorEvent": "1 sensor_type: SensorType; 2 readings: repeated double; "
        "3 date: string; 4 geocell: string",
        "RecentEventResponse.BoundingBox": "1 west_longitude: double; 2 east_longitude: double; "
        "3 north_latitude: double; 4 south_latitude: double",
    },
}
ENUMS = {
    "common.proto": {
        "StatusType": "SUCCESS=0, UNKNOWN_ERROR=1, INVALID_REQUEST=2, UNKNOWN_CLIENT=3, UNKNOWN_SENSOR=4, "
        "DATASTORE_ERROR=5, DEADLINE_EXCEEDED=6, OVER_QUOTA_ERROR=7, DOS_API_DENIAL=8, SERVER_TIMEOUT=9, "
        "PATH_NOT_FOUND=10, NAME_UNAVAILABLE=15",
        "SensorType": "ACCELEROMETER_3_AXIS=0, ACCELEROMETER_1_AXIS=1, TEMPERATURE=2, PRESSURE=3, HUMIDITY=4, "
        "OPTICAL=5, PHOTOVOLTAIC=6, CH4=7, LPG=8, CO=9, H2=10, GEIGER=11, OTHER=64",
        "LocationSourceType": "USER_INPUT=0, CELL=1, GPS=2, WIFI=3, IP=4, SERVER_DEFAULT=64",
    },
    "client_messages.proto": {
        "ClientMetadata.MobilityType": "STANDALONE=0, DESKTOP=1, LAPTOP=2, TABLET=3, PHONE=4, OTHER=15",
        "NotificationRegistrationMessage.RegistrationType": "GCM=0",
    },
    "heartbeat.proto": {
        "HeartbeatMessage.StatusChange": "UPDATE=0, RESTART=1, SLEEP=2, SHUTDOWN=3, KILLED=4, QUIT=5",
        "SensorReadingDescription.DataFormat": "CSNV2=0, DATA_RECORD=1",
    },
    "event.proto": {},
    "query_messages.proto": {},
}
FILES = {
    "common.proto": (common_pb2, "Common", []),
    "client_messages.proto": (client_messages_pb2, "ClientMessages", ["common.proto"]),
    "heartbeat.proto": (heartbeat_pb2, "Heartbeat", ["common.proto", "client_messages.proto"]),
    "event.proto": (event_pb2, "Event", ["common.proto"]),
    "query_messages.proto": (query_messages_pb2, "QueryMessages", ["common.proto", "client_messages.proto"]),
}
SCALARS = {
    "double": FieldProto.TYPE_DOUBLE,
    "uint32": FieldProto.TYPE_UINT32,
    "uint64": FieldProto.TYPE_UINT64,
    "int32": FieldProto.TYPE_INT32,
    "int64": FieldProto.TYPE_INT64,
    "bool": FieldProto.TYPE_BOOL,
    "string": FieldProto.TYPE_STRING,
}
FIELD = re.compile(r"(\d+) (\w+): (repeated )?([\w.]+)( \*\*packed\*\*)?")


def file_proto(module: ModuleType) -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    return proto


def declared_messages(proto: descriptor_pb2.FileDescriptorProto) -> dict[str, descriptor_pb2.DescriptorProto]:
    found = {}
    pending = [("", message) for message in proto.message_type]
    while pending:
        prefix, message = pending.pop()
        found[prefix + message.name] = message
        pending.extend((f"{prefix}{message.name}.", nested) for nested in message.nested_type)
    return found


def declared_enums(proto: descriptor_pb2.FileDescriptorProto) -> dict[str, str]:
    enums = {e.name: e for e in proto.enum_type}
    for name, message in declared_messages(proto).items():
        enums.update({f"{name}.{e.name}": e for e in message.enum_type})
    return {name: ", ".join(f"{v.name}={v.number}" for v in e.value) for name, e in enums.items()}


def described(field: FieldProto) -> str:
    """The field in the spec's notation."""
    type_name = next((name for name, t in SCALARS.items() if t == field.type), field.type_name.removeprefix(".saf."))
    repeated = "repeated " if field.label == FieldProto.LABEL_REPEATED else ""
    packed = " **packed**" if field.options.HasField("packed") and field.options.packed else ""
    return f"{field.number} {field.name}: {repeated}{type_name}{packed}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_file_options_imports_and_package(name: str) -> None:
    module, outer_class, imports = FILES[name]
    proto = file_proto(module)

    assert (proto.name, proto.package, proto.syntax or "proto2") == (name, "saf", "proto2")
    assert proto.options.java_package == "edu.caltech.saf.messages"
    assert proto.options.java_outer_classname == outer_class
    assert list(proto.dependency) == imports


@pytest.mark.parametrize("name", sorted(FILES))
def test_messages_match_the_spec_field_for_field(name: str) -> None:
    messages = declared_messages(file_proto(FILES[name][0]))

    assert sorted(messages) == sorted(MESSAGES[name])
    for message, spec in MESSAGES[name].items():
        fields = messages[message].field
        assert "; ".join(described(f) for f in fields) == spec, message
        assert all(f.label != FieldProto.LABEL_REQUIRED for f in fields), message
        assert all(FIELD.fullmatch(part) for part in spec.split("; ")), message  # the table parsed as intended


@pytest.mark.parametrize("name", sorted(FILES))
def test_enums_match_the_spec(name: str) -> None:
    assert declared_enums(file_proto(FILES[name][0])) == ENUMS[name]


def test_unpacked_repeated_scalars_are_emitted_unpacked() -> None:
    unpacked = heartbeat_pb2.HeartbeatMessage(connected_sensors=[1, 2]).SerializeToString()
    packed = client_messages_pb2.ClientUpdateMessage(removed_sensors=[1, 2]).SerializeToString()

    assert unpacked == bytes.fromhex("30013002")
    assert packed == bytes.fromhex("2a020102")


def test_generated_code_is_what_make_proto_generates(tmp_path: Path) -> None:
    protogen.generate(tmp_path)
    checked_in = protogen.OUTPUT_DIR

    fresh = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    current = {p.name: p.read_bytes() for p in checked_in.iterdir() if p.is_file()}
    assert sorted(current) == sorted(fresh), "run `make proto`"
    stale = [name for name in fresh if fresh[name] != current[name]]
    assert stale == [], f"{stale} are stale: run `make proto`"


def test_generated_code_accepts_the_pinned_runtime() -> None:
    """protoc stamps the gencode version; the runtime must be the same major and at least as new."""
    text = (protogen.OUTPUT_DIR / "common_pb2.py").read_text()
    found = re.search(r"Domain\.PUBLIC,\s*(\d+),\s*(\d+),\s*(\d+),", text)
    assert found
    gencode = tuple(int(part) for part in found.groups())
    runtime = tuple(
        int(part)
        for part in pins((ROOT / "layers/gateway/requirements.txt").read_text().splitlines())["protobuf"].split(".")
    )
    assert runtime[0] == gencode[0]
    assert runtime >= gencode
