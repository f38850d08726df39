//! The session's messages, kept on the Rust side: a bounded queue addressed by sequence
//! number (the n-th message the session stored), so a filtered view and the UI's window
//! stay valid while tail mode drops the oldest.

use std::collections::VecDeque;

use rdkafka::message::{Headers, Message, Timestamp};
use serde::Serialize;
use ts_rs::TS;

use super::codec::{self, DecodeAs, Decoded};
pub use super::codec::ValueChunk;

/// Bytes a row preview decodes of a key and of a value.
pub const KEY_PREVIEW: usize = 120;
pub const VALUE_PREVIEW: usize = 300;
/// A detail shows at most this much of a value until the user asks for all of it.
pub const DETAIL_PREVIEW: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum TimestampType {
    None,
    CreateTime,
    LogAppendTime,
}

/// One consumed record. Key and value share one allocation (`data`: the key's bytes, then
/// the value's), which keeps a million stored messages near their payload size.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    pub partition: i32,
    pub offset: i64,
    pub timestamp: i64,
    pub timestamp_type: TimestampType,
    /// Length of the key in `data`; -1 for a null key.
    key_len: i32,
    /// False for a null value (a tombstone).
    has_value: bool,
    data: Box<[u8]>,
    pub headers: Vec<(String, Option<Box<[u8]>>)>,
}

impl StoredMessage {
    pub fn new(
        partition: i32,
        offset: i64,
        (timestamp, timestamp_type): (i64, TimestampType),
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<(String, Option<Box<[u8]>>)>,
    ) -> StoredMessage {
        let k = key.unwrap_or_default();
        let v = value.unwrap_or_default();
        let mut data = Vec::with_capacity(k.len() + v.len());
        data.extend_from_slice(k);
        data.extend_from_slice(v);
        StoredMessage {
            partition,
            offset,
            timestamp,
            timestamp_type,
            key_len: key.map_or(-1, |k| i32::try_from(k.len()).unwrap_or(i32::MAX)),
            has_value: value.is_some(),
            data: data.into_boxed_slice(),
            headers,
        }
    }

    pub fn key(&self) -> Option<&[u8]> {
        usize::try_from(self.key_len).ok().map(|n| &self.data[..n])
    }

    pub fn value(&self) -> Option<&[u8]> {
        let start = usize::try_from(self.key_len).unwrap_or(0);
        self.has_value.then(|| &self.data[start..])
    }

    pub fn from_kafka<M: Message>(m: &M) -> StoredMessage {
        let (timestamp, timestamp_type) = match m.timestamp() {
            Timestamp::NotAvailable => (-1, TimestampType::None),
            Timestamp::CreateTime(t) => (t, TimestampType::CreateTime),
            Timestamp::LogAppendTime(t) => (t, TimestampType::LogAppendTime),
        };
        let headers = m
            .headers()
            .map(|hs| hs.iter().map(|h| (h.key.to_string(), h.value.map(Box::from))).collect())
            .unwrap_or_default();
        StoredMessage::new(m.partition(), m.offset(), (timestamp, timestamp_type), m.key(), m.payload(), headers)
    }

    /// Bytes this message holds (payload only; the fixed overhead is counted per message).
    pub fn bytes(&self) -> usize {
        let h: usize = self.headers.iter().map(|(n, v)| n.len() + v.as_ref().map_or(0, |v| v.len())).sum();
        self.data.len() + h
    }
}

/// Approximate fixed cost of one stored message, for the byte cap.
const OVERHEAD: usize = std::mem::size_of::<StoredMessage>() + 32;

pub struct Store {
    messages: VecDeque<StoredMessage>,
    /// Sequence number of `messages[0]`: how many were dropped before it.
    first_seq: u64,
    bytes: usize,
    pub max_messages: usize,
    pub max_bytes: usize,
}

