//! A one-node cluster with SASL, TLS and mTLS listeners beside PLAINTEXT, for the security
//! tests: SCRAM users, a test CA and certificates made fresh by `openssl`.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use kafkadesk::local::process::{combined_output, run_with_timeout};

use super::{io_err, kafka_version, short_id, Cluster, ClusterSpec, HarnessError, TOOL_TIMEOUT};

/// Appended to a node's config by [`Cluster::start_secured`]: the SASL / TLS listeners.
const SECURED_PROPERTIES_TMPL: &str = include_str!("../../kafka/secured.properties.tmpl");

impl Cluster {
    /// Starts one node with a listener per client security mode beside PLAINTEXT (see
    /// `tests/kafka/secured.properties.tmpl`): SCRAM users, a test CA and certificates are
    /// made fresh in `data_dir`. The returned handle stops the node when dropped.
    pub fn start_secured(data_dir: impl Into<PathBuf>) -> Result<SecuredCluster, HarnessError> {
        Self::start_secured_inner(ClusterSpec::new(1, data_dir), false, "", &[])
    }

    /// `extra_properties` are appended to the node's config and `extra_scram` users (mechanism,
    /// name, password) added at format time; the authorizing broker of `crate::authz` uses both.
    pub(crate) fn start_secured_inner(
        spec: ClusterSpec,
        remove_data_dir: bool,
        extra_properties: &str,
        extra_scram: &[(&str, &str, &str)],
    ) -> Result<SecuredCluster, HarnessError> {
        fs::create_dir_all(&spec.data_dir).map_err(io_err(format!("creating {}", spec.data_dir.display())))?;
        let tls = TestPki::generate(&spec.data_dir.join("tls"))?;
        let mut held = Vec::new();
        let mut ports = [0u16; 5];
        for port in &mut ports {
            let l = TcpListener::bind(("127.0.0.1", 0)).map_err(io_err("binding 127.0.0.1:0 to pick a free port"))?;
            *port = l.local_addr().map_err(io_err("reading a picked port"))?.port();
            held.push(l);
        }
        drop(held);
        let [sasl_plaintext, ssl, sasl_ssl, mtls, badhost] = ports;
        let listeners = SecuredListeners { sasl_plaintext, ssl, sasl_ssl, mtls, badhost };
        let setup = SecuredSetup { listeners: listeners.clone(), tls: tls.clone() };
        let cluster = Self::launch(spec, remove_data_dir, |launch| {
            launch.extra_properties = Some(format!("{SECURED_PROPERTIES_TMPL}\n{extra_properties}\n"));
            launch.extra_vars = setup.vars().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            launch.format_args = SecuredCluster::scram_args();
            launch.format_args.extend(extra_scram.iter().flat_map(|&(mech, name, pw)| SecuredCluster::scram_arg(mech, name, pw)));
        })?;
        Ok(SecuredCluster { cluster, listeners, tls })
    }
}

/// SCRAM users created when a secured node's storage is formatted: (mechanism, name, password).
pub const SCRAM_USERS: &[(&str, &str, &str)] = &[
    ("SCRAM-SHA-256", "alice", "alice-Pa55-256"),
    ("SCRAM-SHA-512", "bob", "bob-Pa55-512"),
];

/// The client-facing ports of a secured node.
#[derive(Debug, Clone)]
pub struct SecuredListeners {
    pub sasl_plaintext: u16,
    pub ssl: u16,
    pub sasl_ssl: u16,
    /// SSL requiring a client certificate.
    pub mtls: u16,
    /// SSL with a certificate for another host name.
    pub badhost: u16,
}

/// The PEM files of a test PKI, all made fresh by `openssl`.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The CA that signed every certificate below.
    pub ca: PathBuf,
    /// A CA that signed nothing the broker uses (for "unknown CA" tests).
    pub other_ca: PathBuf,
    /// Key + certificate for 127.0.0.1 / localhost, and for the wrong host.
    pub server: PathBuf,
    pub badhost: PathBuf,
    /// Client certificate and key for the mTLS listener.
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

struct SecuredSetup {
    listeners: SecuredListeners,
    tls: TestPki,
}

impl SecuredSetup {
    fn vars(&self) -> Vec<(&'static str, String)> {
        let l = &self.listeners;
        vec![
            ("sasl_plaintext_port", l.sasl_plaintext.to_string()),
            ("ssl_port", l.ssl.to_string()),
            ("sasl_ssl_port", l.sasl_ssl.to_string()),
            ("mtls_port", l.mtls.to_string()),
            ("badhost_port", l.badhost.to_string()),
            ("server_pem", self.tls.server.display().to_string()),
            ("badhost_pem", self.tls.badhost.display().to_string()),
            ("ca_pem", self.tls.ca.display().to_string()),
        ]
    }
}

