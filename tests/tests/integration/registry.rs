//! Schema Registry against a real registry (Apicurio, Confluent-compatible API) and real
//! Kafka, with Python confluent-kafka's serializers as the independent writer and reader:
//! what they write KafkaDesk decodes field for field (browse, filter, whole-topic search,
//! export); what KafkaDesk writes they read back field for field; the registry's own
//! refusals and every kind of bad input come back as clear errors and lose nothing.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::messages::browse::{self, BrowseRequest, Session, StartAt, StopAt};
use kafkadesk::kafka::messages::codec::{DecodeAs, InputFormat, Shown};
use kafkadesk::kafka::messages::filter::Filter;
use kafkadesk::kafka::messages::produce::{self, FileFormat, FileProduceRequest, ProduceRequest};
use kafkadesk::kafka::messages::{self, export};
use kafkadesk::kafka::Write;
use kafkadesk::registry::codec::SchemaKind;
use kafkadesk::registry::encoder::{Encoder, SchemaChoice};
use kafkadesk::registry::settings::{RegistryAuth, RegistrySettings, RegistryTls};
use kafkadesk::registry::subjects::{self, DiffChange, NewSchema};
use kafkadesk::registry::{Decoder, RegistryClient};
use kafkadesk_tests::kafka::{test_cluster, unique_topic};
use kafkadesk_tests::registry::{sr_client, test_registry};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use serde_json::{json, Value};

use crate::{connect, wait_done};

fn settings(url: &str) -> RegistrySettings {
    RegistrySettings { urls: vec![url.to_string()], auth: RegistryAuth::None, username: None, tls: RegistryTls::default(), secret_fields: vec![] }
}

fn client(url: &str) -> Arc<RegistryClient> {
    Arc::new(RegistryClient::new(&settings(url), &BTreeMap::new()).expect("registry client"))
}

fn decoder(url: &str, topic: &str) -> Decoder {
    Decoder::new(topic, Some((client(url), tokio::runtime::Handle::current())), None, None).expect("decoder")
}

async fn create_topic(bootstrap: &str, topic: &str) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("admin");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    for r in admin.create_topics([&NewTopic::new(topic, 1, TopicReplication::Fixed(3))], &opts).await.expect("create") {
        r.expect("topic created");
    }
}

async fn browse(cluster: &Write, topic: &str, filter: Option<Filter>, decoder: Option<Decoder>) -> Arc<Session> {
    let request = BrowseRequest {
        topic: topic.into(),
        start: StartAt::Earliest,
        stop: StopAt::Now,
        partitions: None,
        filter,
        max_messages: None,
        max_mib: None,
    };
    let session = browse::start_with(cluster.cluster(), unique_topic("s"), request, decoder, Box::new(|_| {})).await.expect("browse");
    wait_done(&session).await;
    session
}

/// Every value as the table shows it, through the decoder (off the async threads, as the app does).
async fn shown_values(session: &Arc<Session>) -> Vec<(Shown, String, Option<String>, Option<String>)> {
    let s = Arc::clone(session);
    tokio::task::spawn_blocking(move || {
        let w = s.window(0, 1000, DecodeAs::Auto, DecodeAs::Auto).expect("window");
        w.rows
            .iter()
            .map(|r| {
                let d = s.detail(r.seq, DecodeAs::Auto, DecodeAs::Auto, true).expect("detail");
                (d.value.shown, d.value.text, d.value.schema.and_then(|t| t.subject), d.value.note)
            })
            .collect()
    })
    .await
    .expect("join")
}

fn avro_records() -> Vec<Value> {
    vec![
        json!({"id": 1, "customer": "ana", "amount": "12.30", "placed": "2024-02-29T13:14:15.123Z", "ref": "123e4567-e89b-12d3-a456-426614174000", "day": "2024-02-29", "note": null, "state": "NEW", "tags": ["a"]}),
        json!({"id": 2, "customer": "bo", "amount": "-0.05", "placed": "1999-12-31T23:59:59.999Z", "ref": "00000000-0000-4000-8000-000000000001", "day": "1999-12-31", "note": "gift", "state": "PAID", "tags": []}),
        json!({"id": 3, "customer": "cy", "amount": "99999999.99", "placed": "2030-01-01T00:00:00.000Z", "ref": "ffffffff-ffff-4fff-bfff-ffffffffffff", "day": "2030-01-01", "note": null, "state": "PAID", "tags": ["x", "y"]}),
    ]
}

