//! The client's main event queue: where librdkafka puts client-level errors and log lines.
//!
//! The rdkafka crate's AdminClient never polls it, so without this the error callback is
//! never called (we would not learn *why* a request timed out) and log events would pile up.

use std::time::Duration;

use rdkafka::error::RDKafkaErrorCode;
use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{cstr, Event, Queue};

pub enum ClientEvent {
    Error { code: RDKafkaErrorCode, reason: String },
    Log { level: i32, facility: String, message: String },
}

/// A reference to a client's main queue; safe to poll from another thread.
pub struct MainQueue(Queue);

// SAFETY: librdkafka queues are thread-safe; the handle is only polled and destroyed.
unsafe impl Send for MainQueue {}

impl MainQueue {
    /// # Safety
    /// `rk` must be a live client handle, and must outlive the returned queue.
    pub unsafe fn of(rk: *mut RDKafka) -> MainQueue {
        MainQueue(Queue(rdsys::rd_kafka_queue_get_main(rk)))
    }

    /// Waits up to `timeout` for one event. Events of other types are dropped.
    pub fn poll(&self, timeout: Duration) -> Option<ClientEvent> {
        let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: the queue is live while `self` is; the event is destroyed by its guard
        // after the strings are copied out.
        unsafe {
            let event = rdsys::rd_kafka_queue_poll(self.0 .0, timeout_ms);
            if event.is_null() {
                return None;
            }
            let event = Event(event);
            match rdsys::rd_kafka_event_type(event.0) {
                rdsys::RD_KAFKA_EVENT_ERROR => Some(ClientEvent::Error {
                    code: RDKafkaErrorCode::from(rdsys::rd_kafka_event_error(event.0)),
                    reason: cstr(rdsys::rd_kafka_event_error_string(event.0)).unwrap_or_default(),
                }),
                rdsys::RD_KAFKA_EVENT_LOG => {
                    let (mut facility, mut message, mut level) = (std::ptr::null(), std::ptr::null(), 0);
                    if rdsys::rd_kafka_event_log(event.0, &mut facility, &mut message, &mut level) != 0 {
                        return None;
                    }
                    Some(ClientEvent::Log {
                        level,
                        facility: cstr(facility).unwrap_or_default(),
                        message: cstr(message).unwrap_or_default(),
                    })
                }
                _ => None,
            }
        }
    }
}
