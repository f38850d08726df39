//! Delivery reports of the cluster's producer, routed to the job that sent each message.
//!
//! The producer belongs to the connection (`client::Cluster`); the jobs that send belong
//! to `messages::produce`. This small module sits between them so neither imports the other.

use std::sync::Arc;

use rdkafka::client::ClientContext;
use rdkafka::producer::{DeliveryResult, ProducerContext};

/// Receives the outcome of each message a job sent.
pub trait DeliverySink: Send + Sync {
    /// `line` and `size` are what the job attached to the message when it sent it.
    fn delivered(&self, result: &DeliveryResult<'_>, line: u64, size: usize);
}

/// What a message carries to its delivery report.
pub struct Tracked {
    pub sink: Arc<dyn DeliverySink>,
    pub line: u64,
    pub size: usize,
}

/// The producer's context: hands each delivery report to the job that sent the message.
pub struct DeliveryRouter;

impl ClientContext for DeliveryRouter {}

impl ProducerContext for DeliveryRouter {
    type DeliveryOpaque = Box<Tracked>;

    fn delivery(&self, result: &DeliveryResult<'_>, tracked: Box<Tracked>) {
        tracked.sink.delivered(result, tracked.line, tracked.size);
    }
}
