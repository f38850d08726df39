//! Schema decoding laid over the plain byte views: the table, the detail, filters and
//! export call these with the session's [`Decoder`] (when the profile has a registry or
//! the topic a local Protobuf type). Only what is shown, searched or exported is decoded.

use std::borrow::Cow;

use super::codec::{self, DecodeAs, Decoded, Shown};
use crate::registry::decoder::{Decoder, Outcome};

/// Replaces `decoded` (the plain view of `bytes`) by the schema-decoded JSON when the bytes
/// are schema data and the user left the view on "auto"; a record that cannot be decoded
/// keeps its raw bytes (hex) with a note saying why.
pub fn overlay(decoder: &Decoder, decoded: &mut Decoded, bytes: Option<&[u8]>, is_key: bool, how: DecodeAs, limit: Option<usize>, pretty: bool) {
    let Some(bytes) = bytes else { return };
    if how != DecodeAs::Auto {
        return;
    }
    match decoder.decode(bytes, is_key) {
        None => {}
        Some(Outcome::Decoded(json, tag)) => {
            let text = if pretty { serde_json::to_string_pretty(&json) } else { serde_json::to_string(&json) }.unwrap_or_default();
            let (text, truncated) = match limit {
                Some(l) if text.len() > l => {
                    let mut cut = l;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    (text[..cut].to_string(), true)
                }
                _ => (text, false),
            };
            *decoded = Decoded { shown: Shown::Json, text, size: decoded.size, truncated, schema: Some(tag), note: None };
        }
        Some(Outcome::Failed(note)) => {
            let mut raw = codec::decode(Some(bytes), DecodeAs::Hex, limit);
            raw.note = Some(note);
            *decoded = raw;
        }
    }
}

/// What a filter searches for one key or value: the decoded JSON text of schema data,
/// else the bytes themselves (also when schema data cannot be decoded).
pub fn searchable<'a>(decoder: Option<&Decoder>, bytes: &'a [u8], is_key: bool) -> Cow<'a, [u8]> {
    match decoder.and_then(|d| d.decode_text(bytes, is_key)) {
        Some(Ok(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(bytes),
    }
}

/// The export field of schema data: the decoded JSON and the schema it was written with.
pub fn export_field(decoder: Option<&Decoder>, bytes: Option<&[u8]>, is_key: bool) -> Option<(serde_json::Value, serde_json::Value)> {
    match decoder?.decode(bytes?, is_key)? {
        Outcome::Decoded(json, tag) => Some((json, serde_json::to_value(tag).unwrap_or_default())),
        Outcome::Failed(_) => None,
    }
}
