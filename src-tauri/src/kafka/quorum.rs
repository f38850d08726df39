//! The KRaft controller quorum, through the DescribeQuorum request (API key 55).
//!
//! Why by hand: in KRaft mode a broker answers DescribeCluster and Metadata with a
//! *random live broker* as "controller", so the only true answer to "who is the active
//! controller" is the quorum leader, and librdkafka has no DescribeQuorum call. A broker
//! forwards this request to the active controller, like `kafka-metadata-quorum.sh` relies on.
//!
//! This speaks version 0 of the request over a plain TCP connection: enough for
//! PLAINTEXT listeners. On a TLS or SASL listener it fails fast and the caller reports the
//! controller as unknown rather than guessing.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};

const API_KEY_DESCRIBE_QUORUM: i16 = 55;
const API_VERSION: i16 = 0;
const METADATA_TOPIC: &str = "__cluster_metadata";
/// Kafka's UNSUPPORTED_VERSION: the cluster is not KRaft or too old for DescribeQuorum.
const UNSUPPORTED_VERSION: i16 = 35;
const MAX_RESPONSE_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuorumReplica {
    pub id: i32,
    pub log_end_offset: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quorum {
    pub leader_id: i32,
    pub leader_epoch: i32,
    pub high_watermark: i64,
    pub voters: Vec<QuorumReplica>,
    pub observers: Vec<QuorumReplica>,
}

/// Asks the broker at `host:port` to describe the metadata quorum.
/// An `Error` of kind `Kafka` with detail `UNSUPPORTED_VERSION` means "not a KRaft cluster".
pub fn describe_quorum(host: &str, port: u16, timeout: Duration) -> Result<Quorum> {
    let body = exchange(host, port, timeout, &encode_request(1), "about the controller quorum")?;
    decode_response(&body, 1)
}

/// Sends one framed request to `host:port` over plain TCP and returns the response body
/// (after its size prefix). `what` completes "Could not ask host:port ...".
pub(crate) fn exchange(host: &str, port: u16, timeout: Duration, request: &[u8], what: &str) -> Result<Vec<u8>> {
    let unreachable = |e: std::io::Error| {
        Error::new(ErrorKind::Unreachable, format!("Could not ask {host}:{port} {what}.")).with_detail(e.to_string())
    };
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(unreachable)?
        .next()
        .ok_or_else(|| Error::new(ErrorKind::Unreachable, format!("{host} has no address.")))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(unreachable)?;
    stream.set_read_timeout(Some(timeout)).map_err(unreachable)?;
    stream.set_write_timeout(Some(timeout)).map_err(unreachable)?;
    stream.write_all(request).map_err(unreachable)?;

    let mut size = [0u8; 4];
    stream.read_exact(&mut size).map_err(unreachable)?;
    let size = usize::try_from(i32::from_be_bytes(size)).unwrap_or(0);
    if size == 0 || size > MAX_RESPONSE_BYTES {
        return Err(Error::new(ErrorKind::Kafka, format!("The broker at {host}:{port} sent an unreadable answer."))
            .with_detail(format!("a response of {size} bytes")));
    }
    let mut body = vec![0u8; size];
    stream.read_exact(&mut body).map_err(unreachable)?;
    Ok(body)
}

fn protocol_error(what: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Kafka, "The broker's answer about the controller quorum could not be read.")
        .with_detail(format!("DescribeQuorum: unexpected {what}"))
}

/// Request header v2 (flexible) + DescribeQuorumRequest v0, with the size prefix.
fn encode_request(correlation_id: i32) -> Vec<u8> {
    let client_id = b"kafkadesk";
    let mut msg = Vec::with_capacity(64);
    msg.extend_from_slice(&API_KEY_DESCRIBE_QUORUM.to_be_bytes());
    msg.extend_from_slice(&API_VERSION.to_be_bytes());
    msg.extend_from_slice(&correlation_id.to_be_bytes());
    // The header's client id stays a classic int16-length string even in flexible versions.
    msg.extend_from_slice(&(client_id.len() as i16).to_be_bytes());
    msg.extend_from_slice(client_id);
    msg.push(0); // header tagged fields
    msg.push(2); // topics: compact array of 1
    msg.push(METADATA_TOPIC.len() as u8 + 1);
    msg.extend_from_slice(METADATA_TOPIC.as_bytes());
    msg.push(2); // partitions: compact array of 1
    msg.extend_from_slice(&0i32.to_be_bytes());
    msg.push(0); // partition tagged fields
    msg.push(0); // topic tagged fields
    msg.push(0); // request tagged fields
    let mut framed = (msg.len() as i32).to_be_bytes().to_vec();
    framed.extend_from_slice(&msg);
    framed
}

