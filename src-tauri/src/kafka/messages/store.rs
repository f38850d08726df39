//! The session's messages, kept on the Rust side: a bounded queue addressed by sequence
//! number (the n-th message the session stored), so a filtered view and the UI's window
//! stay valid while tail mode drops the oldest.
//!
//! Memory is an arena: keys, values and headers of many messages lie back to back in
//! large segments, beside one compact fixed-size entry per message (offsets, lengths,
//! timestamp). No allocation per message, no pointer per message; a million 200-byte
//! messages take little more than their payload. Headers are kept in a compact encoding
//! and decoded only when a detail, filter or export asks. Tail mode drops the oldest
//! messages one by one (exact caps) and frees a whole segment once all of it is dropped.

use std::collections::VecDeque;

use serde::Serialize;
use ts_rs::TS;

use super::codec::{self, DecodeAs, Decoded};
pub use super::codec::ValueChunk;

/// Bytes a row preview decodes of a key and of a value.
pub const KEY_PREVIEW: usize = 120;
pub const VALUE_PREVIEW: usize = 300;
/// A detail shows at most this much of a value until the user asks for all of it.
pub const DETAIL_PREVIEW: usize = 1024 * 1024;
/// Bytes of one arena segment (a larger message gets a segment of its own size).
const SEGMENT_BYTES: usize = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum TimestampType {
    None,
    CreateTime,
    LogAppendTime,
}

impl TimestampType {
    /// From librdkafka's rd_kafka_timestamp_type_t (0 none, 1 create, 2 log append).
    pub fn from_native(kind: i32) -> TimestampType {
        match kind {
            1 => TimestampType::CreateTime,
            2 => TimestampType::LogAppendTime,
            _ => TimestampType::None,
        }
    }
}

/// One record, borrowed: from the store, or from librdkafka while it is being consumed.
#[derive(Debug, Clone, Copy)]
pub struct StoredMessage<'a> {
    pub partition: i32,
    pub offset: i64,
    pub timestamp: i64,
    pub timestamp_type: TimestampType,
    key: Option<&'a [u8]>,
    value: Option<&'a [u8]>,
    /// Headers in the compact encoding of [`push_header`].
    headers: &'a [u8],
}

impl<'a> StoredMessage<'a> {
    pub fn new(
        partition: i32,
        offset: i64,
        (timestamp, timestamp_type): (i64, TimestampType),
        key: Option<&'a [u8]>,
        value: Option<&'a [u8]>,
        headers: &'a [u8],
    ) -> StoredMessage<'a> {
        StoredMessage { partition, offset, timestamp, timestamp_type, key, value, headers }
    }

    pub fn key(&self) -> Option<&'a [u8]> {
        self.key
    }

    /// `None` for a null value (a tombstone).
    pub fn value(&self) -> Option<&'a [u8]> {
        self.value
    }

    /// Every header, in order: name and value (`None` for a null value).
    pub fn headers(&self) -> HeaderIter<'a> {
        HeaderIter(self.headers)
    }

    pub fn header_count(&self) -> usize {
        self.headers().count()
    }

    /// Bytes of key, value and headers.
    pub fn bytes(&self) -> usize {
        self.key.map_or(0, <[u8]>::len) + self.value.map_or(0, <[u8]>::len) + self.headers.len()
    }
}

/// Appends one header in the store's compact encoding: the name's length (u32, little
/// endian), the name (UTF-8), the value's length (i32, -1 for null), the value.
pub fn push_header(out: &mut Vec<u8>, name: &[u8], value: Option<&[u8]>) {
    let name: std::borrow::Cow<'_, str> = String::from_utf8_lossy(name);
    out.extend_from_slice(&(name.len() as u32).to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    match value {
        Some(v) => {
            out.extend_from_slice(&i32::try_from(v.len()).unwrap_or(i32::MAX).to_le_bytes());
            out.extend_from_slice(&v[..v.len().min(i32::MAX as usize)]);
        }
        None => out.extend_from_slice(&(-1i32).to_le_bytes()),
    }
}

/// Decodes the compact header encoding; stops at the end (or at anything malformed).
#[derive(Debug, Clone)]
pub struct HeaderIter<'a>(&'a [u8]);

