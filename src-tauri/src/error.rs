//! The one error type of KafkaDesk.
//!
//! Every fallible call in the backend returns [`Error`]; it reaches the UI serialized as
//! `{kind, message, detail}`. The UI shows `message` as-is, so a message is a finished
//! sentence a user can act on. `detail` carries the technical cause (a librdkafka error
//! name, the underlying reason); for `InvalidInput` it is the name of the offending field,
//! so a form can show the message beside that field.
//!
//! Secrets never go into an error: messages are built from field names and broker
//! answers, never from configuration values.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum ErrorKind {
    /// Bad input from the user; `detail` names the field.
    InvalidInput,
    /// No broker could be reached (refused, name resolution, network down).
    Unreachable,
    /// The broker rejected our credentials.
    Auth,
    /// The TLS handshake failed (unknown CA, hostname mismatch, bad certificate).
    Tls,
    /// The broker answered with an error; `detail` holds the error code name.
    Kafka,
    /// The profile is read-only and the call would change the cluster.
    ReadOnly,
    /// The thing asked for does not exist.
    NotFound,
    /// A bounded wait ran out.
    Timeout,
    /// The user cancelled a long job.
    Cancelled,
    /// A bug or an environment fault on our side.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest message or detail an error carries: text quoted from input (a 10 MB topic name,
/// say) is cut here, so an error never echoes a huge argument back over IPC.
pub const MAX_ERROR_TEXT: usize = 2048;

/// `text` cut to [`MAX_ERROR_TEXT`] bytes on a character boundary, marked with "…".
fn bounded(mut text: String) -> String {
    if text.len() > MAX_ERROR_TEXT {
        let mut cut = MAX_ERROR_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: bounded(message.into()), detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(bounded(detail.into()));
        self
    }

    /// Bad input in `field` (the camelCase name the UI uses for that form field).
    pub fn invalid_input(field: &str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message).with_detail(field)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::NotFound, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    pub fn timeout(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout, message)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::internal(format!("A file operation failed: {e}")).with_detail(format!("{:?}", e.kind()))
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Self {
        Error::internal("A background task stopped unexpectedly.").with_detail(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kind_message_detail() {
        let e = Error::invalid_input("bootstrapServers", "Bootstrap servers: enter at least one host:port.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "InvalidInput",
                "message": "Bootstrap servers: enter at least one host:port.",
                "detail": "bootstrapServers"
            })
        );
    }

    #[test]
    fn huge_input_is_not_echoed_back() {
        let huge = "x".repeat(10 << 20);
        let e = Error::invalid_input("topic", format!("Topic \"{huge}\" does not exist.")).with_detail(huge.clone());
        assert!(e.message.len() <= MAX_ERROR_TEXT + 4 && e.message.ends_with('…'), "{} bytes", e.message.len());
        assert!(e.detail.as_deref().is_some_and(|d| d.len() <= MAX_ERROR_TEXT + 4));
        // Cut on a character boundary, never inside one.
        let e = Error::internal("é".repeat(MAX_ERROR_TEXT));
        assert!(e.message.chars().all(|c| c == 'é' || c == '…'));
    }

    #[test]
    fn omits_missing_detail() {
        let json = serde_json::to_value(Error::timeout("Timed out.")).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "Timeout", "message": "Timed out."}));
    }
}
