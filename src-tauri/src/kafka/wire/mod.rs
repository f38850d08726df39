//! A small Kafka wire client for the requests librdkafka does not make (DescribeQuorum,
//! ApiVersions as data, and the admin requests of the operations room).
//!
//! One [`BrokerLink`] is one connection to one broker, opened with the profile's own
//! security (PLAINTEXT, TLS with a CA / client certificate / hostname verification, SASL
//! PLAIN and SCRAM-SHA-256/512 over either), ApiVersions negotiated first. Requests and
//! responses are encoded by the `kafka-protocol` crate; this module only frames them.
//! Everything is blocking with a deadline: callers run it on a blocking thread.

pub mod links;
mod sasl;
pub(crate) mod scram;
mod security;
mod transport;

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::{ApiVersionsRequest, ApiVersionsResponse, RequestHeader, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Message, Request, StrBytes};

pub use security::Security;

use super::client::Connection;
use crate::error::{Error, ErrorKind, Result};

/// (api key, min version, max version) for each API the broker supports.
pub type ApiRange = (i16, i16, i16);

/// Kafka's UNSUPPORTED_VERSION error code.
pub const UNSUPPORTED_VERSION: i16 = 35;
/// Bound on one response: far above any answer we ask for, far below memory trouble.
const MAX_RESPONSE_BYTES: usize = 64 << 20;
const CLIENT_ID: &str = "kafkadesk";

/// An open, negotiated (and authenticated) connection to one broker.
pub struct BrokerLink {
    stream: transport::Stream,
    address: String,
    /// Bound on each request after the link is open.
    timeout: Duration,
    next_correlation_id: i32,
    apis: Vec<ApiRange>,
}

impl BrokerLink {
    /// Connects to `host:port` with `conn`'s security: TCP (+ TLS), ApiVersions, SASL.
    /// The whole opening is bounded by `timeout`, and so is each later request.
    pub fn open(conn: &Connection, host: &str, port: u16, timeout: Duration) -> Result<BrokerLink> {
        let security = Security::from_connection(conn)?;
        let deadline = Instant::now() + timeout;
        let address = format!("{host}:{port}");
        let stream = transport::Stream::connect(&security, host, port, deadline)?;
        let mut link = BrokerLink { stream, address, timeout, next_correlation_id: 1, apis: Vec::new() };
        link.apis = link.negotiate(deadline)?;
        if let Some(sasl) = security.sasl() {
            sasl::authenticate(&mut link, sasl, deadline)?;
        }
        Ok(link)
    }

    /// The broker's supported API ranges, as its ApiVersions answer listed them.
    pub fn apis(&self) -> &[ApiRange] {
        &self.apis
    }

    /// `host:port` of the broker.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The newest version of `R` both sides speak, or a "not supported by this cluster" error
    /// (detail `UNSUPPORTED_VERSION`) naming `what`.
    pub fn version_for<R: Request>(&self, what: &str) -> Result<i16> {
        let theirs = self.apis.iter().find(|(key, _, _)| *key == R::KEY);
        let ours = R::VERSIONS;
        match theirs {
            Some(&(_, min, max)) if min.max(ours.min) <= max.min(ours.max) => Ok(max.min(ours.max)),
            Some(&(_, min, max)) => Err(not_supported(what).with_detail(format!(
                "UNSUPPORTED_VERSION: api key {} versions {min}..{max} on the broker, {}..{} in KafkaDesk",
                R::KEY,
                ours.min,
                ours.max
            ))),
            None => Err(not_supported(what).with_detail("UNSUPPORTED_VERSION")),
        }
    }

    /// Sends `request` at the newest common version and returns the broker's answer.
    pub fn send<R: Request>(&mut self, request: &R, what: &str) -> Result<R::Response> {
        let version = self.version_for::<R>(what)?;
        let deadline = Instant::now() + self.timeout;
        self.send_at(request, version, deadline, what)
    }

    fn send_at<R: Request>(&mut self, request: &R, version: i16, deadline: Instant, what: &str) -> Result<R::Response> {
        let mut body = self.exchange::<R>(request, version, deadline, what)?;
        R::Response::decode(&mut body, version).map_err(|e| unreadable(&self.address, what, e))
    }

