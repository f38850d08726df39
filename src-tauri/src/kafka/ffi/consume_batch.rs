//! Batch consumption: `rd_kafka_consume_batch_queue` on a consumer's queue.
//!
//! The rdkafka crate hands out one message per `rd_kafka_queue_poll`; a browse reading
//! millions of messages spends more time in that round trip than in copying the bytes.
//! One call here returns up to a whole batch. Every message of a batch is destroyed by
//! the batch's guard when it goes out of scope, on every path; the messages borrow the
//! batch, and the batch borrows the consumer, so none can outlive what owns it.
//!
//! Errors of a partition (end of partition, an unknown topic) come back as messages with
//! an error code. Client-level errors (every broker down) are served as log lines by
//! librdkafka on this path; [`ClientErrors`] is a consumer context that keeps them.

use std::ffi::CStr;
use std::os::raw::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::RDKafkaErrorCode;
use rdkafka_sys as rdsys;

use super::Queue;
use crate::error::{Error, Result};

/// A consumer and its queue, read a batch at a time. Field order matters: the queue
/// reference is released before the consumer it belongs to.
pub struct BatchConsumer<C: ConsumerContext + 'static> {
    queue: Queue,
    slots: Vec<*mut rdsys::rd_kafka_message_t>,
    consumer: BaseConsumer<C>,
}

// SAFETY: librdkafka queues and messages may be used from any thread; the raw message
// pointers in `slots` are only ever set and destroyed inside `consume`/`Batch::drop`.
unsafe impl<C: ConsumerContext + 'static> Send for BatchConsumer<C> {}

impl<C: ConsumerContext + 'static> BatchConsumer<C> {
    /// Takes over `consumer`; `batch` is the most messages one call returns.
    pub fn new(consumer: BaseConsumer<C>, batch: usize) -> Result<BatchConsumer<C>> {
        // SAFETY: the client handle is live while `consumer` is, and `consumer` is kept
        // in the returned value after the queue (dropped first).
        let queue = unsafe { rdsys::rd_kafka_queue_get_consumer(consumer.client().native_ptr()) };
        if queue.is_null() {
            return Err(Error::internal("The browse consumer has no queue (it needs a group id)."));
        }
        Ok(BatchConsumer { queue: Queue(queue), slots: vec![std::ptr::null_mut(); batch.max(1)], consumer })
    }

    pub fn consumer(&self) -> &BaseConsumer<C> {
        &self.consumer
    }

    /// Takes what is queued now (up to the batch size); when nothing is, waits up to
    /// `timeout` for one message. (librdkafka's batch call waits until the batch is full
    /// or the timeout passes; asking that way would hold the first rows back.)
    pub fn consume(&mut self, timeout: Duration) -> Batch<'_> {
        let mut len = self.fill(0, self.slots.len());
        if len == 0 {
            len = self.fill(i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX), 1);
        }
        Batch { messages: &mut self.slots[..len] }
    }

    fn fill(&mut self, timeout_ms: i32, size: usize) -> usize {
        let size = size.min(self.slots.len());
        // SAFETY: the queue is live; librdkafka writes at most `size` pointers.
        let n = unsafe { rdsys::rd_kafka_consume_batch_queue(self.queue.0, timeout_ms, self.slots.as_mut_ptr(), size) };
        usize::try_from(n).unwrap_or(0).min(size)
    }
}

/// The messages of one `consume` call; each is destroyed when the batch is dropped.
pub struct Batch<'a> {
    messages: &'a mut [*mut rdsys::rd_kafka_message_t],
}

impl Batch<'_> {
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = RawMessage<'_>> {
        MessageRun(self.messages).iter()
    }

    /// The batch cut into at most `parts` runs of neighbouring messages, in order, for one
    /// thread each.
    pub fn split(&self, parts: usize) -> Vec<MessageRun<'_>> {
        let size = self.messages.len().div_ceil(parts.max(1)).max(1);
        self.messages.chunks(size).map(|run| MessageRun(run)).collect()
    }
}

/// Neighbouring messages of one batch. A run may go to another thread: reading a message is
/// read-only except for librdkafka's lazy header parse, and the runs of a batch never share
/// a message, so no message is read by two threads at once.
pub struct MessageRun<'a>(&'a [*mut rdsys::rd_kafka_message_t]);

// SAFETY: see above; the batch outlives its runs (the borrow), and nothing destroys a
// message while a run is read (only `Batch::drop`, which needs the batch back).
unsafe impl Send for MessageRun<'_> {}

