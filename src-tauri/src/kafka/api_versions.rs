//! The broker's Kafka version, as far as ApiVersions (API key 18) tells it.
//!
//! librdkafka asks every broker for its ApiVersions but does not share the answer, so we
//! ask once ourselves, version 0 over plain TCP: enough for PLAINTEXT listeners and for
//! SASL_PLAINTEXT ones (brokers answer ApiVersions before authentication). Over TLS the
//! question is not asked and the range is reported as unknown.
//!
//! ApiVersions gives API ranges, not a release number; the lower bound comes from the
//! newest API (or removed old version) a release introduced, so the answer reads
//! "Kafka 3.9 or newer". No upper bound is claimed.

use std::time::Duration;

use super::quorum::{exchange, Reader};
use crate::error::{Error, ErrorKind, Result};

const API_KEY_API_VERSIONS: i16 = 18;

/// (api key, min version, max version) for each API the broker supports.
pub type ApiRange = (i16, i16, i16);

pub fn api_versions(host: &str, port: u16, timeout: Duration) -> Result<Vec<ApiRange>> {
    let body = exchange(host, port, timeout, &encode_request(7), "for its API versions")?;
    decode_response(&body, 7)
}

/// Request header v1 + ApiVersionsRequest v0 (empty), with the size prefix.
fn encode_request(correlation_id: i32) -> Vec<u8> {
    let client_id = b"kafkadesk";
    let mut msg = Vec::with_capacity(32);
    msg.extend_from_slice(&API_KEY_API_VERSIONS.to_be_bytes());
    msg.extend_from_slice(&0i16.to_be_bytes());
    msg.extend_from_slice(&correlation_id.to_be_bytes());
    msg.extend_from_slice(&(client_id.len() as i16).to_be_bytes());
    msg.extend_from_slice(client_id);
    let mut framed = (msg.len() as i32).to_be_bytes().to_vec();
    framed.extend_from_slice(&msg);
    framed
}

pub(crate) fn decode_response(body: &[u8], correlation_id: i32) -> Result<Vec<ApiRange>> {
    let unreadable = || Error::new(ErrorKind::Kafka, "The broker's API versions could not be read.");
    let mut r = Reader { buf: body };
    if r.i32()? != correlation_id {
        return Err(unreadable().with_detail("ApiVersions: correlation id"));
    }
    let code = r.i16()?;
    if code != 0 {
        return Err(unreadable().with_detail(format!("ApiVersions: error code {code}")));
    }
    let n = usize::try_from(r.i32()?).map_err(|_| unreadable().with_detail("ApiVersions: null array"))?;
    let mut apis = Vec::with_capacity(n.min(256));
    for _ in 0..n {
        apis.push((r.i16()?, r.i16()?, r.i16()?));
    }
    Ok(apis)
}

/// "Kafka X or newer" from landmarks: (release, what must hold). Newest first.
pub fn version_range(apis: &[ApiRange]) -> String {
    let has = |key: i16| apis.iter().any(|(k, _, _)| *k == key);
    let min_version = |key: i16| apis.iter().find(|(k, _, _)| *k == key).map(|(_, min, _)| *min);
    let landmarks: [(&str, bool); 8] = [
        // KIP-896: 4.0 removed Fetch v0-v3 (Kafka 4.1 answers Fetch 4 to 18).
        ("4.0", min_version(1).is_some_and(|m| m >= 4)),
        // KIP-853: AddRaftVoter.
        ("3.9", has(80)),
        // KIP-700: DescribeCluster.
        ("2.8", has(60)),
        // KIP-584: UpdateFeatures.
        ("2.7", has(57)),
        // KIP-546: DescribeClientQuotas.
        ("2.6", has(48)),
        // KIP-496: OffsetDelete.
        ("2.4", has(47)),
        // KIP-339: IncrementalAlterConfigs.
        ("2.3", has(44)),
        // KIP-35: ApiVersions itself.
        ("0.10", has(API_KEY_API_VERSIONS)),
    ];
    match landmarks.iter().find(|(_, holds)| *holds) {
        Some((release, _)) => format!("Kafka {release} or newer"),
        None => "an unknown Kafka version".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_response_and_names_the_release() {
        let mut body = 7i32.to_be_bytes().to_vec();
        body.extend_from_slice(&0i16.to_be_bytes());
        body.extend_from_slice(&2i32.to_be_bytes());
        for (k, min, max) in [(1i16, 4i16, 18i16), (18, 0, 4)] {
            for v in [k, min, max] {
                body.extend_from_slice(&v.to_be_bytes());
            }
        }
        let apis = decode_response(&body, 7).unwrap();
        assert_eq!(apis, vec![(1, 4, 18), (18, 0, 4)]);
        assert_eq!(version_range(&apis), "Kafka 4.0 or newer");
        assert_eq!(version_range(&[(1, 0, 12), (18, 0, 3), (60, 0, 1)]), "Kafka 2.8 or newer");
        assert!(decode_response(&body[..9], 7).is_err(), "a truncated answer is an error, not a panic");
    }
}
