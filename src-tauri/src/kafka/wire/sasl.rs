//! SASL over Kafka requests (KIP-152): SaslHandshake names the mechanism, SaslAuthenticate
//! carries its messages.

use std::time::Instant;

use bytes::Bytes;
use kafka_protocol::messages::{SaslAuthenticateRequest, SaslHandshakeRequest};
use kafka_protocol::protocol::StrBytes;

use super::scram::ScramClient;
use super::security::Sasl;
use super::BrokerLink;
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::auth_cause;

/// Kafka's UNSUPPORTED_SASL_MECHANISM and SASL_AUTHENTICATION_FAILED.
const UNSUPPORTED_SASL_MECHANISM: i16 = 33;
const SASL_AUTHENTICATION_FAILED: i16 = 58;

pub fn authenticate(link: &mut BrokerLink, sasl: &Sasl, deadline: Instant) -> Result<()> {
    let what = "to authenticate";
    let mechanism = sasl.mechanism();
    let version = link.version_for::<SaslHandshakeRequest>("SASL authentication")?;
    let handshake = SaslHandshakeRequest::default().with_mechanism(StrBytes::from_static_str(mechanism));
    let answer = link.send_at(&handshake, version, deadline, what)?;
    match answer.error_code {
        0 => {}
        UNSUPPORTED_SASL_MECHANISM => {
            let enabled: Vec<&str> = answer.mechanisms.iter().map(|m| m.as_str()).collect();
            return Err(Error::new(ErrorKind::Auth, auth_cause("mechanism not enabled"))
                .with_detail(format!("{mechanism} is not enabled; the listener offers {}", enabled.join(", "))));
        }
        code => return Err(super::kafka_error(code, "The broker refused the SASL handshake")),
    }
    let auth_version = link.version_for::<SaslAuthenticateRequest>("SASL authentication")?;
    let round = |link: &mut BrokerLink, bytes: Vec<u8>| -> Result<Vec<u8>> {
        let request = SaslAuthenticateRequest::default().with_auth_bytes(Bytes::from(bytes));
        let answer = link.send_at(&request, auth_version, deadline, what)?;
        match answer.error_code {
            0 => Ok(answer.auth_bytes.to_vec()),
            code => {
                let said = answer.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default();
                let reason = if code == SASL_AUTHENTICATION_FAILED { format!("authentication failed: {said}") } else { said.clone() };
                Err(Error::new(ErrorKind::Auth, auth_cause(&reason)).with_detail(format!("{mechanism}: error {code}: {said}")))
            }
        }
    };
    match sasl {
        Sasl::Plain { username, password } => {
            // authzid NUL authcid NUL password
            let mut message = Vec::with_capacity(username.len() + password.len() + 2);
            message.push(0);
            message.extend_from_slice(username.as_bytes());
            message.push(0);
            message.extend_from_slice(password.as_bytes());
            round(link, message)?;
        }
        Sasl::Scram { hash, username, password } => {
            let nonce = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
            let mut scram = ScramClient::new(*hash, username, password, nonce);
            let server_first = round(link, scram.client_first().into_bytes())?;
            let client_final = scram.client_final(&String::from_utf8_lossy(&server_first))?;
            let server_final = round(link, client_final.into_bytes())?;
            scram.verify_server_final(&String::from_utf8_lossy(&server_final))?;
        }
    }
    Ok(())
}
