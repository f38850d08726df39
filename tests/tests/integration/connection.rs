//! The connection's owner and the offsets module against real brokers: a leader killed in
//! the middle of a refresh leaves its partitions unknown (never -1001, never 0) and the
//! refresh prompt; a dead broker never makes the cluster "unreachable" while others answer;
//! closing a connection stops its sessions and jobs and refuses new requests.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::messages::browse::{self, BrowseRequest, SessionState, StartAt, StopAt};
use kafkadesk::kafka::{connection, groups, topics, ConnectedCluster, Connection};
use kafkadesk_tests::kafka::{test_cluster, unique_topic, Cluster as Kafka, ClusterSpec};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;

use crate::connect;

const PARTITIONS: i32 = 6;
const PER_PARTITION: i64 = 3;

fn config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap).set("broker.address.family", "v4");
    cfg
}

async fn topic_and_group(bootstrap: &str) -> (String, String) {
    kafkadesk_tests::fixtures::unreplicated_topic_with_group(bootstrap, "conn-offsets", PARTITIONS, PER_PARTITION).await
}

fn signal(pid: u32, sig: i32) {
    // SAFETY: plain kill(2) on a child process of the harness.
    assert_eq!(unsafe { libc::kill(i32::try_from(pid).expect("pid"), sig) }, 0);
}

// A replication-1 partition cannot move to a live leader, so its offsets are unknown until
// the leader is back. The victim is not the group's coordinator: losing the coordinator is
// another failure (the group cannot be read until its offsets partition fails over).
#[tokio::test(flavor = "multi_thread")]
async fn a_leader_killed_mid_refresh_leaves_its_partitions_unknown_and_the_refresh_prompt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut kafka = Kafka::start(ClusterSpec::new(3, dir.path().join("kafka"))).expect("own cluster");
    let bootstrap = kafka.bootstrap();
    let (topic, group) = topic_and_group(&bootstrap).await;
    let cluster = connect(&bootstrap);
    let before = topics::detail(&cluster, &topic).await.expect("detail");
    assert_eq!(before.messages, Some((PARTITIONS as i64 * PER_PARTITION) as f64));
    let coordinator = groups::detail(&cluster, &group).await.expect("group detail").coordinator_id;
    let victim = before.partitions.iter().filter_map(|p| p.leader).find(|l| Some(*l) != coordinator).expect("a leader that is not the coordinator");
    let lost: Vec<i32> = before.partitions.iter().filter(|p| p.leader == Some(victim)).map(|p| p.partition).collect();

    // Freeze the leader so the next refresh is in flight towards it, then kill it mid-call.
    let pid = kafka.node_pid(victim).expect("pid");
    signal(pid, libc::SIGSTOP);
    let started = Instant::now();
    let call = {
        let (c, t) = (cluster.clone(), topic.clone());
        tokio::spawn(async move { topics::detail(&c, &t).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    kafka.kill_node(victim).expect("kill -9 the frozen leader");
    let during = call.await.unwrap().expect("the refresh answers while a broker is down");
    let took = started.elapsed();
    eprintln!("refresh with the leader killed mid-call: {} ms", took.as_millis());
    for p in &during.partitions {
        if lost.contains(&p.partition) {
            assert_eq!((p.low, p.high, p.messages), (None, None, None), "dead leader's partition must be unknown: {p:?}");
        } else {
            assert_eq!((p.low, p.high), (Some(0.0), Some(PER_PARTITION as f64)), "{p:?}");
        }
    }
    assert_eq!(during.messages, None, "a total over unknown partitions is unknown, not a smaller number");
    assert!(during.watermarks_error.as_deref().is_some_and(|e| e.contains("unknown")), "{:?}", during.watermarks_error);
    // Bounded well below the 8-9 s a refresh took before: at worst the metadata's first try
    // went to the frozen leader (2 s), then ListOffsets to it (1.5 s), plus slack.
    assert!(took < Duration::from_secs(5), "the refresh took {took:?}");

    // Later refreshes: prompt, never "unreachable" while two brokers answer.
    for _ in 0..3 {
        let started = Instant::now();
        let list = topics::list(&cluster).await.expect("the list answers with a broker down");
        let took = started.elapsed();
        eprintln!("topics list with one broker of three down: {} ms", took.as_millis());
        assert!(took < Duration::from_millis(2500), "the refresh took {took:?}");
        let row = list.topics.iter().find(|t| t.name == topic).expect("topic listed");
        assert_eq!(row.messages, None);
    }
    let fresh = connect(&bootstrap);
    let err = topics::list(&fresh).await.err();
    assert!(err.as_ref().is_none_or(|e| e.kind != ErrorKind::Unreachable), "unreachable while two brokers answer: {err:?}");

    // Lag over unknown log ends is unknown; the others are exact; a reset plan refuses.
    let detail = groups::detail(&cluster, &group).await.expect("group detail");
    for row in &detail.partitions {
        if lost.contains(&row.partition) {
            assert_eq!((row.log_end, row.lag), (None, None), "{row:?}");
        } else {
            assert_eq!((row.log_end, row.lag), (Some(PER_PARTITION), Some(PER_PARTITION - 1)), "{row:?}");
        }
    }
    assert_eq!(detail.total_lag, None);
    kafka.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_a_connection_stops_its_sessions_and_jobs_and_refuses_new_requests() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("conn-close");
    let admin: AdminClient<DefaultClientContext> = config(&bootstrap).create().expect("admin client");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    for r in admin.create_topics([&NewTopic::new(&topic, 1, TopicReplication::Fixed(3))], &opts).await.unwrap() {
        r.unwrap_or_else(|(t, code)| panic!("creating {t}: {code}"));
    }
    let owner = ConnectedCluster::open(&Connection::plain("close-test", &bootstrap)).expect("handles");
    let lease = owner.lease().expect("lease");
    let request = BrowseRequest {
        topic: topic.clone(),
        start: StartAt::Earliest,
        stop: StopAt::Follow,
        partitions: None,
        filter: None,
        max_messages: None,
        max_mib: None,
    };
    let mut started = None;
    let deadline = Instant::now() + Duration::from_secs(20);
    while started.is_none() {
        match browse::start(&lease, "follow".into(), request.clone()).await {
            Ok(s) => started = Some(s),
            Err(e) if Instant::now() < deadline => eprintln!("browse not ready yet: {}", e.message),
            Err(e) => panic!("browse: {e:?}"),
        }
    }
    let session = started.expect("session");
    owner.registry().add_session(session.clone()).expect("registered");
    let job = owner.registry().start_job("job-1").expect("job");
    assert_eq!(session.status().unwrap().state, SessionState::Running);

    let closing = owner.close();
    assert!(job.load(Ordering::Relaxed), "the connection's jobs are cancelled at once");
    assert_eq!(owner.lease().err().expect("refused").kind, ErrorKind::NotFound);
    let deadline = Instant::now() + Duration::from_secs(5);
    while session.status().unwrap().state == SessionState::Running {
        assert!(Instant::now() < deadline, "the Follow session outlived its connection");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(session.status().unwrap().state, SessionState::Stopped);
    // The running request's lease still works; the close waits for it, then finishes.
    assert!(topics::list(&lease).await.is_ok());
    drop(lease);
    assert!(closing.finished(Duration::from_secs(15)).await, "the close finishes once the lease is back");
    assert!(tokio::task::spawn_blocking(|| connection::wait_all_closed(Duration::from_secs(30))).await.unwrap());
}