impl<'a> HeaderIter<'a> {
    /// The headers of bytes written by [`push_header`].
    pub fn new(encoded: &'a [u8]) -> HeaderIter<'a> {
        HeaderIter(encoded)
    }
}

impl<'a> Iterator for HeaderIter<'a> {
    type Item = (&'a str, Option<&'a [u8]>);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.0;
        let name_len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let name = rest.get(4..4 + name_len)?;
        let at = 4 + name_len;
        let value_len = i32::from_le_bytes(rest.get(at..at + 4)?.try_into().ok()?);
        let (value, end) = match usize::try_from(value_len) {
            Ok(n) => (Some(rest.get(at + 4..at + 4 + n)?), at + 4 + n),
            Err(_) => (None, at + 4),
        };
        self.0 = &rest[end..];
        Some((std::str::from_utf8(name).unwrap_or_default(), value))
    }
}

/// The fixed part of one stored message; its bytes are in its segment at `start`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    offset: i64,
    timestamp: i64,
    start: u32,
    /// -1 for null.
    key_len: i32,
    /// -1 for null.
    value_len: i32,
    headers_len: u32,
    partition: i32,
    timestamp_type: TimestampType,
}

/// Fixed cost of one stored message, for the byte cap.
const ENTRY: usize = std::mem::size_of::<Entry>();

struct Segment {
    data: Vec<u8>,
    entries: Vec<Entry>,
}

impl Segment {
    fn message(&self, e: &Entry) -> StoredMessage<'_> {
        let mut at = e.start as usize;
        let mut take = |len: usize| {
            let bytes = &self.data[at..at + len];
            at += len;
            bytes
        };
        let key = usize::try_from(e.key_len).ok().map(&mut take);
        let value = usize::try_from(e.value_len).ok().map(&mut take);
        let headers = take(e.headers_len as usize);
        StoredMessage {
            partition: e.partition,
            offset: e.offset,
            timestamp: e.timestamp,
            timestamp_type: e.timestamp_type,
            key,
            value,
            headers,
        }
    }
}

pub struct Store {
    segments: VecDeque<Segment>,
    /// Sequence number of each segment's first entry (dropped ones included).
    starts: VecDeque<u64>,
    /// Sequence number of the oldest message kept: how many were dropped before it.
    first_seq: u64,
    len: usize,
    bytes: usize,
    pub max_messages: usize,
    pub max_bytes: usize,
}

impl Store {
    pub fn new(max_messages: usize, max_bytes: usize) -> Store {
        Store {
            segments: VecDeque::new(),
            starts: VecDeque::new(),
            first_seq: 0,
            len: 0,
            bytes: 0,
            max_messages,
            max_bytes,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn dropped(&self) -> u64 {
        self.first_seq
    }

    /// Bytes held: payloads plus the fixed entry of each message.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn is_full(&self) -> bool {
        self.len >= self.max_messages || self.bytes >= self.max_bytes
    }

    /// Stores a copy of a message, first dropping the oldest while full. Returns its
    /// sequence number.
    pub fn push_dropping(&mut self, m: StoredMessage<'_>) -> u64 {
        while self.is_full() && self.len > 0 {
            self.drop_oldest();
        }
        let need = m.bytes();
        let seq = self.first_seq + self.len as u64;
        let fits = self.segments.back().is_some_and(|s| s.data.capacity() - s.data.len() >= need);
        if !fits {
            if let Some(full) = self.segments.back_mut() {
                full.entries.shrink_to_fit();
            }
            self.segments.push_back(Segment { data: Vec::with_capacity(SEGMENT_BYTES.max(need)), entries: Vec::new() });
            self.starts.push_back(seq);
        }
        let Some(segment) = self.segments.back_mut() else { return seq };
        let start = segment.data.len() as u32;
        let len = |b: Option<&[u8]>| b.map_or(-1, |b| i32::try_from(b.len()).unwrap_or(i32::MAX));
        segment.data.extend_from_slice(m.key.unwrap_or_default());
        segment.data.extend_from_slice(m.value.unwrap_or_default());
        segment.data.extend_from_slice(m.headers);
        segment.entries.push(Entry {
            offset: m.offset,
            timestamp: m.timestamp,
            start,
            key_len: len(m.key),
            value_len: len(m.value),
            headers_len: m.headers.len() as u32,
            partition: m.partition,
            timestamp_type: m.timestamp_type,
        });
        self.len += 1;
        self.bytes += need + ENTRY;
        seq
    }

    /// Forgets the oldest message; its segment is freed once none of it is left.
    fn drop_oldest(&mut self) {
        let (Some(segment), Some(start)) = (self.segments.front(), self.starts.front()) else { return };
        let index = (self.first_seq - start) as usize;
        if let Some(e) = segment.entries.get(index) {
            self.bytes -= segment.message(e).bytes() + ENTRY;
        }
        self.first_seq += 1;
        self.len -= 1;
        if index + 1 >= segment.entries.len() {
            self.segments.pop_front();
            self.starts.pop_front();
        }
    }

    pub fn get(&self, seq: u64) -> Option<StoredMessage<'_>> {
        if seq < self.first_seq || seq >= self.first_seq + self.len as u64 {
            return None;
        }
        let i = self.starts.partition_point(|s| *s <= seq).checked_sub(1)?;
        let segment = self.segments.get(i)?;
        let e = segment.entries.get(usize::try_from(seq - self.starts[i]).ok()?)?;
        Some(segment.message(e))
    }

