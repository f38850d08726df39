//! Producing through a topic handle made once per job.
//!
//! The rdkafka crate's `send` turns the topic name into a `CString` and looks the topic up
//! under the client's lock for every message, and answers a full queue with an error the
//! caller has to sleep on. Here the job makes one topic handle, and each message is one
//! `rd_kafka_produceva` call with `RD_KAFKA_MSG_F_BLOCK`: librdkafka waits for room in its
//! queue itself (delivery reports, served by the producer's poll thread, make the room).

use std::os::raw::{c_char, c_void};

use rdkafka::error::RDKafkaErrorCode;
use rdkafka::producer::{Producer, ProducerContext, ThreadedProducer};
use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::c_string;
use crate::error::{Error, Result};

/// librdkafka's RD_KAFKA_PARTITION_UA (a C macro): the partitioner chooses.
const PARTITION_UNASSIGNED: i32 = -1;

/// A topic handle of one producer; the producer outlives it (it borrows the producer).
pub struct TopicHandle<'p> {
    rk: *mut RDKafka,
    rkt: *mut rdsys::rd_kafka_topic_t,
    _producer: std::marker::PhantomData<&'p ()>,
}

impl<'p> TopicHandle<'p> {
    pub fn new<C: ProducerContext + 'static>(producer: &'p ThreadedProducer<C>, topic: &str) -> Result<TopicHandle<'p>> {
        let name = c_string(topic, "topic")?;
        let rk = producer.client().native_ptr();
        // SAFETY: `rk` is live for 'p; a NULL config takes the producer's topic defaults.
        let rkt = unsafe { rdsys::rd_kafka_topic_new(rk, name.as_ptr(), std::ptr::null_mut()) };
        if rkt.is_null() {
            return Err(Error::internal(format!("librdkafka could not make a handle for topic \"{topic}\".")));
        }
        Ok(TopicHandle { rk, rkt, _producer: std::marker::PhantomData })
    }

    /// Queues one message (librdkafka copies the bytes), waiting while the queue is full.
    /// `opaque` comes back with the delivery report. `None` key or value is null.
    pub fn send(
        &self,
        partition: Option<i32>,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Option<Headers>,
        opaque: usize,
    ) -> std::result::Result<(), RDKafkaErrorCode> {
        let mem = |b: Option<&[u8]>| rdsys::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_1 {
            ptr: b.map_or(std::ptr::null_mut(), |b| b.as_ptr() as *mut c_void),
            size: b.map_or(0, <[u8]>::len),
        };
        let vu = |vtype, u| rdsys::rd_kafka_vu_t { vtype, u };
        use rdsys::rd_kafka_vtype_t as T;
        use rdsys::rd_kafka_vu_s__bindgen_ty_1 as U;
        let mut vus = [
            vu(T::RD_KAFKA_VTYPE_RKT, U { rkt: self.rkt }),
            vu(T::RD_KAFKA_VTYPE_PARTITION, U { i32_: partition.unwrap_or(PARTITION_UNASSIGNED) }),
            vu(T::RD_KAFKA_VTYPE_KEY, U { mem: mem(key) }),
            vu(T::RD_KAFKA_VTYPE_VALUE, U { mem: mem(value) }),
            vu(T::RD_KAFKA_VTYPE_MSGFLAGS, U { i: rdsys::RD_KAFKA_MSG_F_COPY | rdsys::RD_KAFKA_MSG_F_BLOCK }),
            vu(T::RD_KAFKA_VTYPE_OPAQUE, U { ptr: opaque as *mut c_void }),
            vu(T::RD_KAFKA_VTYPE_HEADERS, U { headers: std::ptr::null_mut() }),
        ];
        let mut count = vus.len() - 1;
        let headers = headers.map(|h| {
            vus[count] = vu(T::RD_KAFKA_VTYPE_HEADERS, U { headers: h.0 });
            count += 1;
            h
        });
        // SAFETY: every pointer in `vus` is valid for the call (librdkafka copies key and
        // value); on success the message owns the headers list, on failure we still do.
        let error = unsafe { rdsys::rd_kafka_produceva(self.rk, vus.as_ptr(), count) };
        if error.is_null() {
            if let Some(h) = headers {
                std::mem::forget(h);
            }
            return Ok(());
        }
        // SAFETY: a non-null error is ours to read and destroy once.
        let code = unsafe {
            let code = rdsys::rd_kafka_error_code(error);
            rdsys::rd_kafka_error_destroy(error);
            code
        };
        Err(code.into())
    }
}

impl Drop for TopicHandle<'_> {
    fn drop(&mut self) {
        // SAFETY: made by rd_kafka_topic_new, destroyed once; queued messages keep their
        // own reference to the topic.
        unsafe { rdsys::rd_kafka_topic_destroy(self.rkt) }
    }
}

/// A header list for one message; freed on drop unless a send took it.
pub struct Headers(*mut rdsys::rd_kafka_headers_t);

impl Headers {
    pub fn new(count: usize) -> Headers {
        // SAFETY: plain constructor; the guard owns the list.
        Headers(unsafe { rdsys::rd_kafka_headers_new(count) })
    }

    /// Adds a header (copied); a `None` value is a null header value.
    pub fn add(&mut self, name: &[u8], value: Option<&[u8]>) {
        let (ptr, size) = value.map_or((std::ptr::null(), 0), |v| (v.as_ptr() as *const c_void, v.len() as isize));
        // SAFETY: the list is live; name and value are copied with their explicit sizes.
        unsafe {
            rdsys::rd_kafka_header_add(self.0, name.as_ptr() as *const c_char, name.len() as isize, ptr, size);
        }
    }
}

impl Drop for Headers {
    fn drop(&mut self) {
        // SAFETY: still ours (a successful send forgets the guard instead).
        unsafe { rdsys::rd_kafka_headers_destroy(self.0) }
    }
}
