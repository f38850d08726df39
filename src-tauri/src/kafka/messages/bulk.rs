//! Bulk produce from a file: one read, one checking pass, one send from what was checked.
//!
//! A JSONL file is read into memory once. The checking pass parses each line with
//! borrowed values and records where each message's key and value bytes lie in the file
//! (a JSON string without escapes, or any other JSON value exactly as written); only
//! values that need decoding (escapes, base64, hex) and headers are copied, into a side
//! buffer. The send then goes from that index: nothing is parsed twice, nothing is read
//! again, and a file that changes meanwhile cannot send what was not checked.
//!
//! A plain-lines file needs no check (any bytes are a value), so it is sent as it is read,
//! piece by piece through one reused buffer ([`LinePieces`]): the first message leaves
//! before the file is read, and a big file never sits in memory whole.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::codec::{self, InputFormat};
use super::produce::{check_partition, native_headers, HeaderInput, Job, SendProgress};
use super::store::{push_header, HeaderIter};
use crate::error::{Error, ErrorKind, Result};
use crate::registry::encoder::Encoder;

/// Bad lines a refusal lists; the rest are counted.
const SHOWN_BAD_LINES: usize = 5;
/// Files from this size are checked in pieces on several threads (the check is most of a
/// bulk send's CPU; the send cannot start before it ends).
const PARALLEL_CHECK_FROM: usize = 4 << 20;
/// Bytes a plain-lines file is read in: a read per several thousand messages, and a buffer
/// that stays in the CPU's cache.
const LINES_PIECE: usize = 1 << 20;
/// The longest plain line read: above the producer's message.max.bytes (100 MiB).
const MAX_LINE: usize = 128 << 20;

/// Where some bytes are: in the file, or in the side buffer. `len` -1 is null.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    start: usize,
    len: i32,
    side: bool,
}

impl Span {
    const NULL: Span = Span { start: 0, len: -1, side: false };
}

/// One JSONL message: its line (counted from its part's first), where its bytes are, its
/// partition (-1: automatic).
#[derive(Debug, Clone, Copy)]
struct Entry {
    line: u64,
    key: Span,
    value: Span,
    /// In the side buffer, in the store's compact header encoding; empty: no headers.
    headers: Span,
    partition: i32,
}

/// A checked JSONL file, ready to send.
pub struct FileIndex {
    bytes: Vec<u8>,
    /// One per piece checked, in file order: kept as checked, so a million entries are
    /// not copied once more into one list.
    parts: Vec<Part>,
}

/// The messages of one piece of the file. Side spans are in its own side buffer.
struct Part {
    first_line: u64,
    side: Vec<u8>,
    entries: Vec<Entry>,
}

impl FileIndex {
    /// Reads and checks a JSONL file. A malformed line refuses the whole file, listing the
    /// first bad lines (an `InvalidInput` on `path`).
    /// With `schemas`, keys / values are records encoded by their registered schemas.
    pub fn read(path: &str, partitions: i32, topic: &str, schemas: Option<&Encoder>, cancel: &AtomicBool) -> Result<FileIndex> {
        let (file, size) = open_message_file(path)?;
        let bytes = read_whole(file, size).map_err(|e| cannot_read(path, e))?;
        FileIndex::check(bytes, partitions, topic, schemas, cancel)
    }

    pub(crate) fn check(bytes: Vec<u8>, partitions: i32, topic: &str, schemas: Option<&Encoder>, cancel: &AtomicBool) -> Result<FileIndex> {
        let threads = worker_threads(bytes.len());
        let pieces: Vec<Result<Piece>> = std::thread::scope(|scope| {
            let workers: Vec<_> = split_at_lines(&bytes, threads)
                .into_iter()
                .map(|(from, to)| {
                    let piece = &bytes[from..to];
                    scope.spawn(move || check_piece(piece, from, partitions, topic, schemas, cancel))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|_| Err(Error::internal("The file check stopped unexpectedly."))))
                .collect()
        });
        let mut parts = Vec::with_capacity(pieces.len());
        let (mut bad, mut bad_count, mut first_line) = (Vec::new(), 0usize, 1u64);
        for piece in pieces {
            let mut piece = piece?;
            bad_count += piece.bad_count;
            for (line, reason) in piece.bad.into_iter().take(SHOWN_BAD_LINES - bad.len().min(SHOWN_BAD_LINES)) {
                bad.push(format!("Line {} {reason}.", first_line + line));
            }
            piece.part.first_line = first_line;
            first_line += piece.lines;
            parts.push(piece.part);
        }
        if !bad.is_empty() {
            let more = if bad_count > SHOWN_BAD_LINES {
                format!(" (and {} more bad lines)", bad_count - SHOWN_BAD_LINES)
            } else {
                String::new()
            };
            return Err(Error::invalid_input("path", format!("Nothing was sent. {}{more}", bad.join(" "))));
        }
        Ok(FileIndex { bytes, parts })
    }

