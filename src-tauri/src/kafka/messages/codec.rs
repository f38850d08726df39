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
    /// The text to show. JSON and UTF-8 text are the bytes exactly as sent (never
    /// re-serialized: key order, escapes and big numbers stay); binary is base64 or hex.
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
pub fn decode(bytes: Option<&[u8]>, how: DecodeAs, limit: Option<usize>) -> Decoded {
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
        DecodeAs::Text => (Shown::Text, text_with_escapes(head)),
        DecodeAs::Json | DecodeAs::Auto => match utf8_prefix(head, truncated) {
            Some(text) => match json_text(text, truncated) {
                Some(json) => (Shown::Json, json),
                None => (Shown::Text, text.to_string()),
            },
            None if how == DecodeAs::Json => (Shown::Text, text_with_escapes(head)),
            None => (Shown::Base64, base64(head)),
        },
    };
    Decoded { shown, text, size, truncated, schema: None, note: None }
}

/// A piece of a value, for streaming a large one to the UI a piece at a time.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ValueChunk {
    pub text: String,
    /// Where the next piece starts (the value's size once it is all sent).
    pub next: u32,
    pub size: u32,
}

/// Bytes from `offset`, at most `max`, as `how` shows them, cut where the pieces join up:
/// after a whole UTF-8 character for text, at a multiple of 3 bytes for base64.
pub fn chunk(bytes: &[u8], offset: usize, max: usize, how: DecodeAs) -> ValueChunk {
    let size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let start = offset.min(bytes.len());
    let mut end = start.saturating_add(max.max(4)).min(bytes.len());
    match how {
        DecodeAs::Base64 if end < bytes.len() => end -= (end - start) % 3,
        DecodeAs::Auto | DecodeAs::Json | DecodeAs::Text if end < bytes.len() => {
            // Back off from the middle of a character (continuation bytes are 10xxxxxx).
            let mut cut = end;
            while cut > start && cut > end.saturating_sub(3) && bytes[cut] & 0xc0 == 0x80 {
                cut -= 1;
            }
            if cut > start {
                end = cut;
            }
        }
        _ => {}
    }
    let piece = &bytes[start..end];
    let text = match how {
        DecodeAs::Base64 => base64(piece),
        DecodeAs::Hex => hex::encode(piece),
        DecodeAs::Text => text_with_escapes(piece),
        DecodeAs::Auto | DecodeAs::Json => match std::str::from_utf8(piece) {
            Ok(text) => text.to_string(),
            Err(_) => text_with_escapes(piece),
        },
    };
    ValueChunk { text, next: u32::try_from(end).unwrap_or(u32::MAX), size }
}

/// The text of `head` when it is UTF-8; a cut may split the last character, which is dropped.
fn utf8_prefix(head: &[u8], truncated: bool) -> Option<&str> {
    match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        Err(e) if truncated && e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    }
}

/// The text, as it is, of a value that is a JSON object or array (a cut-off preview only
/// has to look like one). Checked, never re-serialized: serde_json would sort the keys,
/// unescape strings and round numbers beyond 2^53.
fn json_text(text: &str, truncated: bool) -> Option<String> {
    let start = text.trim_start().as_bytes().first().copied();
    if !matches!(start, Some(b'{') | Some(b'[')) {
        return None;
    }
    if !truncated {
        serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    }
    Some(text.to_string())
}

/// UTF-8 text where every byte that is not part of a UTF-8 character shows as `\xNN`
/// (instead of a replacement character that hides what was there).
fn text_with_escapes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
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
        assert_eq!(decode(Some(br#"{"a":1}"#), DecodeAs::Auto, None).shown, Shown::Json);
        assert_eq!(decode(Some("héllo".as_bytes()), DecodeAs::Auto, None).shown, Shown::Text);
        let bin = decode(Some(&[0xff, 0x00]), DecodeAs::Auto, None);
        assert_eq!((bin.shown, bin.text.as_str()), (Shown::Base64, "/wA="));
        assert_eq!(decode(None, DecodeAs::Auto, None).shown, Shown::Null);
        // A preview cut inside a multi-byte character stays text.
        let cut = decode(Some("aé".as_bytes()), DecodeAs::Auto, Some(2));
        assert_eq!((cut.shown, cut.text.as_str(), cut.truncated), (Shown::Text, "a", true));
    }

    #[test]
    fn json_is_shown_exactly_as_sent() {
        let sent = r#"{"z":1,  "a":"caf\u00e9 \ud83d\ude00","big":123456789012345678901234567890,"n":9007199254740993}"#;
        let shown = decode(Some(sent.as_bytes()), DecodeAs::Auto, None);
        assert_eq!((shown.shown, shown.text.as_str()), (Shown::Json, sent));
        // Looks like JSON but is not: plain text, still exact.
        let broken = decode(Some(b"{\"a\":"), DecodeAs::Auto, None);
        assert_eq!((broken.shown, broken.text.as_str()), (Shown::Text, "{\"a\":"));
    }

    #[test]
    fn chunks_join_up_to_the_whole_value() {
        let value = "héllo wörld ✓ 😀 ".repeat(1000);
        let bytes = value.as_bytes();
        for how in [DecodeAs::Auto, DecodeAs::Base64, DecodeAs::Hex] {
            let mut joined = String::new();
            let mut offset = 0;
            while offset < bytes.len() {
                let c = chunk(bytes, offset, 1001, how);
                assert!(c.next as usize > offset, "progress");
                joined.push_str(&c.text);
                offset = c.next as usize;
            }
            let whole = match how {
                DecodeAs::Base64 => base64(bytes),
                DecodeAs::Hex => hex::encode(bytes),
                _ => value.clone(),
            };
            assert_eq!(joined, whole, "{how:?}");
        }
    }

    #[test]
    fn text_shows_bytes_that_are_not_utf8_as_escapes() {
        let shown = decode(Some(&[b'o', b'k', 0xff, 0xc3, 0xa9, 0x80]), DecodeAs::Text, None);
        assert_eq!(shown.text, "ok\\xffé\\x80");
    }
}
