//! Delivery reports of the cluster's producer, routed to the job that sent each message.
//!
//! The producer belongs to the connection (`client::Cluster`); the jobs that send belong
//! to `messages::produce`. This small module sits between them so neither imports the other.
//!
//! A message carries its job's number and its line as delivery opaque (a plain integer,
//! nothing allocated per message); the router, on the producer's one poll thread, hands the
//! report to that job's [`DeliverySink`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use rdkafka::client::ClientContext;
use rdkafka::message::Message;
use rdkafka::producer::{DeliveryResult, ProducerContext};

use crate::error::{Error, Result};

/// Bits of a delivery opaque that carry the line; the rest carry the job's number.
pub const LINE_BITS: u32 = 40;
pub const LINE_MASK: usize = (1 << LINE_BITS) - 1;

/// Receives the outcome of each message a job sent.
pub trait DeliverySink: Send + Sync {
    /// `line` is what the job attached to the message; `size` its key + value bytes.
    fn delivered(&self, result: &DeliveryResult<'_>, line: u64, size: usize);
}

/// The opaque a job attaches to one message: its number and the message's line.
pub fn opaque(job: usize, line: u64) -> usize {
    (job << LINE_BITS) | (line as usize & LINE_MASK)
}

/// The producer's context: hands each delivery report to the job that sent the message.
#[derive(Default)]
pub struct DeliveryRouter {
    /// Running jobs by number (a handful at most, so a scan is the fastest lookup).
    jobs: RwLock<Vec<(usize, Arc<dyn DeliverySink>)>>,
    next_job: AtomicU64,
}

impl DeliveryRouter {
    /// A number for a new job whose reports go to `sink`.
    pub fn register(&self, sink: Arc<dyn DeliverySink>) -> Result<usize> {
        let id = (self.next_job.fetch_add(1, Ordering::Relaxed) as usize) & (usize::MAX >> LINE_BITS);
        self.jobs.write().map_err(|_| Error::internal("The producer's job table is unusable."))?.push((id, sink));
        Ok(id)
    }

    pub fn unregister(&self, id: usize) {
        if let Ok(mut jobs) = self.jobs.write() {
            jobs.retain(|(j, _)| *j != id);
        }
    }
}

impl ClientContext for DeliveryRouter {}

impl ProducerContext for DeliveryRouter {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, opaque: usize) {
        let (id, line) = (opaque >> LINE_BITS, (opaque & LINE_MASK) as u64);
        let Ok(jobs) = self.jobs.read() else { return };
        // A report for a job that gave up waiting (its drain timed out) is dropped.
        let Some((_, sink)) = jobs.iter().find(|(j, _)| *j == id) else { return };
        let size = match result {
            Ok(_) => 0,
            Err((_, m)) => m.payload().map_or(0, <[u8]>::len) + m.key().map_or(0, <[u8]>::len),
        };
        sink.delivered(result, line, size);
    }
}