    /// Every stored message with its sequence number, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u64, StoredMessage<'_>)> {
        let first = self.first_seq;
        self.segments.iter().zip(self.starts.iter()).flat_map(move |(segment, start)| {
            let skip = first.saturating_sub(*start) as usize;
            segment.entries[skip.min(segment.entries.len())..]
                .iter()
                .enumerate()
                .map(move |(i, e)| (start + (skip + i) as u64, segment.message(e)))
        })
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

pub fn row(seq: u64, m: &StoredMessage<'_>, key_as: DecodeAs, value_as: DecodeAs) -> MessageRow {
    MessageRow {
        seq,
        partition: m.partition,
        offset: m.offset,
        timestamp: m.timestamp,
        timestamp_type: m.timestamp_type,
        key: codec::decode(m.key(), key_as, Some(KEY_PREVIEW)),
        value: codec::decode(m.value(), value_as, Some(VALUE_PREVIEW)),
        header_count: size32(m.header_count()),
        size: size32(m.bytes()),
    }
}

/// The full message; values over [`DETAIL_PREVIEW`] are cut unless `full`.
pub fn detail(seq: u64, m: &StoredMessage<'_>, key_as: DecodeAs, value_as: DecodeAs, full: bool) -> MessageDetail {
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
            .headers()
            .map(|(name, v)| HeaderView { name: name.to_string(), value: codec::decode(v, DecodeAs::Auto, limit) })
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

    fn msg(offset: i64, value: &[u8]) -> StoredMessage<'_> {
        StoredMessage::new(0, offset, (0, TimestampType::CreateTime), None, Some(value), &[])
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

    #[test]
    fn keys_values_and_headers_come_back_exactly_across_segments() {
        let mut headers = Vec::new();
        push_header(&mut headers, b"trace", Some(b"abc"));
        push_header(&mut headers, b"gone", None);
        push_header(&mut headers, b"empty", Some(b""));
        let big = vec![7u8; SEGMENT_BYTES + 10];
        let mut store = Store::new(usize::MAX, usize::MAX);
        let cases: Vec<(Option<&[u8]>, Option<&[u8]>, &[u8])> = vec![
            (Some(b"k"), Some(b"v"), &headers),
            (None, None, &[]),
            (Some(b""), Some(b""), &[]),
            (None, Some(&big), &headers),
            (Some(b"after"), Some(b"big"), &[]),
        ];
        for (i, (k, v, h)) in cases.iter().enumerate() {
            store.push_dropping(StoredMessage::new(1, i as i64, (9, TimestampType::LogAppendTime), *k, *v, h));
        }
        assert!(store.segments.len() >= 2, "the big value needs a segment of its own");
        for (i, (k, v, h)) in cases.iter().enumerate() {
            let m = store.get(i as u64).expect("stored");
            assert_eq!((m.key(), m.value(), m.offset, m.timestamp_type), (*k, *v, i as i64, TimestampType::LogAppendTime));
            assert_eq!(m.headers().count(), if h.is_empty() { 0 } else { 3 });
        }
        let m = store.get(0).unwrap();
        let decoded: Vec<_> = m.headers().collect();
        assert_eq!(decoded, vec![("trace", Some(b"abc".as_slice())), ("gone", None), ("empty", Some(b"".as_slice()))]);
        assert_eq!(store.iter().count(), 5);
    }

    #[test]
    fn tail_mode_frees_whole_segments_and_counts_bytes_exactly() {
        let value = vec![1u8; 1 << 20];
        let mut store = Store::new(usize::MAX, 20 << 20);
        for i in 0..100 {
            store.push_dropping(msg(i, &value));
        }
        assert!(store.bytes() < (21 << 20) + 2 * ENTRY);
        assert_eq!(store.len() as u64 + store.dropped(), 100);
        // Only segments still holding a kept message remain.
        assert!(store.segments.len() <= store.len() / 7 + 2, "{} segments for {}", store.segments.len(), store.len());
        let expected: usize = store.iter().map(|(_, m)| m.bytes() + ENTRY).sum();
        assert_eq!(store.bytes(), expected);
        assert_eq!(store.iter().next().map(|(s, m)| (s, m.offset)), Some((store.dropped(), store.dropped() as i64)));
    }
}
