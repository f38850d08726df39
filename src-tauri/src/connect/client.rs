//! The HTTP side of Kafka Connect: one reqwest client per cluster, its URLs tried in
//! order, bounded timeouts, and Connect's answers turned into our [`Error`].
//!
//! Failures are named the way a user can act on them: the worker cannot be reached
//! (refused, unknown host, nothing listening), the TLS handshake failed (unknown CA,
//! hostname), the worker refused the credentials (401) or the user (403), a bounded
//! wait ran out, or Connect answered with an error (its own message, as it wrote it).

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::settings::ConnectCluster;
use crate::error::{Error, ErrorKind, Result};

/// Bound on establishing a TCP (+ TLS) connection to one worker.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Bound on a read: Connect answers those from memory.
pub const READ_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a request is asked again while the worker rebalances (a rebalance takes seconds).
const REBALANCE_PATIENCE: Duration = Duration::from_secs(15);
/// Bound on a change or a validation: Connect forwards those to the leader and may run
/// the connector's own validation; its own internal bound is 90 s.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(95);

/// A client of one Connect cluster. Holds the basic-auth password: never `Debug`-printed.
#[derive(Clone)]
pub struct ConnectClient {
    http: reqwest::Client,
    urls: Vec<Url>,
    username: Option<String>,
    password: Option<String>,
    read_timeout: Duration,
}

impl fmt::Debug for ConnectClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectClient")
            .field("urls", &self.urls.iter().map(Url::as_str).collect::<Vec<_>>())
            .field("username", &self.username)
            .finish()
    }
}

/// An answer from a worker: status and body.
pub struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
    pub url: String,
}

impl Answer {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::new(ErrorKind::Internal, format!("Kafka Connect at {} sent an answer KafkaDesk could not read.", self.url))
                .with_detail(e.to_string())
        })
    }
}

fn read_file(path: &str, label: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::new(ErrorKind::Tls, format!("Could not read the {label} file {path}: {e}")))
}