impl Store {
    pub fn new(max_messages: usize, max_bytes: usize) -> Store {
        Store { messages: VecDeque::new(), first_seq: 0, bytes: 0, max_messages, max_bytes }
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn dropped(&self) -> u64 {
        self.first_seq
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn is_full(&self) -> bool {
        self.messages.len() >= self.max_messages || self.bytes >= self.max_bytes
    }

    /// Stores a message, first dropping the oldest while full. Returns its sequence number.
    pub fn push_dropping(&mut self, m: StoredMessage) -> u64 {
        while self.is_full() {
            match self.messages.pop_front() {
                Some(old) => {
                    self.bytes -= old.bytes() + OVERHEAD;
                    self.first_seq += 1;
                }
                None => break,
            }
        }
        self.bytes += m.bytes() + OVERHEAD;
        self.messages.push_back(m);
        self.first_seq + self.messages.len() as u64 - 1
    }

    pub fn get(&self, seq: u64) -> Option<&StoredMessage> {
        let index = seq.checked_sub(self.first_seq)?;
        self.messages.get(usize::try_from(index).ok()?)
    }

    /// Every stored message with its sequence number, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &StoredMessage)> {
        let first = self.first_seq;
        self.messages.iter().enumerate().map(move |(i, m)| (first + i as u64, m))
    }

    pub fn first_seq(&self) -> u64 {
        self.first_seq
    }
}

/// One line of the message table.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MessageRow {
    #[ts(type = "number")]
    pub seq: u64,
    pub partition: i32,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub timestamp: i64,
    pub timestamp_type: TimestampType,
    pub key: Decoded,
    pub value: Decoded,
    pub header_count: u32,
    /// Key + value + headers, in bytes.
    pub size: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HeaderView {
    pub name: String,
    pub value: Decoded,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MessageDetail {
    #[ts(type = "number")]
    pub seq: u64,
    pub partition: i32,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub timestamp: i64,
    pub timestamp_type: TimestampType,
    pub key: Decoded,
    pub value: Decoded,
    pub headers: Vec<HeaderView>,
    pub size: u32,
}

fn size32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn row(seq: u64, m: &StoredMessage, key_as: DecodeAs, value_as: DecodeAs) -> MessageRow {
    MessageRow {
        seq,
        partition: m.partition,
        offset: m.offset,
        timestamp: m.timestamp,
        timestamp_type: m.timestamp_type,
        key: codec::decode(m.key(), key_as, Some(KEY_PREVIEW)),
        value: codec::decode(m.value(), value_as, Some(VALUE_PREVIEW)),
        header_count: size32(m.headers.len()),
        size: size32(m.bytes()),
    }
}

/// The full message; values over [`DETAIL_PREVIEW`] are cut unless `full`.
pub fn detail(seq: u64, m: &StoredMessage, key_as: DecodeAs, value_as: DecodeAs, full: bool) -> MessageDetail {
    let limit = if full { None } else { Some(DETAIL_PREVIEW) };
    MessageDetail {
        seq,
        partition: m.partition,
        offset: m.offset,
        timestamp: m.timestamp,
        timestamp_type: m.timestamp_type,
        key: codec::decode(m.key(), key_as, limit),
        value: codec::decode(m.value(), value_as, limit),
        headers: m
            .headers
            .iter()
            .map(|(name, v)| HeaderView { name: name.clone(), value: codec::decode(v.as_deref(), DecodeAs::Auto, limit) })
            .collect(),
        size: size32(m.bytes()),
    }
}

/// A piece of the value, for "load full" (see [`codec::chunk`]); `None` for a tombstone.
pub fn value_chunk(m: &StoredMessage, offset: u32, max: u32, how: DecodeAs) -> Option<ValueChunk> {
    m.value().map(|v| codec::chunk(v, offset as usize, max as usize, how))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(offset: i64, value: &[u8]) -> StoredMessage {
        StoredMessage::new(0, offset, (0, TimestampType::CreateTime), None, Some(value), vec![])
    }

    #[test]
    fn a_full_store_drops_the_oldest_and_keeps_sequence_numbers() {
        let mut store = Store::new(3, usize::MAX);
        for i in 0..5 {
            assert_eq!(store.push_dropping(msg(i, b"v")), i as u64);
        }
        assert_eq!((store.len(), store.dropped()), (3, 2));
        assert!(store.get(1).is_none());
        assert_eq!(store.get(4).map(|m| m.offset), Some(4));
        assert_eq!(store.iter().map(|(s, _)| s).collect::<Vec<_>>(), vec![2, 3, 4]);
    }
}
