//! Filters over stored messages: substring, regex, JSON field equals, time range, partitions.
//! Compiled once, then run over raw bytes (no decoding) so a million messages take a blink.

use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::schema::searchable;
use super::store::StoredMessage;
use crate::registry::Decoder;
use crate::error::{Error, Result};

/// What the user asked for; every set condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Filter {
    #[ts(optional)]
    pub key_contains: Option<String>,
    #[ts(optional)]
    pub value_contains: Option<String>,
    /// Matches a header's name or value.
    #[ts(optional)]
    pub header_contains: Option<String>,
    /// A regular expression over the key or the value (either may match).
    #[ts(optional)]
    pub regex: Option<String>,
    /// A JSON pointer into the value (`/order/id`), compared with `jsonEquals`.
    #[ts(optional)]
    pub json_pointer: Option<String>,
    /// JSON (`42`, `"x"`, `true`); text that is not JSON is compared as a string.
    #[ts(optional)]
    pub json_equals: Option<String>,
    /// Milliseconds since the epoch, inclusive.
    #[ts(optional)]
    pub from_timestamp: Option<f64>,
    #[ts(optional)]
    pub to_timestamp: Option<f64>,
    #[ts(optional)]
    pub partitions: Option<Vec<i32>>,
}

pub struct CompiledFilter {
    key: Option<Finder<'static>>,
    value: Option<Finder<'static>>,
    header: Option<Finder<'static>>,
    regex: Option<regex::bytes::Regex>,
    json: Option<(String, serde_json::Value)>,
    from: Option<i64>,
    to: Option<i64>,
    partitions: Option<Vec<i32>>,
    /// Schema data is searched as its decoded JSON.
    decoder: Option<Decoder>,
}

fn finder(text: &Option<String>) -> Option<Finder<'static>> {
    text.as_deref().filter(|t| !t.is_empty()).map(|t| Finder::new(t.as_bytes()).into_owned())
}

impl Filter {
    pub fn compile(&self) -> Result<CompiledFilter> {
        let regex = match self.regex.as_deref().filter(|r| !r.is_empty()) {
            Some(r) => Some(
                regex::bytes::Regex::new(r)
                    .map_err(|e| Error::invalid_input("regex", format!("The regular expression is not valid: {e}")))?,
            ),
            None => None,
        };
        let json = match self.json_pointer.as_deref().filter(|p| !p.is_empty()) {
            Some(p) if !p.starts_with('/') => {
                return Err(Error::invalid_input("jsonPointer", "A JSON pointer starts with \"/\", like /order/id."));
            }
            Some(p) => {
                let text = self.json_equals.clone().unwrap_or_default();
                let expected = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
                Some((p.to_string(), expected))
            }
            None => None,
        };
        let ms = |t: Option<f64>| t.filter(|t| t.is_finite()).map(|t| t as i64);
        Ok(CompiledFilter {
            key: finder(&self.key_contains),
            value: finder(&self.value_contains),
            header: finder(&self.header_contains),
            regex,
            json,
            from: ms(self.from_timestamp),
            to: ms(self.to_timestamp),
            partitions: self.partitions.clone().filter(|p| !p.is_empty()),
            decoder: None,
        })
    }
}

impl CompiledFilter {
    pub fn with_decoder(mut self, decoder: Option<Decoder>) -> Self {
        self.decoder = decoder;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.key.is_none()
            && self.value.is_none()
            && self.header.is_none()
            && self.regex.is_none()
            && self.json.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.partitions.is_none()
    }

    pub fn matches(&self, m: &StoredMessage<'_>) -> bool {
        // Cheapest tests first.
        if let Some(p) = &self.partitions {
            if !p.contains(&m.partition) {
                return false;
            }
        }
        if self.from.is_some_and(|from| m.timestamp < from) || self.to.is_some_and(|to| m.timestamp > to) {
            return false;
        }
        let reads_key = self.key.is_some() || self.regex.is_some();
        let reads_value = self.value.is_some() || self.regex.is_some() || self.json.is_some();
        let decoder = self.decoder.as_ref();
        let key = match m.key() {
            Some(k) if reads_key => searchable(decoder, k, true),
            k => std::borrow::Cow::Borrowed(k.unwrap_or_default()),
        };
        let value = match m.value() {
            Some(v) if reads_value => searchable(decoder, v, false),
            v => std::borrow::Cow::Borrowed(v.unwrap_or_default()),
        };
        let (key, value) = (key.as_ref(), value.as_ref());
        if self.key.as_ref().is_some_and(|f| f.find(key).is_none()) {
            return false;
        }
        if self.value.as_ref().is_some_and(|f| f.find(value).is_none()) {
            return false;
        }
        if let Some(f) = &self.header {
            let hit = m
                .headers()
                .any(|(name, v)| f.find(name.as_bytes()).is_some() || v.is_some_and(|v| f.find(v).is_some()));
            if !hit {
                return false;
            }
        }
        if self.regex.as_ref().is_some_and(|r| !r.is_match(key) && !r.is_match(value)) {
            return false;
        }
        if let Some((pointer, expected)) = &self.json {
            let parsed: Option<serde_json::Value> = serde_json::from_slice(value).ok();
            if parsed.as_ref().and_then(|v| v.pointer(pointer)) != Some(expected) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::messages::store::TimestampType;

    fn msg<'a>(partition: i32, ts: i64, key: &'a str, value: &'a str, headers: &'a mut Vec<u8>) -> StoredMessage<'a> {
        crate::kafka::messages::store::push_header(headers, b"trace", Some(b"abc"));
        StoredMessage::new(partition, 0, (ts, TimestampType::CreateTime), Some(key.as_bytes()), Some(value.as_bytes()), headers)
    }

    #[test]
    fn every_condition_must_hold() {
        let mut headers = Vec::new();
        let m = msg(1, 1000, "order-7", r#"{"order":{"id":7,"state":"paid"}}"#, &mut headers);
        let f = |filter: Filter| filter.compile().unwrap().matches(&m);
        assert!(f(Filter { value_contains: Some("paid".into()), ..Default::default() }));
        assert!(!f(Filter { value_contains: Some("paid".into()), partitions: Some(vec![0]), ..Default::default() }));
        assert!(f(Filter { json_pointer: Some("/order/id".into()), json_equals: Some("7".into()), ..Default::default() }));
        assert!(f(Filter { json_pointer: Some("/order/state".into()), json_equals: Some("paid".into()), ..Default::default() }));
        assert!(!f(Filter { json_pointer: Some("/order/id".into()), json_equals: Some("8".into()), ..Default::default() }));
        assert!(f(Filter { regex: Some("^order-\\d+$".into()), ..Default::default() }));
        assert!(f(Filter { header_contains: Some("ab".into()), ..Default::default() }));
        assert!(!f(Filter { from_timestamp: Some(1001.0), ..Default::default() }));
        assert!(f(Filter { from_timestamp: Some(1000.0), to_timestamp: Some(1000.0), ..Default::default() }));
    }

    #[test]
    fn bad_regex_and_pointer_name_their_field() {
        let e = Filter { regex: Some("(".into()), ..Default::default() }.compile().err().unwrap();
        assert_eq!(e.detail.as_deref(), Some("regex"));
        let e = Filter { json_pointer: Some("order".into()), ..Default::default() }.compile().err().unwrap();
        assert_eq!(e.detail.as_deref(), Some("jsonPointer"));
    }
}