    /// Messages the file holds.
    pub fn len(&self) -> u64 {
        self.parts.iter().map(|p| p.entries.len() as u64).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn bytes_of<'a>(&'a self, part: &'a Part, s: Span) -> Option<&'a [u8]> {
        let n = usize::try_from(s.len).ok()?;
        let from = if s.side { &part.side } else { &self.bytes };
        from.get(s.start..s.start + n)
    }

    /// Sends every message through `job`, in file order, until done or cancelled.
    pub fn send<P: Fn(SendProgress)>(&self, job: &mut Job<'_, P>) {
        for part in &self.parts {
            for e in &part.entries {
                let headers = self.bytes_of(part, e.headers).filter(|h| !h.is_empty()).and_then(|h| {
                    native_headers(HeaderIter::new(h).map(|(name, value)| (name.as_bytes(), value)))
                });
                let partition = (e.partition >= 0).then_some(e.partition);
                if !job.send(part.first_line + e.line, partition, self.bytes_of(part, e.key), self.bytes_of(part, e.value), headers) {
                    return;
                }
            }
        }
    }
}

impl Part {
    fn check_json_line(
        &mut self,
        start: usize,
        text: LineText<'_>,
        line: u64,
        partitions: i32,
        topic: &str,
        schemas: Option<&Encoder>,
    ) -> std::result::Result<Entry, String> {
        // Text already known to be UTF-8 skips serde_json's check of every string again.
        let (parsed, text): (serde_json::Result<JsonLine<'_>>, &[u8]) = match text {
            LineText::Utf8(line) => (serde_json::from_str(line), line.as_bytes()),
            LineText::Bytes(line) => (serde_json::from_slice(line), line),
        };
        let parsed = parsed.map_err(|e| {
            let reason = e.to_string();
            let reason = reason.rfind(" at line ").map_or(reason.as_str(), |i| &reason[..i]).to_string();
            format!("is not a valid message object: {reason} at column {}", e.column())
        })?;
        let Some(value) = parsed.value else {
            return Err("has no \"value\" (use \"value\": null for a tombstone)".into());
        };
        if let Some(p) = parsed.partition {
            check_partition(topic, p, partitions, "partition").map_err(|e| e.message)?;
        }
        // Where a borrowed value lies in the file: `text` is a slice of it at `start`.
        let at = |raw: &str| start + (raw.as_ptr() as usize - text.as_ptr() as usize);
        let key = match (parsed.key, schemas.filter(|s| s.has(true))) {
            (None, _) => Span::NULL,
            (Some(raw), Some(schemas)) => self.schema_field(schemas, true, raw)?,
            (Some(raw), None) => self.field(raw, at(raw.get()), parsed.key_format, "The key")?,
        };
        let value = match schemas.filter(|s| s.has(false)) {
            Some(schemas) => self.schema_field(schemas, false, value)?,
            None => self.field(value, at(value.get()), parsed.value_format, "The value")?,
        };
        let headers = match parsed.headers {
            None => Span { start: 0, len: 0, side: true },
            Some(h) => self.headers(h)?,
        };
        Ok(Entry { line, key, value, headers, partition: parsed.partition.unwrap_or(-1) })
    }

