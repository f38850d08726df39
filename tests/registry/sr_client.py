"""Independent client for KafkaDesk's Schema Registry tests: confluent-kafka's own
Avro / Protobuf / JSON Schema serializers write records KafkaDesk must decode, and read
records KafkaDesk wrote. The test types live here and in tests/tests/integration/registry.rs.

usage: sr_client.py produce|consume KIND BOOTSTRAP REGISTRY_URL TOPIC [COUNT]
  produce: JSON records on stdin, one per line -> the topic (value; key = "k<n>")
  consume: COUNT records from the start of the topic -> stdout, one JSON object per line
"""
import datetime
import decimal
import faulthandler
import json
import sys
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

AVRO_SCHEMA = json.dumps({
    "type": "record", "name": "Order", "namespace": "shop",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "customer", "type": "string"},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "placed", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "ref", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "note", "type": ["null", "string"], "default": None},
        {"name": "state", "type": {"type": "enum", "name": "State", "symbols": ["NEW", "PAID"]}},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
    ],
})

JSON_SCHEMA = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Order", "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "customer": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}}},
    },
    "required": ["id", "customer"],
})


def proto_order_class():
    """shop.Order {int64 id; string customer; repeated Line lines; State state} with a nested
    Line {string sku; int32 qty} and an enum State {NEW; PAID}, built without protoc."""
    F = descriptor_pb2.FieldDescriptorProto
    fdp = descriptor_pb2.FileDescriptorProto(name="shop/order.proto", package="shop", syntax="proto3")
    order = fdp.message_type.add(name="Order")
    order.field.add(name="id", number=1, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL, json_name="id")
    order.field.add(name="customer", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="customer")
    order.field.add(name="lines", number=3, type=F.TYPE_MESSAGE, type_name=".shop.Order.Line", label=F.LABEL_REPEATED, json_name="lines")
    order.field.add(name="state", number=4, type=F.TYPE_ENUM, type_name=".shop.Order.State", label=F.LABEL_OPTIONAL, json_name="state")
    line = order.nested_type.add(name="Line")
    line.field.add(name="sku", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="sku")
    line.field.add(name="qty", number=2, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL, json_name="qty")
    state = order.enum_type.add(name="State")
    state.value.add(name="NEW", number=0)
    state.value.add(name="PAID", number=1)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.Order"))


def avro_in(r):
    r = dict(r)
    r["amount"] = decimal.Decimal(r["amount"])
    r["placed"] = datetime.datetime.fromisoformat(r["placed"].replace("Z", "+00:00"))
    r["day"] = datetime.date.fromisoformat(r["day"])
    r["ref"] = uuid.UUID(r["ref"])
    return r


def avro_out(r):
    r = dict(r)
    r["amount"] = str(r["amount"])
    placed = r["placed"].astimezone(datetime.timezone.utc)
    r["placed"] = placed.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (placed.microsecond // 1000)
    r["day"] = r["day"].isoformat()
    r["ref"] = str(r["ref"])
    return r


def proto_in(cls, r):
    m = cls(id=r["id"], customer=r["customer"], state=cls.State.Value(r["state"]))
    for line in r.get("lines", []):
        m.lines.add(sku=line["sku"], qty=line["qty"])
    return m


def proto_out(cls, m):
    return {"id": m.id, "customer": m.customer, "lines": [{"sku": l.sku, "qty": l.qty} for l in m.lines],
            "state": cls.State.Name(m.state)}


def main():
    # Before the harness gives up (180 s), say where it is stuck and stop.
    faulthandler.dump_traceback_later(150, exit=True)
    action, kind, bootstrap, url, topic = sys.argv[1:6]
    # Bounded: without "timeout" the client waits on the registry forever.
    sr = SchemaRegistryClient({"url": url, "timeout": 30})
    ctx = SerializationContext(topic, MessageField.VALUE)
    proto_cls = proto_order_class() if kind == "protobuf" else None
    if action == "produce":
        if kind == "avro":
            ser, conv = AvroSerializer(sr, AVRO_SCHEMA), avro_in
        elif kind == "json":
            ser, conv = JSONSerializer(JSON_SCHEMA, sr), lambda r: r
        else:
            ser, conv = ProtobufSerializer(proto_cls, sr, {"use.deprecated.format": False}), lambda r: proto_in(proto_cls, r)
        p = Producer({"bootstrap.servers": bootstrap})
        for n, line in enumerate(l for l in sys.stdin if l.strip()):
            p.produce(topic, key=("k%d" % n).encode(), value=ser(conv(json.loads(line)), ctx))
        left = p.flush(30)
        if left:
            sys.exit("%d records not delivered" % left)
        return
    count = int(sys.argv[6])
    if kind == "avro":
        de, conv = AvroDeserializer(sr), avro_out
    elif kind == "json":
        de, conv = JSONDeserializer(JSON_SCHEMA), lambda r: r
    else:
        de, conv = ProtobufDeserializer(proto_cls, {"use.deprecated.format": False}), lambda m: proto_out(proto_cls, m)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "sr-client-" + uuid.uuid4().hex,
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    got, deadline = 0, datetime.datetime.now() + datetime.timedelta(seconds=60)
    while got < count and datetime.datetime.now() < deadline:
        m = c.poll(0.5)
        if m is None or m.error():
            continue
        print(json.dumps(conv(de(m.value(), ctx)), sort_keys=True), flush=True)
        got += 1
    c.close()
    if got < count:
        sys.exit("read %d of %d records" % (got, count))


if __name__ == "__main__":
    main()