impl ConnectClient {
    /// A client for `cluster`; `password` is its basic-auth password from the keychain.
    /// Builds TLS material from the files now, so a bad file is named before any request.
    pub fn new(cluster: &ConnectCluster, password: Option<String>) -> Result<ConnectClient> {
        let urls = cluster
            .urls
            .iter()
            .map(|u| Url::parse(u).map_err(|e| Error::invalid_input("urls", format!("\"{u}\" is not a URL: {e}"))))
            .collect::<Result<Vec<_>>>()?;
        if urls.is_empty() {
            return Err(Error::invalid_input("urls", "This Kafka Connect cluster has no URL."));
        }
        if cluster.username.is_some() && password.is_none() {
            return Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "The password of Kafka Connect \"{}\" is not available (it was kept for an earlier session only); enter it again in the Connect settings.",
                    cluster.name
                ),
            ));
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("KafkaDesk/", env!("CARGO_PKG_VERSION")))
            // Connect's redirects are not part of its API; a redirect is a proxy's idea.
            .redirect(reqwest::redirect::Policy::none());
        let tls = &cluster.tls;
        if let Some(ca) = &tls.ca_file {
            let pem = read_file(ca, "CA certificate")?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::new(ErrorKind::Tls, format!("The CA certificate file {ca} holds no PEM certificate.")).with_detail(e.to_string())
            })?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let (Some(cert), Some(key)) = (&tls.client_cert_file, &tls.client_key_file) {
            let identity = reqwest::Identity::from_pkcs8_pem(&read_file(cert, "client certificate")?, &read_file(key, "client key")?)
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Tls,
                        "The client certificate and key could not be used: the key must be an unencrypted PKCS#8 PEM file (BEGIN PRIVATE KEY) matching the certificate.",
                    )
                    .with_detail(e.to_string())
                })?;
            builder = builder.identity(identity);
        }
        if !tls.verify_hostname {
            builder = builder.danger_accept_invalid_hostnames(true);
        }
        let http = builder
            .build()
            .map_err(|e| Error::new(ErrorKind::Tls, "The HTTP client for Kafka Connect could not be set up.").with_detail(e.to_string()))?;
        Ok(ConnectClient { http, urls, username: cluster.username.clone(), password, read_timeout: READ_TIMEOUT })
    }

    /// The same client with another bound on reads (tests use a short one).
    pub fn with_read_timeout(mut self, timeout: Duration) -> ConnectClient {
        self.read_timeout = timeout;
        self
    }

    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// Sends one request to the first worker that takes the connection. `segments` are
    /// path segments (percent-encoded here: connector names may hold any character).
    /// A worker that cannot be reached is skipped. A worker that answers it is rebalancing or
    /// holds a stale configuration (right after a connector was created, stopped or
    /// deleted) is asked again, for up to `timeout` and at most [`REBALANCE_PATIENCE`]:
    /// Connect refuses those requests before doing anything, so a write is as safe to repeat
    /// as a read, and the rebalance is over in a second or two. Any other answer is final.
    pub async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<Answer> {
        let deadline = tokio::time::Instant::now() + timeout.min(REBALANCE_PATIENCE);
        let mut pause = Duration::from_millis(200);
        loop {
            match self.send_once(method.clone(), segments, query, body, timeout).await {
                Err(e) if is_rebalancing(&e) && tokio::time::Instant::now() + pause < deadline => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                answer => return answer,
            }
        }
    }

    async fn send_once(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<Answer> {
        let mut last = None;
        for base in &self.urls {
            let mut url = base.clone();
            match url.path_segments_mut() {
                Ok(mut path) => {
                    path.pop_if_empty().extend(segments);
                }
                Err(()) => return Err(Error::invalid_input("urls", format!("{base} cannot take a path."))),
            }
            for (k, v) in query {
                url.query_pairs_mut().append_pair(k, v);
            }
            let mut request = self.http.request(method.clone(), url.clone()).timeout(timeout);
            if let Some(user) = &self.username {
                request = request.basic_auth(user, self.password.as_deref());
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let shown = base.as_str().trim_end_matches('/').to_string();
            let sent = async {
                let response = request.send().await?;
                let status = response.status();
                let body = response.bytes().await?.to_vec();
                Ok::<_, reqwest::Error>((status, body))
            };
            // The outer bound covers what reqwest's own timeout may not (a stalled body).
            match tokio::time::timeout(timeout + Duration::from_secs(1), sent).await {
                Ok(Ok((status, body))) => return check(Answer { status, body, url: shown }),
                Ok(Err(e)) => {
                    let error = transport_error(&shown, &e, timeout);
                    if error.kind != ErrorKind::Unreachable {
                        return Err(error);
                    }
                    last = Some(error);
                }
                Err(_) => return Err(timed_out(&shown, timeout)),
            }
        }
        Err(last.unwrap_or_else(|| Error::internal("No Kafka Connect URL was tried.")))
    }

    /// A GET with the read bound, decoded.
    pub async fn get<T: DeserializeOwned>(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<T> {
        self.send(Method::GET, segments, query, None, self.read_timeout).await?.json()
    }
}

/// Connect's "try again shortly" answers: 409 while it rebalances or its view of the
/// configuration is stale, and 500 "a rebalance is expected" when a request lands between a
/// change and the rebalance it starts. A 409 "already exists" is not one of them.
fn is_rebalancing(e: &Error) -> bool {
    let said = e.message.to_ascii_lowercase();
    match e.detail.as_deref() {
        Some("409") => said.contains("rebalanc") || said.contains("momentarily"),
        Some("500") => said.contains("rebalance"),
        _ => false,
    }
}

fn timed_out(url: &str, timeout: Duration) -> Error {
    Error::timeout(format!("Kafka Connect at {url} did not answer within {} s.", timeout.as_secs()))
}

/// Every message in an error's source chain, for classification and the detail.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

fn transport_error(url: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    let detail = chain(e);
    let lower = detail.to_ascii_lowercase();
    let tls = ["certificate", "ssl", "tls", "handshake", "x509"].iter().any(|w| lower.contains(w));
    if tls {
        let why = if lower.contains("hostname") || lower.contains("host name") || lower.contains("ip address mismatch") {
            "the worker's certificate does not name this host"
        } else if lower.contains("unknown ca") || lower.contains("self-signed") || lower.contains("self signed") || lower.contains("unable to get local issuer") || lower.contains("verify failed") {
            "the worker's certificate is not signed by a trusted CA (choose its CA file)"
        } else if lower.contains("wrong version number") || lower.contains("unexpected eof") {
            "the worker does not speak TLS on that port (try http://)"
        } else {
            "the handshake failed"
        };
        return Error::new(ErrorKind::Tls, format!("TLS with Kafka Connect at {url} failed: {why}.")).with_detail(detail);
    }
    if e.is_timeout() {
        return timed_out(url, timeout).with_detail(detail);
    }
    if e.is_connect() {
        let why = if lower.contains("refused") {
            "connection refused (is the worker running on that port?)"
        } else if lower.contains("dns") || lower.contains("resolve") || lower.contains("name or service") {
            "its host name does not resolve"
        } else {
            "no connection"
        };
        return Error::new(ErrorKind::Unreachable, format!("Kafka Connect at {url} is unreachable: {why}.")).with_detail(detail);
    }
    Error::new(ErrorKind::Unreachable, format!("The request to Kafka Connect at {url} failed.")).with_detail(detail)
}

/// Connect's own error body: `{"error_code": 404, "message": "…"}`.
fn connect_message(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v.get("message").and_then(Value::as_str).map(str::to_string)
}

/// Success passes; an error status becomes an [`Error`] with Connect's own words.
fn check(answer: Answer) -> Result<Answer> {
    let status = answer.status;
    if status.is_success() {
        return Ok(answer);
    }
    let said = connect_message(&answer.body);
    let url = &answer.url;
    let code = status.as_u16().to_string();
    let err = match status {
        StatusCode::UNAUTHORIZED => Error::new(
            ErrorKind::Auth,
            format!("Kafka Connect at {url} refused the credentials (401): check the user name and password."),
        ),
        StatusCode::FORBIDDEN => Error::new(
            ErrorKind::Auth,
            format!("Kafka Connect at {url} does not allow this user to do that (403)."),
        ),
        StatusCode::NOT_FOUND => Error::not_found(said.unwrap_or_else(|| format!("Kafka Connect at {url} has no such resource (404)."))),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => Error::new(
            ErrorKind::InvalidInput,
            said.unwrap_or_else(|| format!("Kafka Connect at {url} refused the request ({code}).")),
        )
        .with_detail("config"),
        StatusCode::CONFLICT => Error::new(
            ErrorKind::Kafka,
            said.map(|m| format!("Kafka Connect: {m}"))
                .unwrap_or_else(|| "Kafka Connect is rebalancing; try again in a moment.".into()),
        ),
        _ => Error::new(
            ErrorKind::Kafka,
            said.map(|m| format!("Kafka Connect at {url} answered {code}: {m}"))
                .unwrap_or_else(|| format!("Kafka Connect at {url} answered {code}.")),
        ),
    };
    Err(if err.detail.is_some() { err } else { err.with_detail(code) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer { status: StatusCode::from_u16(status).unwrap(), body: body.as_bytes().to_vec(), url: "http://w:8083".into() }
    }

    #[test]
    fn connect_statuses_become_specific_errors() {
        assert_eq!(check(answer(401, "")).err().unwrap().kind, ErrorKind::Auth);
        let forbidden = check(answer(403, "")).err().unwrap();
        assert_eq!(forbidden.kind, ErrorKind::Auth);
        assert!(forbidden.message.contains("403"));
        let missing = check(answer(404, r#"{"error_code":404,"message":"Connector x not found"}"#)).err().unwrap();
        assert_eq!((missing.kind, missing.message.as_str()), (ErrorKind::NotFound, "Connector x not found"));
        assert_eq!(check(answer(400, r#"{"message":"bad"}"#)).err().unwrap().kind, ErrorKind::InvalidInput);
        let busy = check(answer(409, "")).err().unwrap();
        assert_eq!((busy.kind, busy.detail.as_deref()), (ErrorKind::Kafka, Some("409")));
        assert!(is_rebalancing(&busy));
        let expected = check(answer(500, r#"{"error_code":500,"message":"Request cannot be completed because a rebalance is expected"}"#));
        assert!(is_rebalancing(&expected.err().unwrap()));
        assert!(!is_rebalancing(&check(answer(500, r#"{"message":"NullPointerException"}"#)).err().unwrap()));
        let stale = r#"{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)"}"#;
        assert!(is_rebalancing(&check(answer(409, stale)).err().unwrap()));
        let exists = r#"{"error_code":409,"message":"Connector files already exists"}"#;
        assert!(!is_rebalancing(&check(answer(409, exists)).err().unwrap()), "asking again cannot change that");
        assert!(check(answer(500, "not json")).err().unwrap().message.contains("500"));
        assert!(check(answer(204, "")).is_ok());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let cluster = ConnectCluster {
            id: "c".into(),
            name: "c".into(),
            urls: vec!["http://127.0.0.1:1".into()],
            username: Some("u".into()),
            tls: Default::default(),
        };
        let client = ConnectClient::new(&cluster, Some("hunter2".into())).unwrap();
        assert!(!format!("{client:?}").contains("hunter2"));
    }
}