    /// A key or value: a JSON string's text (decoded per its format), any other JSON value
    /// exactly as written, `null` as null.
    fn field(&mut self, raw: &RawValue, at: usize, format: Option<InputFormat>, label: &str) -> std::result::Result<Span, String> {
        let text = raw.get();
        if text == "null" {
            return Ok(Span::NULL);
        }
        let format = format.unwrap_or_default();
        if !text.starts_with('"') {
            return span(at, text.len(), false);
        }
        if format == InputFormat::Text && !text.contains('\\') {
            // The string's bytes, between its quotes, as they are in the file.
            return span(at + 1, text.len() - 2, false);
        }
        let decoded: String = serde_json::from_str(text).map_err(|e| format!("has a bad string: {e}"))?;
        let bytes = match format {
            InputFormat::Text => decoded.into_bytes(),
            f => codec::encode(&decoded, f, label, label).map_err(|e| e.message)?,
        };
        let start = self.side.len();
        self.side.extend_from_slice(&bytes);
        span(start, bytes.len(), true)
    }

    /// A key or value as a record for its schema (a string holding JSON is parsed), encoded
    /// into the side buffer.
    fn schema_field(&mut self, schemas: &Encoder, is_key: bool, raw: &RawValue) -> std::result::Result<Span, String> {
        let (field, label) = if is_key { ("key", "The key") } else { ("value", "The value") };
        let record: serde_json::Value = serde_json::from_str(raw.get()).map_err(|e| format!("has a bad {field}: {e}"))?;
        let encoded = match &record {
            serde_json::Value::Null => return Ok(Span::NULL),
            serde_json::Value::String(s) if serde_json::from_str::<serde_json::Value>(s).is_ok() => {
                schemas.encode_text(is_key, s, field, label)
            }
            record => schemas.encode(is_key, record, field, label),
        };
        let bytes = match encoded {
            None => return Ok(Span::NULL),
            Some(result) => result.map_err(|e| e.message)?,
        };
        let start = self.side.len();
        self.side.extend_from_slice(&bytes);
        span(start, bytes.len(), true)
    }

    fn headers(&mut self, headers: JsonHeaders) -> std::result::Result<Span, String> {
        let start = self.side.len();
        match headers {
            JsonHeaders::Map(map) => {
                for (name, v) in map {
                    match v {
                        serde_json::Value::Null => push_header(&mut self.side, name.as_bytes(), None),
                        serde_json::Value::String(s) => push_header(&mut self.side, name.as_bytes(), Some(s.as_bytes())),
                        other => push_header(&mut self.side, name.as_bytes(), Some(other.to_string().as_bytes())),
                    }
                }
            }
            JsonHeaders::List(list) => {
                for h in list {
                    let label = format!("Header \"{}\"", h.name);
                    let value = h
                        .value
                        .as_deref()
                        .map(|v| codec::encode(v, h.format.unwrap_or_default(), "headers", &label))
                        .transpose()
                        .map_err(|e| e.message)?;
                    push_header(&mut self.side, h.name.as_bytes(), value.as_deref());
                }
            }
        }
        span(start, self.side.len() - start, true)
    }
}

/// One piece of a JSONL file, checked: its part (file spans absolute, lines counted from the
/// piece's first), the lines it has, and its first bad lines with their reasons.
struct Piece {
    part: Part,
    lines: u64,
    bad: Vec<(u64, String)>,
    bad_count: usize,
}

/// Checks the lines of `piece`, which starts at byte `from` of the file. Its lines are
/// numbered from 0 here: where it starts is known once the pieces before it are counted.
fn check_piece(
    piece: &[u8],
    from: usize,
    partitions: i32,
    topic: &str,
    schemas: Option<&Encoder>,
    cancel: &AtomicBool,
) -> Result<Piece> {
    let part = Part { first_line: 0, side: Vec::new(), entries: Vec::new() };
    let mut checked = Piece { part, lines: 0, bad: Vec::new(), bad_count: 0 };
    // One UTF-8 check of the whole piece (fast); a piece that fails it is parsed line by
    // line from bytes, so a bad line is still named with its column.
    let utf8 = std::str::from_utf8(piece).ok();
    for (i, (start, line)) in lines(piece).enumerate() {
        if i % 65_536 == 0 && cancel.load(Ordering::Relaxed) {
            return Err(Error::new(ErrorKind::Cancelled, "Cancelled."));
        }
        checked.lines = i as u64 + 1;
        // Blank lines separate nothing in JSONL; skipping them is not losing a message.
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let n = i as u64;
        // Lines end at ASCII bytes, so these are char boundaries.
        let text = match utf8.and_then(|t| t.get(start..start + line.len())) {
            Some(line) => LineText::Utf8(line),
            None => LineText::Bytes(line),
        };
        match checked.part.check_json_line(from + start, text, n, partitions, topic, schemas) {
            Ok(entry) => checked.part.entries.push(entry),
            Err(reason) => {
                checked.bad_count += 1;
                if checked.bad.len() < SHOWN_BAD_LINES {
                    checked.bad.push((n, reason));
                }
            }
        }
    }
    Ok(checked)
}

/// A JSONL line: known to be UTF-8 (its piece passed the check), or bytes yet to be checked.
#[derive(Clone, Copy)]
enum LineText<'a> {
    Utf8(&'a str),
    Bytes(&'a [u8]),
}

/// `bytes` cut into about `pieces` ranges (from, to) that each start at a line.
fn split_at_lines(bytes: &[u8], pieces: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::with_capacity(pieces);
    let mut from = 0usize;
    for k in 1..=pieces {
        let to = if k == pieces {
            bytes.len()
        } else {
            let target = (bytes.len() / pieces * k).max(from);
            memchr::memchr(b'\n', &bytes[target..]).map_or(bytes.len(), |i| target + i + 1)
        };
        if to > from || (k == pieces && ranges.is_empty()) {
            ranges.push((from, to));
            from = to;
        }
    }
    ranges
}

/// Opens a message file, with its size: a regular file only. A folder answers every read
/// with EISDIR, and a device or pipe may never end (or never fit in memory).
fn open_message_file(path: &str) -> Result<(std::fs::File, u64)> {
    if path.trim().is_empty() {
        return Err(Error::invalid_input("path", "Choose a file to send."));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::invalid_input("path", format!("Could not open \"{path}\": {e}.")))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, e))?;
    if meta.is_dir() {
        return Err(Error::invalid_input("path", format!("\"{path}\" is a folder; choose a file of messages.")));
    }
    if !meta.is_file() {
        return Err(Error::invalid_input("path", format!("\"{path}\" is not a regular file; choose a file of messages.")));
    }
    Ok((file, meta.len()))
}

