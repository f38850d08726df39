//! An authorizing Kafka node for the security tests: StandardAuthorizer with a SCRAM
//! super user, beside the secured node's SASL / TLS listeners ([`crate::kafka::Cluster::start_secured`]).
//!
//! PLAINTEXT stays the inter-broker and controller listener; its principal (ANONYMOUS) is a
//! super user so the node can talk to itself and the harness can set up topics. Everything a
//! test wants authorized goes through the SASL_PLAINTEXT listener as a SCRAM user, where
//! nobody but [`ADMIN`] may do anything no ACL grants (`allow.everyone.if.no.acl.found=false`).

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use rdkafka::config::ClientConfig;

use crate::kafka::{kafka_version, Cluster, ClusterSpec, HarnessError, SecuredCluster};

/// The SCRAM super user: (mechanism, name, password).
pub const ADMIN: (&str, &str, &str) = ("SCRAM-SHA-512", "admin", "admin-Pa55-512");

/// The authorizer settings appended to the secured node's config.
pub const AUTHORIZER_PROPERTIES: &str = "
############################# Authorizer (crate::authz) #############################
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
";

/// Starts one authorizing node in `data_dir`; the handle stops it when dropped.
pub fn start_authorizing(data_dir: impl Into<PathBuf>) -> Result<SecuredCluster, HarnessError> {
    Cluster::start_secured_inner(ClusterSpec::new(1, data_dir), false, AUTHORIZER_PROPERTIES, &[ADMIN])
}

/// One authorizing node per test process, started on first use and stopped (its temp dir
/// removed) by the harness's watchdog when the process exits.
pub fn test_authorizing_cluster() -> &'static SecuredCluster {
    static AUTHORIZING: OnceLock<Result<SecuredCluster, String>> = OnceLock::new();
    let cluster = AUTHORIZING.get_or_init(|| {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("kafkadesk-authz-{}-{}", std::process::id(), &id[..12]));
        let mut spec = ClusterSpec::new(1, dir);
        spec.watch_pid = Some(std::process::id());
        let started = Instant::now();
        eprintln!("[kafkadesk harness] starting an authorizing 1-node Kafka {}…", kafka_version());
        let result = Cluster::start_secured_inner(spec, true, AUTHORIZER_PROPERTIES, &[ADMIN]).map_err(|e| e.to_string());
        if let Ok(s) = &result {
            eprintln!("[kafkadesk harness] authorizing Kafka ready in {:.1} s: {:?}", started.elapsed().as_secs_f64(), s.listeners);
        }
        result
    });
    match cluster {
        Ok(c) => c,
        Err(e) => panic!("the authorizing test Kafka could not start:\n{e}"),
    }
}

/// Client settings for logging in to `cluster`'s SASL_PLAINTEXT listener as a SCRAM user.
pub fn scram_client(cluster: &SecuredCluster, mechanism: &str, user: &str, password: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", SecuredCluster::bootstrap(cluster.listeners.sasl_plaintext))
        .set("broker.address.family", "v4")
        .set("security.protocol", "SASL_PLAINTEXT")
        .set("sasl.mechanism", mechanism)
        .set("sasl.username", user)
        .set("sasl.password", password)
        .set("socket.connection.setup.timeout.ms", "5000")
        .set("reconnect.backoff.max.ms", "1000");
    cfg
}
