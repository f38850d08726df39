//! Why a broker's certificate failed verification, found with one TLS handshake of our own.
//!
//! OpenSSL 3 through librdkafka says only "certificate verify failed". To tell an unknown
//! CA from a hostname mismatch we shake hands once more with the same trust settings, let
//! the handshake finish whatever the verdict, and read OpenSSL's verify result. Nothing but
//! the handshake happens: no client certificate, no SASL, no Kafka request, so a server
//! that is not who the profile thinks it is receives no login, password or key passphrase.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use openssl::ssl::{HandshakeError, SslConnector, SslMethod, SslVerifyMode};
use openssl::x509::{X509VerifyResult, X509};

/// What the handshake showed about the broker's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Signed by a trusted CA and naming the host: verification would pass.
    Verified,
    /// Signed by a trusted CA, but for another host name.
    HostnameMismatch,
    /// Not signed by a CA we trust (or self-signed).
    UnknownCa,
    /// Something else (expired, revoked, no certificate seen): OpenSSL's words.
    Other(String),
}

/// Where trusted CAs come from, as librdkafka reads them.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// `ssl.ca.location`: a PEM file, a folder of them, or `probe` (the system's roots).
    pub ca_location: Option<String>,
    /// `ssl.ca.pem`: CA certificates inline.
    pub ca_pem: Option<String>,
}

/// The first `host:port` of a bootstrap list (`PROTOCOL://` prefixes and IPv6 brackets allowed).
pub fn first_broker(bootstrap: &str) -> Option<(String, u16)> {
    let first = bootstrap.split(',').map(str::trim).find(|s| !s.is_empty())?;
    let first = first.rsplit("://").next()?;
    let (host, port) = first.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Some((host.to_string(), port.parse().ok()?))
}

/// Shakes hands with `host:port` under `trust` and reports what the verification found.
/// Bounded by `timeout` in total.
pub fn probe(host: &str, port: u16, trust: &Trust, timeout: Duration) -> Result<Finding, String> {
    let deadline = Instant::now() + timeout;
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(|e| e.to_string())?;
    match trust.ca_location.as_deref() {
        None | Some("probe") | Some("") => builder.set_default_verify_paths().map_err(|e| e.to_string())?,
        Some(dir) if std::path::Path::new(dir).is_dir() => {
            builder.load_verify_locations(None, Some(std::path::Path::new(dir))).map_err(|e| e.to_string())?
        }
        Some(file) => builder.set_ca_file(file).map_err(|e| format!("the CA file could not be read: {e}"))?,
    }
    if let Some(pem) = &trust.ca_pem {
        for ca in X509::stack_from_pem(pem.as_bytes()).map_err(|e| e.to_string())? {
            builder.cert_store_mut().add_cert(ca).map_err(|e| e.to_string())?;
        }
    }
    // Finish the handshake whatever the verdict; the verdict is read afterwards.
    builder.set_verify(SslVerifyMode::NONE);
    let connector = builder.build();

    let address = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("{host}:{port} could not be resolved: {e}"))?
        .next()
        .ok_or_else(|| format!("{host}:{port} has no address"))?;
    let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    let stream = TcpStream::connect_timeout(&address, left).map_err(|e| format!("could not connect to {host}:{port}: {e}"))?;
    let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    stream.set_read_timeout(Some(left)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(left)).map_err(|e| e.to_string())?;

    let mut config = connector.configure().map_err(|e| e.to_string())?;
    config.set_verify_hostname(true);
    let (verdict, got_certificate) = match config.connect(host, stream) {
        Ok(mut tls) => {
            let verdict = (tls.ssl().verify_result(), tls.ssl().peer_certificate().is_some());
            // Close politely without sending a byte of application data.
            let _ = tls.shutdown();
            verdict
        }
        // A server that wants a client certificate may cut the handshake after sending its
        // own; its verdict was still recorded.
        Err(HandshakeError::Failure(mid)) | Err(HandshakeError::WouldBlock(mid)) => {
            (mid.ssl().verify_result(), mid.ssl().peer_certificate().is_some())
        }
        Err(HandshakeError::SetupFailure(e)) => return Err(e.to_string()),
    };
    if !got_certificate {
        return Ok(Finding::Other("the server sent no certificate".into()));
    }
    Ok(classify(verdict))
}

fn classify(verdict: X509VerifyResult) -> Finding {
    // X509_V_ERR_* codes from OpenSSL's x509_vfy.h.
    const UNABLE_TO_GET_ISSUER_CERT: i32 = 2;
    const DEPTH_ZERO_SELF_SIGNED_CERT: i32 = 18;
    const SELF_SIGNED_CERT_IN_CHAIN: i32 = 19;
    const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
    const UNABLE_TO_VERIFY_LEAF_SIGNATURE: i32 = 21;
    const HOSTNAME_MISMATCH: i32 = 62;
    const IP_ADDRESS_MISMATCH: i32 = 64;
    match verdict.as_raw() {
        0 => Finding::Verified,
        HOSTNAME_MISMATCH | IP_ADDRESS_MISMATCH => Finding::HostnameMismatch,
        UNABLE_TO_GET_ISSUER_CERT
        | DEPTH_ZERO_SELF_SIGNED_CERT
        | SELF_SIGNED_CERT_IN_CHAIN
        | UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | UNABLE_TO_VERIFY_LEAF_SIGNATURE => Finding::UnknownCa,
        _ => Finding::Other(verdict.error_string().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_broker_of_a_bootstrap_list() {
        assert_eq!(first_broker("b1:9093,b2:9093"), Some(("b1".into(), 9093)));
        assert_eq!(first_broker(" SSL://[::1]:9094 "), Some(("::1".into(), 9094)));
        assert_eq!(first_broker("nohostport"), None);
        assert_eq!(first_broker(""), None);
    }

    #[test]
    fn classifies_openssl_verdicts() {
        assert_eq!(classify(X509VerifyResult::OK), Finding::Verified);
        assert_eq!(classify(unsafe_code(62)), Finding::HostnameMismatch);
        assert_eq!(classify(unsafe_code(20)), Finding::UnknownCa);
        assert!(matches!(classify(unsafe_code(10)), Finding::Other(_))); // expired
    }

    fn unsafe_code(code: i32) -> X509VerifyResult {
        // SAFETY: any int is a valid X509_V_ERR value to wrap; only its text is looked up.
        unsafe { X509VerifyResult::from_raw(code) }
    }
}