fn cannot_read(path: &str, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        return Error::invalid_input("path", format!("\"{path}\" got shorter while it was read; nothing was sent."));
    }
    Error::invalid_input("path", format!("Could not read \"{path}\": {e}."))
}

/// Threads that read and check a file of `len` bytes: one per core from PARALLEL_CHECK_FROM.
fn worker_threads(len: usize) -> usize {
    if len < PARALLEL_CHECK_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    }
}

fn too_large() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::OutOfMemory, "the file is too large to check in memory")
}

/// The first `size` bytes of `file`, read in one range per worker thread: most of reading a
/// big file into fresh memory is page faults, and so they are taken on every core. (Huge
/// pages were tried: on a machine whose memory is in use, and so fragmented, Linux compacts
/// memory to make each one, and 236 MiB took 300-330 ms to read instead of 80-90 ms.)
#[cfg(unix)]
fn read_whole(file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let size = usize::try_from(size).map_err(|_| too_large())?;
    // A file larger than memory is an error, not an abort: ask before allocating for real.
    Vec::<u8>::new().try_reserve_exact(size).map_err(|_| too_large())?;
    // Zeroed pages cost nothing until written (the allocation is a fresh mapping).
    let mut bytes = vec![0u8; size];
    let range = size.div_ceil(worker_threads(size)).max(1);
    let file = &file;
    std::thread::scope(|scope| {
        let reads: Vec<_> = bytes
            .chunks_mut(range)
            .enumerate()
            .map(|(i, part)| scope.spawn(move || file.read_exact_at(part, (i * range) as u64)))
            .collect();
        reads.into_iter().try_for_each(|r| r.join().unwrap_or_else(|_| Err(std::io::Error::other("a read stopped unexpectedly"))))
    })?;
    Ok(bytes)
}

#[cfg(not(unix))]
fn read_whole(mut file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(usize::try_from(size).map_err(|_| too_large())?).map_err(|_| too_large())?;
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}


/// A plain-lines file, opened: each line is one message, sent as it is while the file is read.
pub struct LinesFile {
    file: std::fs::File,
    size: u64,
}

impl LinesFile {
    pub fn open(path: &str) -> Result<LinesFile> {
        let (file, size) = open_message_file(path)?;
        Ok(LinesFile { file, size })
    }

