//! The wire client (`kafka/wire/`) against the real secured broker: it opens, negotiates
//! and authenticates with each profile security mode, and each misconfiguration comes back
//! as its own error kind, within its bound.

use std::time::{Duration, Instant};

use kafkadesk::error::{Error, ErrorKind};
use kafkadesk::kafka::quorum;
use kafkadesk::kafka::wire::BrokerLink;
use kafkadesk::kafka::Connection;
use kafkadesk::profiles::{ProfileInput, SaslMechanism, SecurityProtocol};
use kafkadesk_tests::kafka::{test_secured_cluster, SecuredCluster};

use crate::profiles::{base, true_controller_id, with_ca, with_sasl};

const BOUND: Duration = Duration::from_secs(5);
/// DescribeQuorum's API key.
const DESCRIBE_QUORUM: i16 = 55;

fn connection(input: ProfileInput) -> Connection {
    let v = input.validate("wire", None).expect("valid input");
    Connection::from_profile(&v.profile, &v.set_secrets).expect("connection")
}

fn open(input: ProfileInput) -> Result<BrokerLink, Error> {
    let conn = connection(input);
    let (host, port) = conn.bootstrap_servers.rsplit_once(':').expect("host:port");
    let started = Instant::now();
    let link = BrokerLink::open(&conn, host, port.parse().expect("port"), BOUND);
    assert!(started.elapsed() < BOUND + Duration::from_secs(1), "took {:?}", started.elapsed());
    link
}

fn refused(input: ProfileInput, kind: ErrorKind, says: &str, mode: &str) {
    let e = open(input).err().unwrap_or_else(|| panic!("{mode}: opened, expected {kind:?}"));
    assert_eq!(e.kind, kind, "{mode}: {e:?}");
    assert!(e.message.to_lowercase().contains(says), "{mode}: {:?} should say {says:?} ({:?})", e.message, e.detail);
}

#[test]
fn the_wire_client_knows_the_controller_in_every_security_mode() {
    let s = test_secured_cluster();
    let l = &s.listeners;
    let ca = &s.tls.ca;
    let mut mtls = with_ca(base("mtls", l.mtls, SecurityProtocol::Ssl), ca);
    if let Some(tls) = mtls.tls.as_mut() {
        tls.client_cert_file = Some(s.tls.client_cert.display().to_string());
        tls.client_key_file = Some(s.tls.client_key.display().to_string());
    }
    let modes = [
        ("PLAINTEXT", base("plain", s.cluster.broker_ports()[0], SecurityProtocol::Plaintext)),
        ("SASL_PLAINTEXT SCRAM-SHA-256", with_sasl(base("s", l.sasl_plaintext, SecurityProtocol::SaslPlaintext), SaslMechanism::ScramSha256, "alice", SecuredCluster::password("alice"))),
        ("SSL", with_ca(base("ssl", l.ssl, SecurityProtocol::Ssl), ca)),
        ("SASL_SSL SCRAM-SHA-512", with_ca(with_sasl(base("ss", l.sasl_ssl, SecurityProtocol::SaslSsl), SaslMechanism::ScramSha512, "bob", SecuredCluster::password("bob")), ca)),
        ("mTLS", mtls),
    ];
    for (mode, input) in modes {
        let link = open(input.clone()).unwrap_or_else(|e| panic!("{mode}: {e:?}"));
        assert!(link.apis().iter().any(|(key, _, max)| *key == DESCRIBE_QUORUM && *max >= 0), "{mode}: {:?}", link.apis());
        let conn = connection(input);
        let (host, port) = conn.bootstrap_servers.rsplit_once(':').expect("host:port");
        let q = quorum::describe_quorum(&conn, host, port.parse().expect("port"), BOUND).unwrap_or_else(|e| panic!("{mode}: {e:?}"));
        assert_eq!(q.leader_id, true_controller_id(), "{mode}");
        assert!(q.voters.iter().any(|v| v.id == q.leader_id), "{mode}: the leader is a voter: {q:?}");
    }
}

#[test]
fn each_wire_misconfiguration_gives_its_own_error() {
    let s = test_secured_cluster();
    let l = &s.listeners;
    let sasl = |mech, user: &str, pw: &str| with_sasl(base("sasl", l.sasl_plaintext, SecurityProtocol::SaslPlaintext), mech, user, pw);
    refused(sasl(SaslMechanism::ScramSha256, "alice", "wrong-password"), ErrorKind::Auth, "user name or password", "wrong password");
    // SCRAM-SHA-512 for a user that only has SHA-256 credentials.
    refused(sasl(SaslMechanism::ScramSha512, "alice", SecuredCluster::password("alice")), ErrorKind::Auth, "user name or password", "wrong mechanism for user");
    refused(sasl(SaslMechanism::Plain, "alice", SecuredCluster::password("alice")), ErrorKind::Auth, "mechanism", "PLAIN not enabled");
    refused(with_ca(base("ssl", l.ssl, SecurityProtocol::Ssl), &s.tls.other_ca), ErrorKind::Tls, "unknown ca", "wrong CA");
    refused(with_ca(base("bad", l.badhost, SecurityProtocol::Ssl), &s.tls.ca), ErrorKind::Tls, "hostname mismatch", "hostname mismatch");
    refused(with_ca(base("mtls", l.mtls, SecurityProtocol::Ssl), &s.tls.ca), ErrorKind::Tls, "client certificate", "missing client cert");
    let mut unchecked = with_ca(base("badhost", l.badhost, SecurityProtocol::Ssl), &s.tls.ca);
    if let Some(tls) = unchecked.tls.as_mut() {
        tls.verify_hostname = false;
    }
    open(unchecked).expect("hostname verification off: the wrong-host listener opens");
    // A plaintext client on a TLS listener: the broker's TLS alert is recognised as such.
    refused(base("plain-on-tls", l.ssl, SecurityProtocol::Plaintext), ErrorKind::Tls, "expects tls", "plaintext on a TLS listener");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    refused(base("refused", closed, SecurityProtocol::Plaintext), ErrorKind::Unreachable, "refused", "connection refused");
}