    /// Frames and sends one request, reads its response and strips the response header.
    fn exchange<R: Request>(&mut self, request: &R, version: i16, deadline: Instant, what: &str) -> Result<Bytes> {
        let correlation_id = self.next_correlation_id;
        self.next_correlation_id = self.next_correlation_id.wrapping_add(1);
        let header = RequestHeader::default()
            .with_request_api_key(R::KEY)
            .with_request_api_version(version)
            .with_correlation_id(correlation_id)
            .with_client_id(Some(StrBytes::from_static_str(CLIENT_ID)));
        let mut frame = BytesMut::with_capacity(128);
        frame.extend_from_slice(&[0; 4]);
        header
            .encode(&mut frame, R::header_version(version))
            .and_then(|()| request.encode(&mut frame, version))
            .map_err(|e| Error::new(ErrorKind::Internal, format!("Could not encode the request {what}.")).with_detail(e.to_string()))?;
        let size = i32::try_from(frame.len() - 4)
            .map_err(|_| Error::new(ErrorKind::Internal, format!("The request {what} is too large.")))?;
        frame[..4].copy_from_slice(&size.to_be_bytes());

        self.stream.write_all(&frame, deadline, &self.address, what)?;
        let mut size = [0u8; 4];
        self.stream.read_exact(&mut size, deadline, &self.address, what)?;
        // A TLS record (alert or handshake, version 3.x) where a size should be: a TLS listener.
        if matches!(size, [0x15 | 0x16, 0x03, ..]) {
            return Err(Error::new(
                ErrorKind::Tls,
                format!("The broker at {} answered with TLS: this listener expects TLS, choose SSL or SASL_SSL in the connection's security settings.", self.address),
            ));
        }
        let size = usize::try_from(i32::from_be_bytes(size)).unwrap_or(0);
        if size < 4 || size > MAX_RESPONSE_BYTES {
            return Err(Error::new(ErrorKind::Kafka, format!("The broker at {} sent an unreadable answer {what}.", self.address))
                .with_detail(format!("a response of {size} bytes")));
        }
        let mut body = vec![0u8; size];
        self.stream.read_exact(&mut body, deadline, &self.address, what)?;
        let mut body = Bytes::from(body);
        let response_header = ResponseHeader::decode(&mut body, R::Response::header_version(version))
            .map_err(|e| unreadable(&self.address, what, e))?;
        if response_header.correlation_id != correlation_id {
            return Err(unreadable(&self.address, what, "a response to another request"));
        }
        Ok(body)
    }

    /// ApiVersions at our newest version; a broker that does not know it answers
    /// UNSUPPORTED_VERSION in version 0 with its own range, and we ask again in that.
    fn negotiate(&mut self, deadline: Instant) -> Result<Vec<ApiRange>> {
        let what = "for its API versions";
        let request = ApiVersionsRequest::default()
            .with_client_software_name(StrBytes::from_static_str(CLIENT_ID))
            .with_client_software_version(StrBytes::from_static_str(env!("CARGO_PKG_VERSION")));
        let mut version = ApiVersionsRequest::VERSIONS.max;
        for _ in 0..2 {
            let body = self.exchange(&request, version, deadline, what)?;
            // The error code leads every version of the response.
            let code = body.get(..2).map(|b| i16::from_be_bytes([b[0], b[1]]));
            let decode_at = if code == Some(UNSUPPORTED_VERSION) { 0 } else { version };
            let response = ApiVersionsResponse::decode(&mut body.clone(), decode_at).map_err(|e| unreadable(&self.address, what, e))?;
            let apis: Vec<ApiRange> = response.api_keys.iter().map(|a| (a.api_key, a.min_version, a.max_version)).collect();
            match response.error_code {
                0 => return Ok(apis),
                UNSUPPORTED_VERSION => {
                    let theirs = apis.iter().find(|(key, _, _)| *key == ApiVersionsRequest::KEY).map(|(_, _, max)| *max);
                    match theirs {
                        Some(max) if max < version => version = max,
                        _ => break,
                    }
                }
                code => return Err(kafka_error(code, &format!("The broker at {} refused to list its API versions", self.address))),
            }
        }
        Err(not_supported("the ApiVersions request KafkaDesk speaks").with_detail("UNSUPPORTED_VERSION"))
    }
}

/// A feature the broker does not offer: said plainly, not as a failure.
fn not_supported(what: &str) -> Error {
    Error::new(ErrorKind::Kafka, format!("Not supported by this cluster: {what}."))
}

fn unreadable(address: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Kafka, format!("The answer of the broker at {address} {what} could not be read.")).with_detail(e.to_string())
}

/// A Kafka error code in a response, with its name where we know it.
pub fn kafka_error(code: i16, context: &str) -> Error {
    match kafka_protocol::error::ResponseError::try_from_code(code) {
        Some(e) => Error::new(ErrorKind::Kafka, format!("{context}: {e}")).with_detail(format!("{e:?} ({code})")),
        None => Error::new(ErrorKind::Kafka, format!("{context} (error code {code}).")).with_detail(format!("error code {code}")),
    }
}

/// Like [`kafka_error`] for a code that may be 0 (no error), with the broker's message.
pub fn check_code(code: i16, message: Option<&StrBytes>, context: &str) -> Result<()> {
    if code == 0 {
        return Ok(());
    }
    let mut e = kafka_error(code, context);
    if let Some(m) = message.map(|m| m.as_str()).filter(|m| !m.is_empty()) {
        e.message = format!("{} {m}", e.message);
    }
    Err(e)
}
