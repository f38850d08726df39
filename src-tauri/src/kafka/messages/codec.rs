//! Bytes in and out: what the user typed (text, JSON, base64, hex) into bytes to send,
//! stored bytes into something to show, and the key hash that picks a partition.

use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// How typed input becomes bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum InputFormat {
    #[default]
    Text,
    /// Validated as JSON, sent as typed.
    Json,
    Base64,
    Hex,
}

/// How stored bytes are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DecodeAs {
    /// JSON when it parses, else UTF-8 text, else base64.
    #[default]
    Auto,
    Text,
    Json,
    Hex,
    Base64,
}

/// What a decoded key or value turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Shown {
    Null,
    Text,
    Json,
    Hex,
    Base64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Decoded {
    pub shown: Shown,
    /// The text to show; JSON is pretty-printed in full views, compact in previews.
    pub text: String,
    /// Size of the raw bytes.
    pub size: u32,
    /// True when `text` covers only the first bytes (a preview).
    pub truncated: bool,
    /// The registry schema the JSON in `text` was decoded with.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub schema: Option<crate::registry::decoder::SchemaTag>,
    /// Why schema data could not be decoded (`text` then shows the raw bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// Turns user input into bytes; `field` names the form field in errors (`key`, `value`, ...).
pub fn encode(input: &str, format: InputFormat, field: &str, label: &str) -> Result<Vec<u8>> {
    match format {
        InputFormat::Text => Ok(input.as_bytes().to_vec()),
        InputFormat::Json => {
            serde_json::from_str::<serde::de::IgnoredAny>(input).map_err(|e| {
                Error::invalid_input(
                    field,
                    format!("{label} is not valid JSON: {} at line {}, column {}.", json_reason(&e), e.line(), e.column()),
                )
            })?;
            Ok(input.as_bytes().to_vec())
        }
        InputFormat::Base64 => {
            let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|e| Error::invalid_input(field, format!("{label} is not valid base64: {e}.")))
        }
        InputFormat::Hex => {
            let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            hex::decode(compact).map_err(|e| Error::invalid_input(field, format!("{label} is not valid hex: {e}.")))
        }
    }
}

/// serde_json's reason without its own " at line X column Y" suffix.
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Shows bytes; `limit` caps how many bytes are decoded (`None`: all of them).
pub fn decode(bytes: Option<&[u8]>, how: DecodeAs, limit: Option<usize>, pretty: bool) -> Decoded {
    let Some(bytes) = bytes else {
        return Decoded { shown: Shown::Null, text: String::new(), size: 0, truncated: false, schema: None, note: None };
    };
    let size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let cut = limit.map_or(bytes.len(), |l| l.min(bytes.len()));
    let truncated = cut < bytes.len();
    let head = &bytes[..cut];
    let (shown, text) = match how {
        DecodeAs::Hex => (Shown::Hex, hex::encode(head)),
        DecodeAs::Base64 => (Shown::Base64, base64(head)),
        DecodeAs::Text => (Shown::Text, String::from_utf8_lossy(head).into_owned()),
        DecodeAs::Json | DecodeAs::Auto => match utf8_prefix(head, truncated) {
            Some(text) => match json_text(text, truncated, pretty) {
                Some(json) => (Shown::Json, json),
                None => (Shown::Text, text.to_string()),
            },
            None if how == DecodeAs::Json => (Shown::Text, String::from_utf8_lossy(head).into_owned()),
            None => (Shown::Base64, base64(head)),
        },
    };
    Decoded { shown, text, size, truncated, schema: None, note: None }
}

/// The text of `head` when it is UTF-8; a cut may split the last character, which is dropped.
fn utf8_prefix(head: &[u8], truncated: bool) -> Option<&str> {
    match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        Err(e) if truncated && e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    }
}

/// JSON text for a value that parses as a JSON object or array (a cut-off preview only
/// has to look like one); pretty-printed on request.
fn json_text(text: &str, truncated: bool, pretty: bool) -> Option<String> {
    let start = text.trim_start().as_bytes().first().copied();
    if !matches!(start, Some(b'{') | Some(b'[')) {
        return None;
    }
    if truncated {
        return Some(text.to_string());
    }
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    if pretty {
        serde_json::to_string_pretty(&value).ok()
    } else {
        Some(text.to_string())
    }
}

/// Kafka's murmur2 (the Java client's default partitioner, and librdkafka's
/// `murmur2_random` for non-null keys).
pub fn murmur2(data: &[u8]) -> u32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let mut h: u32 = SEED ^ (data.len() as u32);
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = chunks.remainder();
    if rest.len() == 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h
}

/// The partition a key goes to among `partitions`, as the Java client computes it.
pub fn partition_for_key(key: &[u8], partitions: i32) -> i32 {
    if partitions <= 0 {
        return 0;
    }
    ((murmur2(key) & 0x7fff_ffff) % partitions as u32) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_the_java_client() {
        // Vectors from Kafka's UtilsTest.testMurmur2.
        assert_eq!(murmur2(b"21") as i32, -973_932_308);
        assert_eq!(murmur2(b"foobar") as i32, -790_332_482);
        assert_eq!(murmur2(b"a-little-bit-long-string") as i32, -985_981_536);
        assert_eq!(murmur2(b"a-little-bit-longer-string") as i32, -1_486_304_829);
        assert_eq!(murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") as i32, -58_897_971);
        assert_eq!(murmur2(&[b'a', b'b', b'c']) as i32, 479_470_107);
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let e = encode("{\n  \"a\": 1,\n  \"b\": }", InputFormat::Json, "value", "Value").unwrap_err();
        assert_eq!(e.detail.as_deref(), Some("value"));
        assert!(e.message.contains("line 3, column 8"), "{}", e.message);
    }

    #[test]
    fn base64_and_hex_inputs_become_bytes() {
        assert_eq!(encode("AAH/", InputFormat::Base64, "key", "Key").unwrap(), vec![0, 1, 255]);
        assert_eq!(encode("00 01 ff", InputFormat::Hex, "key", "Key").unwrap(), vec![0, 1, 255]);
        assert!(encode("zz", InputFormat::Hex, "key", "Key").unwrap_err().message.contains("hex"));
    }

    #[test]
    fn auto_decodes_json_text_and_binary() {
        assert_eq!(decode(Some(br#"{"a":1}"#), DecodeAs::Auto, None, false).shown, Shown::Json);
        assert_eq!(decode(Some("héllo".as_bytes()), DecodeAs::Auto, None, false).shown, Shown::Text);
        let bin = decode(Some(&[0xff, 0x00]), DecodeAs::Auto, None, false);
        assert_eq!((bin.shown, bin.text.as_str()), (Shown::Base64, "/wA="));
        assert_eq!(decode(None, DecodeAs::Auto, None, false).shown, Shown::Null);
        // A preview cut inside a multi-byte character stays text.
        let cut = decode(Some("aé".as_bytes()), DecodeAs::Auto, Some(2), false);
        assert_eq!((cut.shown, cut.text.as_str(), cut.truncated), (Shown::Text, "a", true));
    }
}
