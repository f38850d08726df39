//! TCP or TLS to one broker, every read and write bounded by the caller's deadline.

use std::io::{ErrorKind as IoKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use native_tls::{Certificate, HandshakeError, Identity, TlsConnector, TlsStream};

use super::security::{Security, Tls};
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::tls_cause;

pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// What is left of `deadline`, or a timeout error naming `what`.
fn left(deadline: Instant, address: &str, what: &str) -> Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left < Duration::from_millis(1) {
        return Err(Error::timeout(format!("The broker at {address} did not answer {what} in time.")));
    }
    Ok(left)
}

fn set_timeouts(tcp: &TcpStream, left: Duration, address: &str) -> Result<()> {
    tcp.set_read_timeout(Some(left))
        .and_then(|()| tcp.set_write_timeout(Some(left)))
        .map_err(|e| Error::new(ErrorKind::Internal, format!("Could not set a timeout on the connection to {address}.")).with_detail(e.to_string()))
}

impl Stream {
    pub fn connect(security: &Security, host: &str, port: u16, deadline: Instant) -> Result<Stream> {
        let address = format!("{host}:{port}");
        let unreachable = |e: std::io::Error| {
            let message = match e.kind() {
                IoKind::ConnectionRefused => format!("Could not reach the broker at {address}: the connection was refused."),
                IoKind::TimedOut | IoKind::WouldBlock => format!("Could not reach the broker at {address} in time."),
                _ => format!("Could not reach the broker at {address}."),
            };
            Error::new(ErrorKind::Unreachable, message).with_detail(e.to_string())
        };
        let addr = (host, port)
            .to_socket_addrs()
            .map_err(|e| Error::new(ErrorKind::Unreachable, format!("The broker host {host} could not be resolved.")).with_detail(e.to_string()))?
            .next()
            .ok_or_else(|| Error::new(ErrorKind::Unreachable, format!("The broker host {host} could not be resolved.")))?;
        let tcp = TcpStream::connect_timeout(&addr, left(deadline, &address, "the connection")?).map_err(unreachable)?;
        // Requests are small and answered one at a time: do not wait for more bytes.
        let _ = tcp.set_nodelay(true);
        set_timeouts(&tcp, left(deadline, &address, "the TLS handshake")?, &address)?;
        match &security.tls {
            None => Ok(Stream::Plain(tcp)),
            Some(tls) => {
                let connector = connector(tls)?;
                match connector.connect(host, tcp) {
                    Ok(stream) => Ok(Stream::Tls(Box::new(stream))),
                    Err(HandshakeError::WouldBlock(_)) => {
                        Err(Error::timeout(format!("The broker at {address} did not finish the TLS handshake in time.")))
                    }
                    Err(HandshakeError::Failure(e)) => Err(tls_error(&e.to_string())),
                }
            }
        }
    }

    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => tls.get_ref(),
        }
    }

    pub fn write_all(&mut self, bytes: &[u8], deadline: Instant, address: &str, what: &str) -> Result<()> {
        set_timeouts(self.tcp(), left(deadline, address, what)?, address)?;
        let written = match self {
            Stream::Plain(tcp) => tcp.write_all(bytes).and_then(|()| tcp.flush()),
            Stream::Tls(tls) => tls.write_all(bytes).and_then(|()| tls.flush()),
        };
        written.map_err(|e| io_error(e, self.is_tls(), address, what))
    }

    pub fn read_exact(&mut self, buf: &mut [u8], deadline: Instant, address: &str, what: &str) -> Result<()> {
        set_timeouts(self.tcp(), left(deadline, address, what)?, address)?;
        let read = match self {
            Stream::Plain(tcp) => tcp.read_exact(buf),
            Stream::Tls(tls) => tls.read_exact(buf),
        };
        read.map_err(|e| io_error(e, self.is_tls(), address, what))
    }

    fn is_tls(&self) -> bool {
        matches!(self, Stream::Tls(_))
    }
}

/// A failed read or write. Over TLS the broker's alert (e.g. "certificate required" on an
/// mTLS listener, sent after TLS 1.3's handshake) is the real cause.
fn io_error(e: std::io::Error, tls: bool, address: &str, what: &str) -> Error {
    let text = e.to_string();
    match e.kind() {
        IoKind::TimedOut | IoKind::WouldBlock => Error::timeout(format!("The broker at {address} did not answer {what} in time.")),
        _ if tls && text.to_ascii_lowercase().contains("alert") => tls_error(&text),
        IoKind::UnexpectedEof | IoKind::ConnectionReset | IoKind::ConnectionAborted => Error::new(
            ErrorKind::Unreachable,
            format!("The broker at {address} closed the connection when asked {what} (a listener with other security settings?)."),
        )
        .with_detail(text),
        _ => Error::new(ErrorKind::Unreachable, format!("The connection to the broker at {address} failed when asked {what}.")).with_detail(text),
    }
}

fn tls_error(text: &str) -> Error {
    Error::new(ErrorKind::Tls, tls_cause(text)).with_detail(text.to_string())
}

fn read_pem(path: &std::path::Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::new(ErrorKind::InvalidInput, format!("Could not read {what} {}.", path.display())).with_detail(e.to_string())
    })
}

/// Like librdkafka: a CA file replaces the system's roots; no CA file trusts the system's.
fn connector(tls: &Tls) -> Result<TlsConnector> {
    let mut builder = TlsConnector::builder();
    if let Some(ca) = &tls.ca_file {
        let certs = Certificate::stack_from_pem(&read_pem(ca, "the CA certificate")?).map_err(|e| {
            Error::new(ErrorKind::InvalidInput, format!("The CA certificate {} is not a PEM certificate.", ca.display()))
                .with_detail(e.to_string())
        })?;
        if certs.is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput, format!("The CA file {} holds no certificate.", ca.display())));
        }
        builder.disable_built_in_roots(true);
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    }
    if let Some((cert, key)) = &tls.client_identity {
        let identity = Identity::from_pkcs8(&read_pem(cert, "the client certificate")?, &read_pem(key, "the client key")?)
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidInput,
                    "The client certificate and key could not be used: the key must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY) matching the PEM certificate.",
                )
                .with_detail(e.to_string())
            })?;
        builder.identity(identity);
    }
    builder.danger_accept_invalid_hostnames(!tls.verify_hostname);
    builder
        .build()
        .map_err(|e| Error::new(ErrorKind::Tls, "TLS could not be set up for this connection.").with_detail(e.to_string()))
}
