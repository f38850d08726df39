//! Bad input from the webview against a real cluster: each call answers at once with an
//! error naming its field, panics nowhere, echoes nothing huge back, leaves no file behind,
//! and a long job stops when cancelled. Each test failed before its fix (issue 9).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafkadesk::error::{Error, ErrorKind, MAX_ERROR_TEXT};
use kafkadesk::kafka::messages::browse::{self, BrowseRequest, SessionState, StartAt, StopAt};
use kafkadesk::kafka::messages::codec::InputFormat;
use kafkadesk::kafka::messages::produce::{self, FileFormat, FileProduceRequest, ProduceRequest};
use kafkadesk::kafka::messages::{self, export};
use kafkadesk::kafka::topics::{self, NewTopicRequest};
use kafkadesk::kafka::Write;
use kafkadesk_tests::kafka::{test_cluster, unique_topic};

use crate::connect;

/// A topic with `partitions` partitions, created through the app and ready to serve.
async fn topic(cluster: &Write, prefix: &str, partitions: i32) -> String {
    let name = unique_topic(prefix);
    let request = NewTopicRequest { name: name.clone(), partitions, replication_factor: 3, configs: vec![], validate_only: false };
    topics::create(cluster, request).await.expect("topic created");
    name
}

/// Messages in `topic`, from the watermarks an independent client reads.
fn message_count(topic: &str, partitions: i32) -> u64 {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    let consumer: BaseConsumer = rdkafka::config::ClientConfig::new()
        .set("bootstrap.servers", test_cluster().bootstrap())
        .create()
        .expect("consumer");
    (0..partitions)
        .map(|p| {
            let (low, high) = consumer.fetch_watermarks(topic, p, Duration::from_secs(10)).expect("watermarks");
            u64::try_from(high - low).unwrap_or(0)
        })
        .sum()
}

fn assert_field<T>(result: Result<T, Error>, kind: ErrorKind, field: &str) -> Error {
    let Err(e) = result else { panic!("expected a {kind:?} error on {field}, got success") };
    assert_eq!((e.kind, e.detail.as_deref()), (kind, Some(field)), "{e:?}");
    e
}

fn text(value: &str) -> ProduceRequest {
    ProduceRequest { topic: String::new(), value: Some(value.into()), value_format: InputFormat::Text, ..Default::default() }
}

/// The rdkafka crate panics on topic names over 512 bytes; every messages call that takes
/// a topic refuses such a name first, naming the field, and a 10 MB name is not echoed.
#[tokio::test]
async fn over_long_topic_names_are_refused_before_librdkafka() {
    let cluster = connect(&test_cluster().bootstrap());
    for name in ["t".repeat(600), "t".repeat(250), "x".repeat(10 << 20)] {
        let e = assert_field(produce::produce(&cluster, ProduceRequest { topic: name.clone(), ..text("v") }).await, ErrorKind::InvalidInput, "topic");
        assert!(e.message.len() <= MAX_ERROR_TEXT + 4, "message of {} bytes", e.message.len());
        assert_field(messages::key_partition(&cluster, &name, "k", InputFormat::Text).await, ErrorKind::InvalidInput, "topic");
        let browse = BrowseRequest {
            topic: name.clone(),
            start: StartAt::Earliest,
            stop: StopAt::Now,
            partitions: None,
            filter: None,
            max_messages: None,
            max_mib: None,
        };
        assert_field(browse::start(&cluster, "s".into(), browse).await, ErrorKind::InvalidInput, "topic");
        let file = FileProduceRequest { topic: name.clone(), path: "/dev/null".into(), format: FileFormat::Lines };
        let never = Arc::new(AtomicBool::new(false));
        assert_field(produce::produce_file(&cluster, file, never, |_| {}).await, ErrorKind::InvalidInput, "topic");
    }
}

/// A folder answers every read with EISDIR: the check loop used to count that as one more
/// bad line forever, at 100% of a core, deaf to cancel.
#[tokio::test]
async fn producing_a_folder_answers_at_once() {
    let cluster = connect(&test_cluster().bootstrap());
    let name = topic(&cluster, "hard-dir", 1).await;
    let folder = tempfile::tempdir().expect("temp dir");
    let request = FileProduceRequest { topic: name, path: folder.path().display().to_string(), format: FileFormat::Jsonl };
    let never = Arc::new(AtomicBool::new(false));
    let answer = tokio::time::timeout(Duration::from_secs(15), produce::produce_file(&cluster, request, never, |_| {})).await;
    let e = assert_field(answer.expect("an answer, not a hang"), ErrorKind::InvalidInput, "path");
    assert!(e.message.contains("folder"), "{}", e.message);
}