fn openssl(dir: &Path, args: &[&str]) -> Result<(), HarnessError> {
    let (out, timed_out) = run_with_timeout(Command::new("openssl").args(args).current_dir(dir), TOOL_TIMEOUT)
        .map_err(io_err("running openssl (is it installed?)"))?;
    if out.status.success() && !timed_out {
        Ok(())
    } else {
        Err(HarnessError::Start(format!("openssl {} failed:\n{}", args.join(" "), combined_output(&out))))
    }
}

impl TestPki {
    /// A CA, a second unrelated CA, server certificates (right and wrong host) and a client
    /// certificate, as unencrypted PKCS#8 PEM in `dir`.
    pub fn generate(dir: &Path) -> Result<TestPki, HarnessError> {
        fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
        let days = "3";
        for (name, cn) in [("ca", "KafkaDesk Test CA"), ("other-ca", "Some Other CA")] {
            openssl(dir, &[
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", days, "-subj", &format!("/CN={cn}"),
                "-keyout", &format!("{name}.key"), "-out", &format!("{name}.pem"),
            ])?;
        }
        let leaf = |name: &str, cn: &str, ext: &str| -> Result<(), HarnessError> {
            openssl(dir, &[
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", &format!("/CN={cn}"),
                "-keyout", &format!("{name}.key"), "-out", &format!("{name}.csr"),
            ])?;
            fs::write(dir.join(format!("{name}.ext")), ext).map_err(io_err("writing a certificate extension file"))?;
            openssl(dir, &[
                "x509", "-req", "-in", &format!("{name}.csr"), "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", days, "-extfile", &format!("{name}.ext"), "-out", &format!("{name}.crt"),
            ])?;
            // Kafka's PEM keystore: the key and its certificate chain in one file.
            let key = fs::read_to_string(dir.join(format!("{name}.key"))).map_err(io_err("reading a key"))?;
            let crt = fs::read_to_string(dir.join(format!("{name}.crt"))).map_err(io_err("reading a certificate"))?;
            fs::write(dir.join(format!("{name}.pem")), format!("{key}{crt}")).map_err(io_err("writing a keystore"))
        };
        leaf("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")?;
        leaf("badhost", "wrong.example.invalid", "subjectAltName=DNS:wrong.example.invalid\nextendedKeyUsage=serverAuth\n")?;
        leaf("client", "kafkadesk-client", "extendedKeyUsage=clientAuth\n")?;
        Ok(TestPki {
            ca: dir.join("ca.pem"),
            other_ca: dir.join("other-ca.pem"),
            server: dir.join("server.pem"),
            badhost: dir.join("badhost.pem"),
            client_cert: dir.join("client.crt"),
            client_key: dir.join("client.key"),
        })
    }
}

/// A one-node cluster with SASL, TLS and mTLS listeners ([`Cluster::start_secured`]).
#[derive(Debug)]
pub struct SecuredCluster {
    /// The node itself; its `bootstrap()` is the PLAINTEXT listener.
    pub cluster: Cluster,
    pub listeners: SecuredListeners,
    pub tls: TestPki,
}

impl SecuredCluster {
    /// `127.0.0.1:<port>` of a listener.
    pub fn bootstrap(port: u16) -> String {
        format!("127.0.0.1:{port}")
    }

    /// The password of a [`SCRAM_USERS`] user.
    pub fn password(user: &str) -> &'static str {
        SCRAM_USERS.iter().find(|(_, u, _)| *u == user).map(|(_, _, p)| *p).unwrap_or("")
    }

    fn scram_args() -> Vec<String> {
        SCRAM_USERS.iter().flat_map(|&(mech, name, pw)| Self::scram_arg(mech, name, pw)).collect()
    }

    /// `kafka-storage format` arguments that add one SCRAM user.
    pub(crate) fn scram_arg(mechanism: &str, name: &str, password: &str) -> [String; 2] {
        ["--add-scram".to_string(), format!("{mechanism}=[name={name},password={password}]")]
    }
}

/// One secured node per test process, started on first use and stopped (its temp dir
/// removed) by a watchdog when the process exits. Panics with the node log if it cannot start.
pub fn test_secured_cluster() -> &'static SecuredCluster {
    static SECURED: OnceLock<Result<SecuredCluster, String>> = OnceLock::new();
    let secured = SECURED.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kafkadesk-secured-{}-{}", std::process::id(), short_id()));
        let mut spec = ClusterSpec::new(1, dir);
        spec.watch_pid = Some(std::process::id());
        let started = Instant::now();
        eprintln!("[kafkadesk harness] starting a secured 1-node Kafka {}…", kafka_version());
        let result = Cluster::start_secured_inner(spec, true, "", &[]).map_err(|e| e.to_string());
        if let Ok(s) = &result {
            eprintln!("[kafkadesk harness] secured Kafka ready in {:.1} s: {:?}", started.elapsed().as_secs_f64(), s.listeners);
        }
        result
    });
    match secured {
        Ok(s) => s,
        Err(e) => panic!("the secured test Kafka could not start:\n{e}"),
    }
}

