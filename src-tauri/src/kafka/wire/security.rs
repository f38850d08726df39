//! The wire client's security, read from the same librdkafka properties the profile
//! produces (`Connection::from_profile`), so both clients connect the same way.

use std::path::PathBuf;

use super::scram::ScramHash;
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::Connection;

/// TLS settings: trusted CA (or the system's roots), optional client certificate.
pub struct Tls {
    /// PEM file of the CA; `None` uses the system's root certificates.
    pub ca_file: Option<PathBuf>,
    /// PEM certificate and unencrypted PKCS#8 key for mutual TLS.
    pub client_identity: Option<(PathBuf, PathBuf)>,
    pub verify_hostname: bool,
}

/// A SASL mechanism the wire client speaks, with its credentials. No `Debug`: holds a password.
pub enum Sasl {
    Plain { username: String, password: String },
    Scram { hash: ScramHash, username: String, password: String },
}

impl Sasl {
    pub fn mechanism(&self) -> &'static str {
        match self {
            Sasl::Plain { .. } => "PLAIN",
            Sasl::Scram { hash, .. } => hash.mechanism(),
        }
    }
}

/// How to reach a broker of one connection.
pub struct Security {
    pub tls: Option<Tls>,
    sasl: Option<Sasl>,
}

impl Security {
    /// Reads `security.protocol`, `sasl.*` and `ssl.*` of `conn`. A mechanism or TLS setting
    /// this client does not handle is an error saying so, naming the setting.
    pub fn from_connection(conn: &Connection) -> Result<Security> {
        let p = &conn.properties;
        let get = |k: &str| p.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let protocol = get("security.protocol").unwrap_or("plaintext").to_ascii_lowercase();
        let (uses_tls, uses_sasl) = match protocol.as_str() {
            "plaintext" => (false, false),
            "ssl" => (true, false),
            "sasl_plaintext" => (false, true),
            "sasl_ssl" => (true, true),
            other => {
                return Err(unsupported(format!("the security protocol {other:?}")).with_detail("security.protocol"));
            }
        };
        let tls = if uses_tls {
            if get("ssl.key.password").is_some() {
                return Err(unsupported("a password-protected client key".to_string()).with_detail("ssl.key.password"));
            }
            for pem_in_property in ["ssl.ca.pem", "ssl.certificate.pem", "ssl.key.pem", "ssl.keystore.location"] {
                if get(pem_in_property).is_some() {
                    return Err(unsupported(format!("the setting {pem_in_property}")).with_detail(pem_in_property));
                }
            }
            let client_identity = match (get("ssl.certificate.location"), get("ssl.key.location")) {
                (Some(cert), Some(key)) => Some((PathBuf::from(cert), PathBuf::from(key))),
                _ => None,
            };
            Some(Tls {
                ca_file: get("ssl.ca.location").filter(|v| *v != "probe").map(PathBuf::from),
                client_identity,
                verify_hostname: get("ssl.endpoint.identification.algorithm").is_none_or(|v| v.eq_ignore_ascii_case("https")),
            })
        } else {
            None
        };
        let sasl = if uses_sasl {
            let mechanism = get("sasl.mechanism").or(get("sasl.mechanisms")).unwrap_or("GSSAPI").to_ascii_uppercase();
            let username = get("sasl.username").unwrap_or_default().to_string();
            let password = p.get("sasl.password").cloned().unwrap_or_default();
            Some(match mechanism.as_str() {
                "PLAIN" => Sasl::Plain { username, password },
                "SCRAM-SHA-256" => Sasl::Scram { hash: ScramHash::Sha256, username, password },
                "SCRAM-SHA-512" => Sasl::Scram { hash: ScramHash::Sha512, username, password },
                other => return Err(unsupported(format!("the SASL mechanism {other}")).with_detail("sasl.mechanism")),
            })
        } else {
            None
        };
        Ok(Security { tls, sasl })
    }

    pub fn sasl(&self) -> Option<&Sasl> {
        self.sasl.as_ref()
    }
}

/// Said plainly where a feature needs the wire client (controller, operations).
fn unsupported(what: String) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("KafkaDesk's own Kafka client does not support {what} yet, so the features that need it (active controller, cluster operations) are not available on this connection."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(props: &[(&str, &str)]) -> Connection {
        let mut c = Connection::plain("t", "127.0.0.1:9092");
        c.properties = props.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        c
    }

    #[test]
    fn reads_the_profile_properties() {
        let s = Security::from_connection(&conn(&[
            ("security.protocol", "sasl_ssl"),
            ("sasl.mechanism", "SCRAM-SHA-512"),
            ("sasl.username", "bob"),
            ("sasl.password", "pw"),
            ("ssl.ca.location", "/ca.pem"),
            ("ssl.endpoint.identification.algorithm", "none"),
        ]))
        .unwrap();
        let tls = s.tls.as_ref().unwrap();
        assert_eq!(tls.ca_file, Some(PathBuf::from("/ca.pem")));
        assert!(!tls.verify_hostname);
        assert!(matches!(s.sasl(), Some(Sasl::Scram { hash: ScramHash::Sha512, username, .. }) if username == "bob"));

        let plain = Security::from_connection(&conn(&[])).unwrap();
        assert!(plain.tls.is_none() && plain.sasl().is_none());
        let probe = Security::from_connection(&conn(&[("security.protocol", "ssl"), ("ssl.ca.location", "probe")])).unwrap();
        assert!(probe.tls.as_ref().is_some_and(|t| t.ca_file.is_none() && t.verify_hostname));
    }

    #[test]
    fn what_it_cannot_do_is_said_plainly() {
        for (props, field) in [
            (vec![("security.protocol", "sasl_plaintext"), ("sasl.mechanism", "GSSAPI")], "sasl.mechanism"),
            (vec![("security.protocol", "sasl_ssl"), ("sasl.mechanism", "OAUTHBEARER")], "sasl.mechanism"),
            (vec![("security.protocol", "ssl"), ("ssl.key.password", "x")], "ssl.key.password"),
        ] {
            let e = Security::from_connection(&conn(&props)).err().expect("refused");
            assert_eq!(e.detail.as_deref(), Some(field));
            assert!(e.message.contains("not support"), "{}", e.message);
        }
    }
}
