//! DescribeUserScramCredentials and AlterUserScramCredentials (the rdkafka crate has
//! neither).
//!
//! A password passes through here as bytes only: librdkafka copies it into the request
//! (and salts and hashes it there); nothing in this file keeps, prints or returns it.

use std::ffi::c_char;
use std::time::Duration;

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::acls::{error_of, slice};
use super::{admin_request, c_string, cstr};
use crate::error::{Error, Result};

pub use rdsys::rd_kafka_ScramMechanism_t as RawMechanism;

/// One user as DescribeUserScramCredentials answers: its credentials, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCredentials {
    pub user: String,
    pub error: Option<Error>,
    /// (mechanism, iterations)
    pub credentials: Vec<(RawMechanism, i32)>,
}

/// One change to one user's credential.
pub enum Alteration<'a> {
    /// Sets (creates or replaces) the user's credential for `mechanism`.
    Upsert { user: &'a str, mechanism: RawMechanism, iterations: i32, password: &'a [u8] },
    Delete { user: &'a str, mechanism: RawMechanism },
}

impl Alteration<'_> {
    fn user(&self) -> &str {
        match self {
            Alteration::Upsert { user, .. } | Alteration::Delete { user, .. } => user,
        }
    }
}

struct AlterationObject(*mut rdsys::rd_kafka_UserScramCredentialAlteration_t);

impl Drop for AlterationObject {
    fn drop(&mut self) {
        // SAFETY: made by rd_kafka_UserScramCredential{Upsertion,Deletion}_new, destroyed once.
        unsafe { rdsys::rd_kafka_UserScramCredentialAlteration_destroy(self.0) }
    }
}

/// The credentials of `users` (empty: of every user that has any).
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn describe_scram(rk: *mut RDKafka, users: &[String], timeout: Duration) -> Result<Vec<UserCredentials>> {
    let what = "the SCRAM user list";
    let names = users.iter().map(|u| c_string(u, "user")).collect::<Result<Vec<_>>>()?;
    let mut pointers: Vec<*const c_char> = names.iter().map(|n| n.as_ptr()).collect();
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBEUSERSCRAMCREDENTIALS,
        timeout,
        what,
        |rk, options, queue| rdsys::rd_kafka_DescribeUserScramCredentials(rk, pointers.as_mut_ptr(), pointers.len(), options, queue),
    )?;
    let result = rdsys::rd_kafka_event_DescribeUserScramCredentials_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered DescribeUserScramCredentials with another kind of event."));
    }
    let mut count = 0usize;
    let descriptions = rdsys::rd_kafka_DescribeUserScramCredentials_result_descriptions(result, &mut count);
    let mut found = Vec::with_capacity(count);
    for &d in slice(descriptions, count) {
        let error = rdsys::rd_kafka_UserScramCredentialsDescription_error(d);
        let error = (!error.is_null() && rdsys::rd_kafka_error_code(error) != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR)
            .then(|| error_of(error, what));
        let mut credentials = Vec::new();
        for index in 0..rdsys::rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(d) {
            let info = rdsys::rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(d, index);
            if !info.is_null() {
                credentials.push((
                    rdsys::rd_kafka_ScramCredentialInfo_mechanism(info),
                    rdsys::rd_kafka_ScramCredentialInfo_iterations(info),
                ));
            }
        }
        found.push(UserCredentials {
            user: cstr(rdsys::rd_kafka_UserScramCredentialsDescription_user(d)).unwrap_or_default(),
            error,
            credentials,
        });
    }
    drop(event);
    Ok(found)
}

/// Applies `alterations` in one request; per user named, its outcome (Kafka answers one
/// result per user, all of that user's alterations succeeding or failing together).
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn alter_scram(rk: *mut RDKafka, alterations: &[Alteration<'_>], timeout: Duration) -> Result<Vec<(String, Result<()>)>> {
    if alterations.is_empty() {
        return Ok(Vec::new());
    }
    let what = "changing the SCRAM credentials";
    let mut objects = Vec::with_capacity(alterations.len());
    for alteration in alterations {
        let user = c_string(alteration.user(), "user")?;
        let object = match alteration {
            Alteration::Upsert { mechanism, iterations, password, .. } => {
                // A null salt makes librdkafka generate a random one; it copies the password.
                rdsys::rd_kafka_UserScramCredentialUpsertion_new(
                    user.as_ptr(),
                    *mechanism,
                    *iterations,
                    password.as_ptr(),
                    password.len(),
                    std::ptr::null(),
                    0,
                )
            }
            Alteration::Delete { mechanism, .. } => rdsys::rd_kafka_UserScramCredentialDeletion_new(user.as_ptr(), *mechanism),
        };
        if object.is_null() {
            return Err(Error::internal("librdkafka could not build the SCRAM credential change."));
        }
        objects.push(AlterationObject(object));
    }
    let mut pointers: Vec<_> = objects.iter().map(|o| o.0).collect();
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ALTERUSERSCRAMCREDENTIALS,
        timeout,
        what,
        |rk, options, queue| rdsys::rd_kafka_AlterUserScramCredentials(rk, pointers.as_mut_ptr(), pointers.len(), options, queue),
    )?;
    let result = rdsys::rd_kafka_event_AlterUserScramCredentials_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered AlterUserScramCredentials with another kind of event."));
    }
    let mut count = 0usize;
    let responses = rdsys::rd_kafka_AlterUserScramCredentials_result_responses(result, &mut count);
    let mut outcomes = Vec::with_capacity(count);
    for &r in slice(responses, count) {
        let user = cstr(rdsys::rd_kafka_AlterUserScramCredentials_result_response_user(r)).unwrap_or_default();
        let error = rdsys::rd_kafka_AlterUserScramCredentials_result_response_error(r);
        let ok = error.is_null() || rdsys::rd_kafka_error_code(error) == rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR;
        outcomes.push((user, if ok { Ok(()) } else { Err(error_of(error, what)) }));
    }
    drop(event);
    drop(objects);
    Ok(outcomes)
}
