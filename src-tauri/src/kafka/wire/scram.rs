//! SCRAM-SHA-256 / SCRAM-SHA-512 client messages (RFC 5802, as Kafka's KIP-84 uses them).

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScramHash {
    Sha256,
    Sha512,
}

/// Kafka refuses fewer; more than this would only be a broker making us spin.
const MIN_ITERATIONS: u32 = 4096;
const MAX_ITERATIONS: u32 = 1_000_000;
/// base64("n,,"): no channel binding, no authorization id.
const GS2_HEADER_B64: &str = "biws";

impl ScramHash {
    pub fn mechanism(self) -> &'static str {
        match self {
            ScramHash::Sha256 => "SCRAM-SHA-256",
            ScramHash::Sha512 => "SCRAM-SHA-512",
        }
    }

    fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
            // HMAC takes keys of any length: this cannot fail.
            let mut mac = <M as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            ScramHash::Sha256 => run::<Hmac<Sha256>>(key, data),
            ScramHash::Sha512 => run::<Hmac<Sha512>>(key, data),
        }
    }

    fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            ScramHash::Sha256 => Sha256::digest(data).to_vec(),
            ScramHash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// Hi() of RFC 5802: PBKDF2 with this HMAC, one block.
    fn salted_password(self, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
        let mut block = salt.to_vec();
        block.extend_from_slice(&1u32.to_be_bytes());
        let mut u = self.hmac(password, &block);
        let mut result = u.clone();
        for _ in 1..iterations {
            u = self.hmac(password, &u);
            for (r, x) in result.iter_mut().zip(&u) {
                *r ^= x;
            }
        }
        result
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn refused(why: &str) -> Error {
    Error::new(ErrorKind::Auth, format!("Authentication failed: the broker's SCRAM answer {why}."))
}

/// One SCRAM conversation: client-first, then client-final from the server-first, then
/// the server's signature checked.
pub struct ScramClient {
    hash: ScramHash,
    password: String,
    client_nonce: String,
    client_first_bare: String,
    expected_server_signature: Option<Vec<u8>>,
}

impl ScramClient {
    pub fn new(hash: ScramHash, username: &str, password: &str, client_nonce: String) -> ScramClient {
        // saslname: '=' and ',' escaped.
        let name = username.replace('=', "=3D").replace(',', "=2C");
        let client_first_bare = format!("n={name},r={client_nonce}");
        ScramClient { hash, password: password.to_string(), client_nonce, client_first_bare, expected_server_signature: None }
    }

    pub fn client_first(&self) -> String {
        format!("n,,{}", self.client_first_bare)
    }

    pub fn client_final(&mut self, server_first: &str) -> Result<String> {
        let field = |key: &str| server_first.split(',').find_map(|part| part.strip_prefix(key));
        if let Some(error) = field("e=") {
            return Err(refused(&format!("is an error: {error}")));
        }
        let nonce = field("r=").ok_or_else(|| refused("has no nonce"))?;
        if !nonce.starts_with(&self.client_nonce) || nonce.len() == self.client_nonce.len() {
            return Err(refused("does not extend our nonce"));
        }
        let salt = field("s=")
            .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
            .ok_or_else(|| refused("has no readable salt"))?;
        let iterations: u32 = field("i=").and_then(|i| i.parse().ok()).ok_or_else(|| refused("has no iteration count"))?;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(refused(&format!("asks for {iterations} iterations")));
        }
        let without_proof = format!("c={GS2_HEADER_B64},r={nonce}");
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let salted = self.hash.salted_password(self.password.as_bytes(), &salt, iterations);
        let client_key = self.hash.hmac(&salted, b"Client Key");
        let stored_key = self.hash.hash(&client_key);
        let signature = self.hash.hmac(&stored_key, auth_message.as_bytes());
        let proof: Vec<u8> = client_key.iter().zip(&signature).map(|(k, s)| k ^ s).collect();
        let server_key = self.hash.hmac(&salted, b"Server Key");
        self.expected_server_signature = Some(self.hash.hmac(&server_key, auth_message.as_bytes()));
        Ok(format!("{without_proof},p={}", b64(&proof)))
    }

    /// Checks the broker proved it knows the password too (no impostor in between).
    pub fn verify_server_final(&self, server_final: &str) -> Result<()> {
        if let Some(error) = server_final.strip_prefix("e=") {
            return Err(refused(&format!("is an error: {error}")));
        }
        let signature = server_final
            .split(',')
            .find_map(|p| p.strip_prefix("v="))
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .ok_or_else(|| refused("has no server signature"))?;
        match &self.expected_server_signature {
            Some(expected) if *expected == signature => Ok(()),
            _ => Err(refused("carries a wrong server signature")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7677's SCRAM-SHA-256 example conversation.
    #[test]
    fn matches_the_rfc_7677_example() {
        let mut c = ScramClient::new(ScramHash::Sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO".into());
        assert_eq!(c.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assert_eq!(
            c.client_final(server_first).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        assert!(c.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=").is_ok());
        assert!(c.verify_server_final("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=").is_err());
        assert!(c.verify_server_final("e=invalid-proof").is_err());
    }

    #[test]
    fn bad_server_messages_are_refused() {
        let mut c = ScramClient::new(ScramHash::Sha512, "a=b,c", "pw", "abc".into());
        assert_eq!(c.client_first(), "n,,n=a=3Db=2Cc,r=abc");
        for bad in ["r=xyz1,s=c2FsdA==,i=4096", "r=abc,s=c2FsdA==,i=4096", "r=abcd,s=***,i=4096", "r=abcd,s=c2FsdA==,i=10", "e=other-error", ""] {
            assert_eq!(c.client_final(bad).err().map(|e| e.kind), Some(ErrorKind::Auth), "{bad}");
        }
    }
}