fn proto_records() -> Vec<Value> {
    vec![
        json!({"id": 10, "customer": "ana", "lines": [{"sku": "s-1", "qty": 2}], "state": "PAID"}),
        json!({"id": 11, "customer": "bo", "lines": [], "state": "NEW"}),
    ]
}

fn json_records() -> Vec<Value> {
    vec![json!({"id": 20, "customer": "ana", "items": [{"sku": "a", "qty": 1}]}), json!({"id": 21, "customer": "bo", "items": []})]
}

fn lines(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn confluent_records_are_decoded_field_for_field_searched_and_exported() {
    let Some(url) = test_registry() else { return };
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    for (kind, records) in [("avro", avro_records()), ("protobuf", proto_records()), ("json", json_records())] {
        let topic = unique_topic(&format!("sr-{kind}"));
        create_topic(&bootstrap, &topic).await;
        sr_client(&["produce", kind, &bootstrap, &url, &topic], &lines(&records)).expect("confluent producer");

        // Field for field: the decoded JSON is the record the serializer was given.
        let session = browse(&cluster, &topic, None, Some(decoder(&url, &topic))).await;
        let shown = shown_values(&session).await;
        assert_eq!(shown.len(), records.len(), "{kind}");
        for ((how, text, subject, note), want) in shown.iter().zip(&records) {
            assert_eq!((*how, note), (Shown::Json, &None), "{kind}: {text}");
            let got: Value = serde_json::from_str(text).expect("decoded JSON");
            assert_eq!(&got, want, "{kind}");
            assert_eq!(subject.as_deref(), Some(format!("{topic}-value").as_str()), "{kind}");
        }

        // Filters see the decoded JSON: contains, regex and JSON pointer.
        let cancel = AtomicBool::new(false);
        let by_contains = Filter { value_contains: Some("\"customer\":\"bo\"".into()), ..Default::default() };
        assert_eq!(messages::apply_filter(&session, &by_contains, &cancel, |_| {}).expect("filter"), 1, "{kind}");
        let by_pointer = Filter { json_pointer: Some("/customer".into()), json_equals: Some("ana".into()), ..Default::default() };
        let s = Arc::clone(&session);
        let n = tokio::task::spawn_blocking(move || messages::apply_filter(&s, &by_pointer, &AtomicBool::new(false), |_| {})).await.unwrap().unwrap();
        assert_eq!(n, 1, "{kind}");

        // Whole-topic search decodes as it reads.
        let search = Filter { regex: Some("\"customer\":\"(ana|cy)\"".into()), ..Default::default() };
        let found = browse(&cluster, &topic, Some(search), Some(decoder(&url, &topic))).await;
        let want = records.iter().filter(|r| r["customer"] == "ana" || r["customer"] == "cy").count();
        assert_eq!(found.status().unwrap().stored as usize, want, "{kind}");

        // Export writes the decoded JSON and names the schema.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl").to_string_lossy().to_string();
        let all = browse(&cluster, &topic, None, Some(decoder(&url, &topic))).await;
        let (a, p) = (Arc::clone(&all), path.clone());
        tokio::task::spawn_blocking(move || export::export(&a, &p, export::ExportFormat::Jsonl, &AtomicBool::new(false), |_| {}))
            .await
            .unwrap()
            .expect("export");
        let exported: Vec<Value> = std::fs::read_to_string(&path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let values: Vec<&Value> = exported.iter().map(|l| &l["value"]).collect();
        assert_eq!(values, records.iter().collect::<Vec<_>>(), "{kind}");
        assert_eq!(exported[0]["valueSchema"]["subject"], json!(format!("{topic}-value")), "{kind}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn records_kafkadesk_writes_are_read_back_by_confluent_field_for_field() {
    let Some(url) = test_registry() else { return };
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    let registry = client(&url);
    for (kind, records) in [("avro", avro_records()), ("protobuf", proto_records()), ("json", json_records())] {
        let topic = unique_topic(&format!("sr-out-{kind}"));
        create_topic(&bootstrap, &topic).await;
        // The serializer registers its schema under <topic>-value; KafkaDesk writes with it.
        sr_client(&["produce", kind, &bootstrap, &url, &topic], &lines(&records[..1])).expect("confluent producer");
        let choice = SchemaChoice { subject: format!("{topic}-value"), version: None, message: None };
        let encoder = Encoder::resolve(&registry, None, Some(&choice)).await.expect("resolve");
        for r in &records {
            let request = ProduceRequest { topic: topic.clone(), key: Some("k".into()), value: Some(r.to_string()), value_format: InputFormat::Json, value_schema: Some(choice.clone()), ..Default::default() };
            produce::produce_job(&cluster, request, Some(&encoder), Arc::new(AtomicBool::new(false)), |_| {}).await.expect("produce with schema");
        }
        // And bulk: a JSONL file of records, encoded line by line.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bulk.jsonl");
        std::fs::write(&file, records.iter().map(|r| format!("{{\"key\":\"b\",\"value\":{r}}}\n")).collect::<String>()).unwrap();
        let request = FileProduceRequest { topic: topic.clone(), path: file.to_string_lossy().into(), format: FileFormat::Jsonl };
        let report = produce::produce_file_with(&cluster, request, Some(Arc::new(encoder)), Arc::new(AtomicBool::new(false)), |_| {})
            .await
            .expect("bulk with schema");
        assert_eq!(report.sent, records.len() as u64, "{kind}");

        let total = 1 + 2 * records.len();
        let out = sr_client(&["consume", kind, &bootstrap, &url, &topic, &total.to_string()], "").expect("confluent consumer");
        let got: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let mut want = vec![records[0].clone()];
        want.extend(records.iter().cloned());
        want.extend(records.iter().cloned());
        let normalise = |v: &Value| serde_json::to_string(v).unwrap();
        assert_eq!(got.iter().map(normalise).collect::<Vec<_>>(), want.iter().map(|v| normalise(&sorted(v))).collect::<Vec<_>>(), "{kind}");
    }
}

/// Python prints with sorted keys; so does this.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), sorted(v))).collect::<BTreeMap<_, _>>().into_iter().collect()),
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn compatibility_checks_registers_diffs_and_deletes_against_the_registry() {
    let Some(url) = test_registry() else { return };
    let c = client(&url);
    let subject = unique_topic("sr-compat");
    let v1 = r#"{"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}"#;
    let with_default = r#"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"email","type":"string","default":""}]}"#;
    let without_default = r#"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"age","type":"int"}]}"#;
    let new = |schema: &str| NewSchema { subject: subject.clone(), kind: SchemaKind::Avro, schema: schema.into(), references: vec![] };

    let id1 = subjects::register(&c, &new(v1)).await.expect("register v1");
    assert_eq!(c.set_compatibility(Some(&subject), "BACKWARD").await.expect("set"), "BACKWARD");
    assert_eq!(c.compatibility(Some(&subject)).await.expect("read").as_deref(), Some("BACKWARD"));

    let bad = subjects::check(&c, &new(without_default)).await.expect("check");
    assert!(bad.syntax_ok && !bad.compatible, "{bad:?}");
    let refused = subjects::register(&c, &new(without_default)).await.expect_err("incompatible register refused");
    assert_eq!(refused.kind, ErrorKind::InvalidInput, "{refused:?}");
    assert!(refused.message.starts_with("The Schema Registry refused it"), "{}", refused.message);

    let good = subjects::check(&c, &new(with_default)).await.expect("check");
    assert!(good.compatible, "{good:?}");
    let id2 = subjects::register(&c, &new(with_default)).await.expect("register v2");
    assert_ne!(id1, id2);

    let detail = subjects::detail(&c, &subject, None).await.expect("detail");
    assert_eq!(detail.versions, vec![1, 2]);
    let rows = subjects::diff_versions(&c, &subject, 1, 2).await.expect("diff");
    assert!(rows.iter().any(|r| r.change != DiffChange::Same && r.right.as_deref().is_some_and(|l| l.contains("email"))), "{rows:?}");

    // Syntax errors are caught before the registry is asked.
    let syntax = subjects::check(&c, &new("{\"type\":\"record\"")).await.expect("check");
    assert!(!syntax.syntax_ok && syntax.messages[0].contains("Avro"), "{syntax:?}");

    c.delete(&subject, Some(2), false).await.expect("soft delete v2");
    assert_eq!(c.versions(&subject).await.expect("versions"), vec![1]);
    c.delete(&subject, None, false).await.expect("soft delete subject");
    c.delete(&subject, None, true).await.expect("hard delete subject");
    assert_eq!(c.versions(&subject).await.expect_err("gone").kind, ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_clear_errors_and_the_browse_goes_on() {
    let Some(url) = test_registry() else { return };
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    let c = client(&url);
    let topic = unique_topic("sr-bad");
    create_topic(&bootstrap, &topic).await;
    sr_client(&["produce", "avro", &bootstrap, &url, &topic], &lines(&avro_records()[..1])).expect("confluent producer");

    // A record that does not fit names the field path and the type expected.
    let choice = SchemaChoice { subject: format!("{topic}-value"), version: None, message: None };
    let encoder = Encoder::resolve(&c, None, Some(&choice)).await.expect("resolve");
    let mut wrong = avro_records()[0].clone();
    wrong["id"] = json!("seven");
    let request = ProduceRequest { topic: topic.clone(), value: Some(wrong.to_string()), value_format: InputFormat::Json, value_schema: Some(choice.clone()), ..Default::default() };
    let e = produce::produce_job(&cluster, request, Some(&encoder), Arc::new(AtomicBool::new(false)), |_| {}).await.expect_err("does not fit");
    assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("value")));
    assert!(e.message.contains("/id: expected a long"), "{}", e.message);

    // An unknown subject names the field.
    let unknown = SchemaChoice { subject: "no-such-subject-value".into(), version: None, message: None };
    let e = Encoder::resolve(&c, None, Some(&unknown)).await.err().expect("unknown subject");
    assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("valueSchema")), "{e:?}");

    // A bulk file with one bad line sends nothing.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bulk.jsonl");
    std::fs::write(&file, format!("{{\"value\":{}}}\n{{\"value\":{wrong}}}\n", avro_records()[1])).unwrap();
    let request = FileProduceRequest { topic: topic.clone(), path: file.to_string_lossy().into(), format: FileFormat::Jsonl };
    let e = produce::produce_file_with(&cluster, request, Some(Arc::new(encoder)), Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .expect_err("all or nothing");
    assert!(e.message.contains("Line 2") && e.message.contains("/id"), "{}", e.message);

    // Unknown schema id and bytes that do not fit: a note per message, raw bytes kept.
    let producer: rdkafka::producer::FutureProducer = ClientConfig::new().set("bootstrap.servers", &bootstrap).create().unwrap();
    for payload in [vec![0u8, 0x7f, 0xff, 0xff, 0xff, 1, 2], {
        let mut p = vec![0u8];
        p.extend_from_slice(&c.version(&format!("{topic}-value"), "latest").await.unwrap().id.to_be_bytes());
        p.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        p
    }] {
        producer
            .send(rdkafka::producer::FutureRecord::<(), [u8]>::to(&topic).payload(&payload[..]), Duration::from_secs(10))
            .await
            .expect("raw send");
    }
    let session = browse(&cluster, &topic, None, Some(decoder(&url, &topic))).await;
    let shown = shown_values(&session).await;
    assert_eq!(shown.len(), 3);
    assert_eq!(shown[0].0, Shown::Json);
    assert_eq!(shown[1].0, Shown::Hex);
    assert!(shown[1].3.as_deref().is_some_and(|n| n.contains("2147483647") && n.contains("not in the Schema Registry")), "{:?}", shown[1]);
    assert!(shown[2].3.as_deref().is_some_and(|n| n.contains("do not fit")), "{:?}", shown[2]);

    // The registry gone mid-browse: decoding says so, per message, quickly; the rows stay.
    let down = Decoder::new(&topic, Some((client("http://127.0.0.1:9"), tokio::runtime::Handle::current())), None, None).unwrap();
    let started = Instant::now();
    let session = browse(&cluster, &topic, None, Some(down)).await;
    let shown = shown_values(&session).await;
    assert_eq!(shown.len(), 3);
    assert!(shown.iter().all(|s| s.3.as_deref().is_some_and(|n| n.contains("Could not reach the Schema Registry"))), "{shown:?}");
    assert!(started.elapsed() < Duration::from_secs(30), "one failed lookup, not one per message");
}