    /// Sends every line through `job` until the end or a cancel. Until the end is read, the
    /// job's total is estimated from the bytes read so far.
    pub fn send<P: Fn(SendProgress)>(self, job: &mut Job<'_, P>) {
        let mut pieces = LinePieces::new(self.file, LINES_PIECE);
        let (mut line, mut read) = (0u64, 0u64);
        loop {
            let piece = match pieces.next() {
                Ok(Some(piece)) => piece,
                Ok(None) => break,
                Err(e) => {
                    // Lines already sent stay sent; the report says where reading stopped.
                    job.refuse(line + 1, format!("Could not read the file after line {line}: {e}."));
                    return;
                }
            };
            // The lines read so far (all before this piece were sent), and those still to come
            // at their mean length.
            let seen = line + lines(piece).count() as u64;
            read += piece.len() as u64;
            let left = self.size.saturating_sub(read);
            job.set_total(seen + (left as f64 * seen as f64 / read.max(1) as f64).ceil() as u64, true);
            for (_, text) in lines(piece) {
                line += 1;
                if !job.send(line, None, None, Some(text), None) {
                    return;
                }
            }
        }
        job.set_total(line, false);
    }
}

/// A file read in pieces of whole lines through one buffer: each piece ends just after a
/// `\n`, or at the end of the file. A line longer than the buffer grows it.
pub(crate) struct LinePieces<R> {
    reader: R,
    buf: Vec<u8>,
    /// `buf[..filled]` is read; `buf[..handed]` went out as the last piece.
    filled: usize,
    handed: usize,
    eof: bool,
}

impl<R: Read> LinePieces<R> {
    pub(crate) fn new(reader: R, piece: usize) -> Self {
        LinePieces { reader, buf: vec![0; piece.max(1)], filled: 0, handed: 0, eof: false }
    }

    /// The next piece; `None` at the end of the file.
    pub(crate) fn next(&mut self) -> std::io::Result<Option<&[u8]>> {
        self.buf.copy_within(self.handed..self.filled, 0);
        self.filled -= self.handed;
        self.handed = 0;
        let mut searched = 0;
        loop {
            while !self.eof && self.filled < self.buf.len() {
                match self.reader.read(&mut self.buf[self.filled..]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let end = if self.eof {
                self.filled
            } else {
                match memchr::memrchr(b'\n', &self.buf[searched..self.filled]) {
                    Some(i) => searched + i + 1,
                    None => {
                        // One line fills the buffer: make room for the rest of it, up to
                        // a bound no message can reach anyway.
                        if self.buf.len() >= MAX_LINE {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                format!("the next line is longer than {} MiB, more than any message can be", MAX_LINE >> 20),
                            ));
                        }
                        searched = self.filled;
                        self.buf.resize((self.buf.len() * 2).min(MAX_LINE), 0);
                        continue;
                    }
                }
            };
            if end == 0 {
                return Ok(None);
            }
            self.handed = end;
            return Ok(Some(&self.buf[..end]));
        }
    }
}

fn span(start: usize, len: usize, side: bool) -> std::result::Result<Span, String> {
    let len = i32::try_from(len).map_err(|_| "has a value over 2 GiB".to_string())?;
    Ok(Span { start, len, side })
}

/// The lines of a file with where each starts: split at `\n`, a `\r` before it dropped, no
/// empty last line after a final newline (as `BufRead::lines`).
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let rest = &bytes[start..];
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], start + i + 1),
            None => (rest, bytes.len()),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let at = start;
        start = next;
        Some((at, line))
    })
}

