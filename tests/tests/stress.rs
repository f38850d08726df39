//! Disconnect during requests, many times over, on a cluster whose partition leader is
//! frozen (SIGSTOP): ListOffsets and consumer-group describes are in flight when the
//! connection closes. Nothing may crash, hang or touch freed memory: every close finishes
//! (the handles wait for requests librdkafka still holds) and the process lives on.
//!
//! `make test` runs a few rounds (`KAFKADESK_STRESS_ROUNDS`, default 12); `make stress`
//! runs 200 under valgrind, where any invalid read, write or free fails the run.
//! `KAFKADESK_STRESS_NODES=1` freezes a one-node cluster instead of one broker of three.

use std::time::{Duration, Instant};

use kafkadesk::kafka::{connection, groups, topics, ConnectedCluster, Connection};
use kafkadesk_tests::kafka::{Cluster as Kafka, ClusterSpec};

const PARTITIONS: i32 = 6;
/// Connections being closed at once, at most: keeps the thread count sane under valgrind.
const MAX_CLOSING: usize = 6;

async fn topic_and_group(bootstrap: &str) -> (String, String) {
    kafkadesk_tests::fixtures::unreplicated_topic_with_group(bootstrap, "stress", PARTITIONS, 1).await
}

/// The broker leading partition 0 of `topic`, from kcat's metadata.
fn leader_of(bootstrap: &str, topic: &str) -> i32 {
    let out = std::process::Command::new("kcat").args(["-b", bootstrap, "-L", "-t", topic, "-J"]).output().expect("kcat");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("kcat json");
    meta["topics"][0]["partitions"][0]["leader"].as_i64().expect("leader") as i32
}

fn signal(pid: u32, sig: i32) {
    // SAFETY: plain kill(2) on a child process of the harness.
    let rc = unsafe { libc::kill(i32::try_from(pid).expect("pid"), sig) };
    assert_eq!(rc, 0, "kill({pid}, {sig})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn disconnecting_during_requests_to_a_frozen_leader_never_crashes() {
    let rounds: usize = std::env::var("KAFKADESK_STRESS_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(12);
    // 3 nodes: metadata still answers while the leader is frozen; 1 node (a loaded machine
    // that cannot start 3): every request, the group describes included, hangs in flight.
    let nodes: usize = std::env::var("KAFKADESK_STRESS_NODES").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut kafka = Kafka::start(ClusterSpec::new(nodes, dir.path().join("kafka"))).expect("own cluster");
    let bootstrap = kafka.bootstrap();
    let (topic, group) = topic_and_group(&bootstrap).await;
    let frozen = leader_of(&bootstrap, &topic);
    let pid = kafka.node_pid(frozen).expect("leader pid");
    signal(pid, libc::SIGSTOP);

    let started = Instant::now();
    let mut tasks = Vec::new();
    for round in 0..rounds {
        while connection::closing_now() >= MAX_CLOSING {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let owner = ConnectedCluster::open(&Connection::plain("stress", &bootstrap)).expect("handles");
        let lease = owner.lease().expect("lease");
        let mut calls = Vec::new();
        {
            let (l, t) = (lease.clone(), topic.clone());
            calls.push(tokio::spawn(async move { topics::detail(&l, &t).await.map(|_| ()) }));
            let (l, g) = (lease.clone(), group.clone());
            calls.push(tokio::spawn(async move { groups::detail(&l, &g).await.map(|_| ()) }));
            let l = lease.clone();
            calls.push(tokio::spawn(async move { topics::list(&l).await.map(|_| ()) }));
        }
        drop(lease);
        // Close at a different moment of the requests each round (0 to 1.2 s in).
        tokio::time::sleep(Duration::from_millis((round as u64 * 397) % 1200)).await;
        owner.close();
        if round % 2 == 0 {
            // The commands' futures go away mid-request; their blocking work runs on.
            for call in &calls {
                call.abort();
            }
        }
        tasks.push(calls);
    }
    for calls in tasks {
        for call in calls {
            match tokio::time::timeout(Duration::from_secs(60), call).await {
                Ok(Ok(_answer)) => {}
                Ok(Err(e)) => assert!(e.is_cancelled(), "a request panicked: {e}"),
                Err(_) => panic!("a request ran past every deadline"),
            }
        }
    }
    let all_closed = tokio::task::spawn_blocking(|| connection::wait_all_closed(Duration::from_secs(90))).await.unwrap();
    eprintln!("stress: {rounds} disconnects during requests in {:.1} s", started.elapsed().as_secs_f64());
    signal(pid, libc::SIGCONT);
    assert!(all_closed, "{} closes never finished", connection::closing_now());
    kafka.stop();
}