pub(crate) struct Reader<'a> {
    pub(crate) buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.buf.len() < n {
            return Err(protocol_error("end of response"));
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }
    pub(crate) fn i16(&mut self) -> Result<i16> {
        let b = self.take(2)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }
    pub(crate) fn i32(&mut self) -> Result<i32> {
        let b = self.take(4)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i64(&mut self) -> Result<i64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }
    fn uvarint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(protocol_error("varint"))
    }
    /// A compact array or string length: stored as N + 1, with 0 meaning null.
    fn compact_len(&mut self) -> Result<usize> {
        let n = self.uvarint()?;
        Ok(usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX))
    }
    fn compact_string(&mut self) -> Result<String> {
        let n = self.compact_len()?;
        Ok(String::from_utf8_lossy(self.take(n)?).into_owned())
    }
    fn skip_tagged_fields(&mut self) -> Result<()> {
        for _ in 0..self.uvarint()? {
            self.uvarint()?;
            let size = usize::try_from(self.uvarint()?).unwrap_or(usize::MAX);
            self.take(size)?;
        }
        Ok(())
    }
    fn replicas(&mut self) -> Result<Vec<QuorumReplica>> {
        let n = self.compact_len()?;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let id = self.i32()?;
            let log_end_offset = self.i64()?;
            self.skip_tagged_fields()?;
            out.push(QuorumReplica { id, log_end_offset });
        }
        Ok(out)
    }
}

/// Response header v1 (flexible) + DescribeQuorumResponse v0.
pub(crate) fn decode_response(body: &[u8], correlation_id: i32) -> Result<Quorum> {
    let mut r = Reader { buf: body };
    if r.i32()? != correlation_id {
        return Err(protocol_error("correlation id"));
    }
    r.skip_tagged_fields()?;
    check_code(r.i16()?)?;
    let mut found = None;
    for _ in 0..r.compact_len()? {
        let topic = r.compact_string()?;
        for _ in 0..r.compact_len()? {
            let partition = r.i32()?;
            let code = r.i16()?;
            let leader_id = r.i32()?;
            let leader_epoch = r.i32()?;
            let high_watermark = r.i64()?;
            let voters = r.replicas()?;
            let observers = r.replicas()?;
            r.skip_tagged_fields()?;
            if topic == METADATA_TOPIC && partition == 0 {
                check_code(code)?;
                found = Some(Quorum { leader_id, leader_epoch, high_watermark, voters, observers });
            }
        }
        r.skip_tagged_fields()?;
    }
    r.skip_tagged_fields()?;
    found.ok_or_else(|| protocol_error("answer without the metadata partition"))
}

fn check_code(code: i16) -> Result<()> {
    match code {
        0 => Ok(()),
        UNSUPPORTED_VERSION => Err(Error::new(ErrorKind::Kafka, "This cluster does not describe a KRaft quorum.")
            .with_detail("UNSUPPORTED_VERSION")),
        code => Err(Error::new(ErrorKind::Kafka, format!("The broker refused to describe the controller quorum (error {code}).")).with_detail(format!("error code {code}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_matches_the_wire_format() {
        let bytes = encode_request(7);
        let size = i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        assert_eq!(size, bytes.len() - 4);
        assert_eq!(&bytes[4..8], &[0, 55, 0, 0]); // api key 55, version 0
        assert_eq!(&bytes[8..12], &7i32.to_be_bytes());
        assert!(bytes.windows(METADATA_TOPIC.len()).any(|w| w == METADATA_TOPIC.as_bytes()));
    }

    fn response(code: i16, leader: i32) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&1i32.to_be_bytes());
        b.push(0);
        b.extend_from_slice(&0i16.to_be_bytes());
        b.push(2);
        b.push(METADATA_TOPIC.len() as u8 + 1);
        b.extend_from_slice(METADATA_TOPIC.as_bytes());
        b.push(2);
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&code.to_be_bytes());
        b.extend_from_slice(&leader.to_be_bytes());
        b.extend_from_slice(&5i32.to_be_bytes());
        b.extend_from_slice(&99i64.to_be_bytes());
        b.push(3); // two voters
        for id in [1i32, 2] {
            b.extend_from_slice(&id.to_be_bytes());
            b.extend_from_slice(&(90 + i64::from(id)).to_be_bytes());
            b.push(0);
        }
        b.push(1); // no observers
        b.push(0);
        b.push(0);
        b.push(0);
        b
    }

    #[test]
    fn decodes_leader_voters_and_observers() {
        let q = decode_response(&response(0, 2), 1).unwrap();
        assert_eq!(q.leader_id, 2);
        assert_eq!(q.leader_epoch, 5);
        assert_eq!(q.high_watermark, 99);
        assert_eq!(q.voters, vec![QuorumReplica { id: 1, log_end_offset: 91 }, QuorumReplica { id: 2, log_end_offset: 92 }]);
        assert!(q.observers.is_empty());
    }

    #[test]
    fn truncated_or_failed_answers_are_errors_not_panics() {
        let full = response(0, 2);
        for cut in 0..full.len() {
            assert!(decode_response(&full[..cut], 1).is_err(), "cut at {cut}");
        }
        assert_eq!(decode_response(&response(35, 2), 1).unwrap_err().detail.as_deref(), Some("UNSUPPORTED_VERSION"));
    }
}