/// Cancel reaches the check of a file too: nothing is sent and the job says Cancelled.
#[tokio::test]
async fn a_cancelled_file_job_sends_nothing() {
    let cluster = connect(&test_cluster().bootstrap());
    let name = topic(&cluster, "hard-cancel-file", 1).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("many.jsonl");
    let lines: String = (0..200_000).map(|i| format!("{{\"key\":\"k{i}\",\"value\":{i}}}\n")).collect();
    std::fs::write(&path, lines).expect("file written");
    let cancel = Arc::new(AtomicBool::new(true));
    let request = FileProduceRequest { topic: name.clone(), path: path.display().to_string(), format: FileFormat::Jsonl };
    let e = produce::produce_file(&cluster, request, cancel, |_| {}).await.expect_err("cancelled");
    assert_eq!(e.kind, ErrorKind::Cancelled, "{e:?}");
    assert_eq!(message_count(&name, 1), 0, "nothing may be sent once cancelled");
}

/// The copies of one message are bounded like the form bounds them, and a big send is a
/// job that stops on cancel, having sent (and counted) only what it sent.
#[tokio::test]
async fn copies_are_bounded_and_cancellable() {
    let cluster = connect(&test_cluster().bootstrap());
    let name = topic(&cluster, "hard-copies", 3).await;
    let huge = ProduceRequest { topic: name.clone(), count: Some(1_000_000_000), ..text("v") };
    let started = Instant::now();
    assert_field(produce::produce(&cluster, huge).await, ErrorKind::InvalidInput, "count");
    assert!(started.elapsed() < Duration::from_secs(5));

    let cancel = Arc::new(AtomicBool::new(false));
    let trip = Arc::clone(&cancel);
    let request = ProduceRequest { topic: name.clone(), count: Some(1_000_000), ..text("a message worth cancelling") };
    let report = produce::produce_job(&cluster, request, None, cancel, move |p| {
        if p.sent > 0 {
            trip.store(true, Ordering::Relaxed);
        }
    })
    .await
    .expect("a report");
    assert!(report.cancelled, "{report:?}");
    assert!(report.sent > 0 && report.sent < 1_000_000, "{report:?}");
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(message_count(&name, 3), report.sent, "the topic holds exactly what the report counts");
}

/// Export to a folder used to fail as `Internal` and leave `<folder>.partial` behind.
#[tokio::test]
async fn exporting_to_a_folder_is_refused_and_leaves_nothing() {
    let cluster = connect(&test_cluster().bootstrap());
    let name = topic(&cluster, "hard-export", 1).await;
    produce::produce(&cluster, ProduceRequest { topic: name.clone(), count: Some(3), ..text("v") }).await.expect("sent");
    let request = BrowseRequest {
        topic: name,
        start: StartAt::Earliest,
        stop: StopAt::Now,
        partitions: None,
        filter: None,
        max_messages: None,
        max_mib: None,
    };
    let session = browse::start(&cluster, unique_topic("s"), request).await.expect("browse");
    let deadline = Instant::now() + Duration::from_secs(30);
    while session.status().expect("status").state == SessionState::Running {
        assert!(Instant::now() < deadline, "the session never finished");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let parent = tempfile::tempdir().expect("temp dir");
    let folder = parent.path().join("exports");
    std::fs::create_dir(&folder).expect("folder");
    let never = AtomicBool::new(false);
    let e = assert_field(
        export::export(&session, &folder.display().to_string(), export::ExportFormat::Jsonl, &never, |_| {}),
        ErrorKind::InvalidInput,
        "path",
    );
    assert!(e.message.contains("folder"), "{}", e.message);
    let left: Vec<_> = std::fs::read_dir(parent.path()).expect("list").flatten().map(|e| e.file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("exports")], "nothing but the folder itself");
    session.stop();
}

/// KRaft refuses a request creating too many partitions with POLICY_VIOLATION; that is the
/// partition count's fault, not the configs' (none were given). Validate-only: nothing is made.
#[tokio::test]
async fn a_policy_refusal_names_the_partitions() {
    let cluster = connect(&test_cluster().bootstrap());
    let request = NewTopicRequest {
        name: unique_topic("hard-policy"),
        partitions: 20_000,
        replication_factor: 1,
        configs: vec![],
        validate_only: true,
    };
    let e = assert_field(topics::create(&cluster, request).await, ErrorKind::InvalidInput, "partitions");
    assert!(e.message.contains("20000"), "{}", e.message);
}