impl<'a> MessageRun<'a> {
    pub fn iter(self) -> impl Iterator<Item = RawMessage<'a>> {
        // SAFETY: every pointer was returned by rd_kafka_consume_batch_queue, is non-null
        // and stays valid until its batch drops (the borrow ties the view to it).
        self.0.iter().map(|m| RawMessage(unsafe { &**m }))
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        for m in self.messages.iter_mut() {
            // SAFETY: each message is destroyed once, then its slot is cleared.
            unsafe { rdsys::rd_kafka_message_destroy(*m) };
            *m = std::ptr::null_mut();
        }
    }
}

/// One consumed message (or a partition's error), borrowed from its batch.
#[derive(Clone, Copy)]
pub struct RawMessage<'a>(&'a rdsys::rd_kafka_message_t);

impl<'a> RawMessage<'a> {
    /// The error this "message" carries (end of partition, an unknown topic), if any.
    pub fn error(&self) -> Option<RDKafkaErrorCode> {
        (self.0.err != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| self.0.err.into())
    }

    /// The error's text (for a message that carries one).
    pub fn error_text(&self) -> String {
        if self.0.payload.is_null() {
            return String::new();
        }
        // SAFETY: for an error, librdkafka sets payload to its error string of `len` bytes.
        let bytes = unsafe { std::slice::from_raw_parts(self.0.payload as *const u8, self.0.len) };
        String::from_utf8_lossy(bytes).trim_end_matches('\0').to_string()
    }

    pub fn partition(&self) -> i32 {
        self.0.partition
    }

    pub fn offset(&self) -> i64 {
        self.0.offset
    }

    pub fn key(&self) -> Option<&'a [u8]> {
        // SAFETY: key/key_len describe librdkafka's buffer, alive as long as the message.
        bytes(self.0.key, self.0.key_len)
    }

    pub fn payload(&self) -> Option<&'a [u8]> {
        bytes(self.0.payload, self.0.len)
    }

    /// Milliseconds since the epoch and the kind: 0 none, 1 create time, 2 log append time.
    pub fn timestamp(&self) -> (i64, i32) {
        let mut kind = rdsys::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
        // SAFETY: the message is live; `kind` is a valid out pointer.
        let ts = unsafe { rdsys::rd_kafka_message_timestamp(self.0 as *const _, &mut kind) };
        (ts, kind as i32)
    }

    /// Calls `each(name, value)` for every header, in order; nothing for a message without.
    pub fn for_each_header(&self, mut each: impl FnMut(&[u8], Option<&[u8]>)) {
        let mut headers: *mut rdsys::rd_kafka_headers_t = std::ptr::null_mut();
        // SAFETY: the message is live; librdkafka parses its headers once and keeps them
        // with the message (freed by rd_kafka_message_destroy). The cast drops a const
        // that the C API takes as non-const for that lazy parse.
        let err = unsafe { rdsys::rd_kafka_message_headers(self.0 as *const _ as *mut _, &mut headers) };
        if err != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR || headers.is_null() {
            return;
        }
        let mut index = 0;
        loop {
            let (mut name, mut value, mut size) = (std::ptr::null(), std::ptr::null::<c_void>(), 0usize);
            // SAFETY: `headers` belongs to the live message; out pointers are valid.
            let err = unsafe { rdsys::rd_kafka_header_get_all(headers, index, &mut name, &mut value, &mut size) };
            if err != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR || name.is_null() {
                return;
            }
            // SAFETY: names are NUL-terminated strings owned by the header list.
            let name = unsafe { CStr::from_ptr(name) }.to_bytes();
            each(name, bytes(value, size));
            index += 1;
        }
    }
}

fn bytes<'a>(ptr: *const c_void, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        None
    } else {
        // SAFETY: callers pass a librdkafka buffer of `len` bytes that outlives 'a.
        Some(unsafe { std::slice::from_raw_parts(ptr as *const u8, len) })
    }
}

/// A consumer context that keeps the last client-level error (librdkafka logs them with
/// facility "ERROR" when no error callback is set, which is the case on this path).
#[derive(Default)]
pub struct ClientErrors {
    fresh: AtomicBool,
    last: Mutex<Option<String>>,
}

impl ClientErrors {
    /// The error seen since the last call, if any.
    pub fn take(&self) -> Option<String> {
        if !self.fresh.swap(false, Ordering::Relaxed) {
            return None;
        }
        self.last.lock().ok().and_then(|mut l| l.take())
    }
}

impl ClientContext for ClientErrors {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        if fac == "ERROR" && (level as i32) <= RDKafkaLogLevel::Error as i32 {
            if let Ok(mut last) = self.last.lock() {
                *last = Some(message.to_string());
                self.fresh.store(true, Ordering::Relaxed);
            }
        } else {
            rdkafka::client::DefaultClientContext.log(level, fac, message);
        }
    }

    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(format!("{error}: {reason}"));
            self.fresh.store(true, Ordering::Relaxed);
        }
    }
}

impl ConsumerContext for ClientErrors {}