/// One JSONL line as written by hand or by our export; values borrowed from the line.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsonLine<'a> {
    #[serde(default, borrow)]
    key: Option<&'a RawValue>,
    /// `Some` for `"value": null` too (a tombstone); `None` when the field is missing.
    #[serde(default, borrow, deserialize_with = "present")]
    value: Option<&'a RawValue>,
    #[serde(default)]
    headers: Option<JsonHeaders>,
    #[serde(default)]
    partition: Option<i32>,
    #[serde(default)]
    key_format: Option<InputFormat>,
    #[serde(default)]
    value_format: Option<InputFormat>,
    // Written by export; accepted and ignored so an export can be sent again.
    #[serde(default, rename = "offset")]
    _offset: Option<IgnoredAny>,
    #[serde(default, rename = "timestamp")]
    _timestamp: Option<IgnoredAny>,
    // Written by export for decoded schema data; the request's schema choice governs.
    #[serde(default, rename = "keySchema")]
    _key_schema: Option<IgnoredAny>,
    #[serde(default, rename = "valueSchema")]
    _value_schema: Option<IgnoredAny>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<&'de RawValue>, D::Error> {
    <&'de RawValue>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonHeaders {
    /// `{"name": "value", ...}`
    Map(serde_json::Map<String, serde_json::Value>),
    /// `[{"name": ..., "value": ..., "format"?: "base64"}]`
    List(Vec<HeaderInput>),
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn folders_and_devices_are_refused_before_reading() {
        let no = AtomicBool::new(false);
        let dir = tempfile::tempdir().unwrap();
        let e = FileIndex::read(&dir.path().display().to_string(), 1, "t", None, &no).err().expect("a folder");
        assert_eq!(e.detail.as_deref(), Some("path"));
        assert!(e.message.contains("folder"), "{}", e.message);
        if std::path::Path::new("/dev/zero").exists() {
            // Endless bytes: refused, never read into memory.
            let e = FileIndex::read("/dev/zero", 1, "t", None, &no).err().expect("a device");
            assert!(e.message.contains("regular file"), "{}", e.message);
            let e = open_message_file("/dev/zero").err().expect("a device");
            assert!(e.message.contains("regular file"), "{}", e.message);
        }
    }

    fn check(text: &str) -> Result<FileIndex> {
        FileIndex::check(text.as_bytes().to_vec(), 3, "t", None, &AtomicBool::new(false))
    }

    /// (key, value, headers) of every message, as they would be sent.
    fn messages(index: &FileIndex) -> Vec<(Option<Vec<u8>>, Option<Vec<u8>>, Vec<(String, Option<Vec<u8>>)>, i32)> {
        index
            .parts
            .iter()
            .flat_map(|part| part.entries.iter().map(move |e| (part, e)))
            .map(|(part, e)| {
                let headers = index
                    .bytes_of(part, e.headers)
                    .map(|h| HeaderIter::new(h).map(|(n, v)| (n.to_string(), v.map(<[u8]>::to_vec))).collect())
                    .unwrap_or_default();
                let bytes = |s| index.bytes_of(part, s).map(<[u8]>::to_vec);
                (bytes(e.key), bytes(e.value), headers, e.partition)
            })
            .collect()
    }

    #[test]
    fn jsonl_lines_become_messages_with_the_exact_bytes_written() {
        let text = concat!(
            r#"{"key":"k","value":{ "a" : 1,  "b":[1.50, 2e3] },"headers":{"h":"v"},"partition":1}"#,
            "\n\n",
            r#"{"key":"k","value":null}"#,
            "\r\n",
            r#"{"value":"AAE=","valueFormat":"base64"}"#,
            "\n",
            r#"{"value":"line\nbreak \u00e9","key":12.50}"#,
            "\n",
            r#"{"value":"","headers":[{"name":"b","value":"AP8=","format":"base64"},{"name":"n"}],"offset":3,"timestamp":4}"#,
        );
        let index = check(text).unwrap();
        let m = messages(&index);
        assert_eq!(index.len(), 5);
        assert_eq!(m[0].0.as_deref(), Some(b"k".as_slice()));
        // Any JSON value is sent exactly as written: spacing, number forms, key order.
        assert_eq!(m[0].1.as_deref(), Some(br#"{ "a" : 1,  "b":[1.50, 2e3] }"#.as_slice()));
        assert_eq!((m[0].2.clone(), m[0].3), (vec![("h".to_string(), Some(b"v".to_vec()))], 1));
        assert_eq!((m[1].1.clone(), m[1].3), (None, -1));
        assert_eq!(m[2].1, Some(vec![0, 1]));
        assert_eq!(m[3].1.as_deref(), Some("line\nbreak é".as_bytes()));
        assert_eq!(m[3].0.as_deref(), Some(b"12.50".as_slice()));
        assert_eq!(m[4].1.as_deref(), Some(b"".as_slice()));
        assert_eq!(m[4].2, vec![("b".to_string(), Some(vec![0, 255])), ("n".to_string(), None)]);
    }

    #[test]
    fn headers_written_as_an_object_are_sent_in_the_order_written() {
        let index = check(r#"{"value":"v","headers":{"z":"1","a":"2","m":null}}"#).unwrap();
        let names: Vec<String> = messages(&index)[0].2.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(names, ["z", "a", "m"]);
    }

    #[test]
    fn bad_lines_are_named_and_nothing_is_indexed() {
        let e = check("{\"value\":\"ok\"}\n{\"value\": tru}\n{\"key\":\"k\"}\n{\"value\":\"x\",\"partition\":3}\n").err().unwrap();
        assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("path")));
        assert!(e.message.starts_with("Nothing was sent. Line 2 is not a valid message object"), "{}", e.message);
        assert!(e.message.contains("column"), "{}", e.message);
        assert!(e.message.contains("Line 3 has no \"value\""), "{}", e.message);
        assert!(e.message.contains("Line 4 ") && e.message.contains("no partition 3"), "{}", e.message);
        let e = check("{\"value\":\"x\",\"extra\":1}").err().unwrap();
        assert!(e.message.contains("unknown field `extra`"), "{}", e.message);
    }

    #[test]
    fn a_file_that_is_not_utf8_is_checked_line_by_line() {
        // The whole-piece UTF-8 check fails, so lines are parsed from bytes and the bad one
        // is named; a UTF-8 file takes the text path and keeps the exact bytes.
        let bytes = b"{\"key\":\"k\",\"value\":\"caf\xc3\xa9\"}\n{\"value\":\"\xff\"}\n".to_vec();
        let e = FileIndex::check(bytes, 3, "t", None, &AtomicBool::new(false)).err().unwrap();
        assert!(e.message.starts_with("Nothing was sent. Line 2 is not a valid message object"), "{}", e.message);
        assert!(!e.message.contains("Line 1"), "{}", e.message);
        let good = check("{\"key\":\"k\",\"value\":\"caf\u{e9}\"}\n").unwrap();
        assert_eq!(messages(&good)[0].1.as_deref(), Some("café".as_bytes()));
    }

    #[test]
    fn a_file_split_at_lines_covers_every_byte_once_with_its_line_numbers() {
        let text = b"a\nbb\n\nccc\r\ndddd";
        for pieces in 1..=8 {
            let ranges = split_at_lines(text, pieces);
            assert_eq!(ranges.first().map(|r| r.0), Some(0));
            assert_eq!(ranges.last().map(|r| r.1), Some(text.len()));
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].1, pair[1].0, "contiguous with {pieces} pieces");
                assert_eq!(text[pair[0].1 - 1], b'\n', "a piece ends at a line's end");
            }
            let numbered: Vec<(u64, Vec<u8>)> = ranges
                .iter()
                .flat_map(|&(from, to)| {
                    let first = 1 + lines(&text[..from]).count() as u64;
                    lines(&text[from..to]).enumerate().map(move |(i, (_, l))| (first + i as u64, l.to_vec()))
                })
                .collect();
            let whole: Vec<(u64, Vec<u8>)> = lines(text).enumerate().map(|(i, (_, l))| (i as u64 + 1, l.to_vec())).collect();
            assert_eq!(numbered, whole, "{pieces} pieces");
        }
        assert_eq!(split_at_lines(b"", 4), vec![(0, 0)]);
    }

    #[test]
    fn each_message_of_a_file_in_pieces_keeps_its_line_number() {
        // Over the parallel threshold, with blank lines (counted, not sent) in every piece:
        // the line a message is sent and reported with is the one it is on in the file.
        let mut text = String::new();
        let mut line = 0;
        while text.len() <= PARALLEL_CHECK_FROM * 2 {
            line += 1;
            if line % 7 == 0 {
                text.push('\n');
            } else {
                text.push_str(&format!("{{\"key\":\"{line}\",\"value\":\"v\"}}\n"));
            }
        }
        let index = check(&text).unwrap();
        assert!(index.parts.len() > 1, "the file was checked in pieces");
        let mut sent = 0;
        for part in &index.parts {
            for e in &part.entries {
                let key = index.bytes_of(part, e.key).map(|k| String::from_utf8_lossy(k).to_string());
                assert_eq!(key, Some((part.first_line + e.line).to_string()));
                sent += 1;
            }
        }
        assert_eq!(sent, line - line / 7);
    }

    #[test]
    fn a_large_file_checked_in_pieces_gives_what_one_pass_gives() {
        // Over the parallel threshold: messages with escapes and headers (side buffer) in
        // every piece, then bad lines near the end must keep their numbers.
        let mut text = String::new();
        let mut n = 0;
        while text.len() <= PARALLEL_CHECK_FROM + 1000 {
            n += 1;
            text.push_str(&format!(
                "{{\"key\":\"k{n}\",\"value\":\"v\\u00e9{n}\",\"headers\":{{\"h\":\"{n}\"}},\"partition\":{}}}\n",
                n % 3
            ));
        }
        let index = check(&text).unwrap();
        assert_eq!(index.len(), n as u64);
        let got = messages(&index);
        for (i, m) in got.iter().enumerate() {
            let k = i + 1;
            assert_eq!(m.0.as_deref(), Some(format!("k{k}").as_bytes()));
            assert_eq!(m.1.as_deref(), Some(format!("v\u{e9}{k}").as_bytes()));
            assert_eq!(m.2, vec![("h".to_string(), Some(k.to_string().into_bytes()))]);
            assert_eq!(m.3, (k % 3) as i32);
        }
        let bad = format!("{text}{{\"value\": tru}}\n{{\"value\":\"x\"}}\n{{\"key\":\"k\"}}\n");
        let e = check(&bad).err().unwrap();
        assert!(e.message.contains(&format!("Line {} is not a valid", n + 1)), "{}", e.message);
        assert!(e.message.contains(&format!("Line {} has no \"value\"", n + 3)), "{}", e.message);
    }

    #[test]
    fn a_large_file_is_read_whole_in_ranges_and_a_shorter_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jsonl");
        // Over PARALLEL_CHECK_FROM, and not a multiple of the ranges.
        let bytes: Vec<u8> = (0..(PARALLEL_CHECK_FROM * 3 + 12_345)).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let open = || std::fs::File::open(&path).unwrap();
        assert!(read_whole(open(), bytes.len() as u64).unwrap() == bytes);
        assert!(read_whole(open(), 0).unwrap().is_empty());
        // More than memory can hold: an error, not an abort.
        let e = cannot_read("big.jsonl", read_whole(open(), u64::MAX / 2).err().expect("too large"));
        assert!(e.message.contains("too large"), "{}", e.message);
        // The file ends before the size it had when opened: named as such, nothing kept.
        let e = read_whole(open(), bytes.len() as u64 + 1).err().expect("too short");
        let e = cannot_read("big.jsonl", e);
        assert!(e.message.contains("got shorter"), "{}", e.message);
    }

    /// Every line of `bytes`, read in pieces through a buffer of `size` bytes.
    pub(crate) fn lines_in_pieces(bytes: &[u8], size: usize) -> Vec<Vec<u8>> {
        let mut pieces = LinePieces::new(bytes, size);
        let (mut got, mut read) = (Vec::new(), 0);
        while let Some(piece) = pieces.next().unwrap() {
            read += piece.len();
            assert!(piece.ends_with(b"\n") || read == bytes.len(), "a piece ends mid-line: {piece:?}");
            got.extend(lines(piece).map(|(_, l)| l.to_vec()));
        }
        assert_eq!(read, bytes.len());
        got
    }

    #[test]
    fn plain_lines_are_sent_as_they_are() {
        let bytes = b"one\r\n\ntwo \xff\nlast";
        let want = vec![b"one".to_vec(), b"".to_vec(), b"two \xff".to_vec(), b"last".to_vec()];
        // Pieces smaller than a line (the buffer grows), cut between \r and \n, and one piece.
        for size in [1, 2, 4, 5, 64] {
            assert_eq!(lines_in_pieces(bytes, size), want, "pieces of {size}");
        }
        assert_eq!(lines_in_pieces(b"a\n", 1), vec![b"a".to_vec()]);
        // An endless line is refused once it passes MAX_LINE, after the lines before it.
        let mut pieces = LinePieces::new(std::io::Read::chain(&b"first\n"[..], std::io::repeat(b'x')), 64);
        assert_eq!(pieces.next().unwrap(), Some(&b"first\n"[..]));
        let e = pieces.next().err().expect("too long");
        assert!(e.to_string().contains("longer than 128 MiB"), "{e}");
        assert!(lines_in_pieces(b"", 4).is_empty());
    }
}
