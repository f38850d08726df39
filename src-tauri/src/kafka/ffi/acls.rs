//! CreateAcls, DescribeAcls and DeleteAcls (the rdkafka crate has none of them).
//!
//! Bindings and filters travel as [`RawAcl`]: librdkafka's own enums and owned strings, so
//! `kafka::acls` does the naming and validation and this file only moves values across.
//! Every binding object we create is freed by its guard; what librdkafka hands back is
//! owned by the result event and copied out before `admin_request`'s guard frees it.

use std::ffi::{c_char, CStr, CString};
use std::time::Duration;

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, cstr};
use crate::kafka::client::explain_code;
use crate::error::{Error, Result};

pub use rdsys::rd_kafka_AclOperation_t as RawOperation;
pub use rdsys::rd_kafka_AclPermissionType_t as RawPermission;
pub use rdsys::rd_kafka_ResourcePatternType_t as RawPatternType;
pub use rdsys::rd_kafka_ResourceType_t as RawResourceType;

/// One ACL binding, or (with `None` strings and ANY enums) a filter over bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAcl {
    pub resource_type: RawResourceType,
    pub name: Option<String>,
    pub pattern_type: RawPatternType,
    pub principal: Option<String>,
    pub host: Option<String>,
    pub operation: RawOperation,
    pub permission: RawPermission,
}

/// What DescribeAcls found: the bindings, or that the cluster has no authorizer.
pub enum Described {
    Bindings(Vec<RawAcl>),
    /// The broker answered SECURITY_DISABLED: no `authorizer.class.name` is configured.
    SecurityDisabled,
}

/// A binding or filter object we created; destroyed on drop.
struct AclObject(*mut rdsys::rd_kafka_AclBinding_t);

impl Drop for AclObject {
    fn drop(&mut self) {
        // SAFETY: made by rd_kafka_AclBinding(Filter)_new, destroyed once.
        unsafe { rdsys::rd_kafka_AclBinding_destroy(self.0) }
    }
}

fn optional_c_string(value: &Option<String>, field: &str) -> Result<Option<CString>> {
    value
        .as_deref()
        .map(|v| CString::new(v).map_err(|_| Error::invalid_input(field, format!("The {field} must not contain a NUL character."))))
        .transpose()
}

/// Builds the C object of `acl`: a binding (every field set) or a filter.
fn acl_object(acl: &RawAcl, filter: bool) -> Result<AclObject> {
    let name = optional_c_string(&acl.name, "resourceName")?;
    let principal = optional_c_string(&acl.principal, "principal")?;
    let host = optional_c_string(&acl.host, "host")?;
    let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
    let mut errstr = [0 as c_char; 512];
    let new = if filter { rdsys::rd_kafka_AclBindingFilter_new } else { rdsys::rd_kafka_AclBinding_new };
    // SAFETY: every pointer is null or a live NUL-terminated string; librdkafka copies them.
    let object = unsafe {
        new(
            acl.resource_type,
            ptr(&name),
            acl.pattern_type,
            ptr(&principal),
            ptr(&host),
            acl.operation,
            acl.permission,
            errstr.as_mut_ptr(),
            errstr.len(),
        )
    };
    if object.is_null() {
        // SAFETY: librdkafka wrote a NUL-terminated message into `errstr`.
        let reason = unsafe { CStr::from_ptr(errstr.as_ptr()) }.to_string_lossy().into_owned();
        return Err(Error::invalid_input("binding", format!("librdkafka refused the ACL binding: {reason}.")));
    }
    Ok(AclObject(object))
}

unsafe fn read_acl(acl: *const rdsys::rd_kafka_AclBinding_t) -> RawAcl {
    RawAcl {
        resource_type: rdsys::rd_kafka_AclBinding_restype(acl),
        name: cstr(rdsys::rd_kafka_AclBinding_name(acl)),
        pattern_type: rdsys::rd_kafka_AclBinding_resource_pattern_type(acl),
        principal: cstr(rdsys::rd_kafka_AclBinding_principal(acl)),
        host: cstr(rdsys::rd_kafka_AclBinding_host(acl)),
        operation: rdsys::rd_kafka_AclBinding_operation(acl),
        permission: rdsys::rd_kafka_AclBinding_permission_type(acl),
    }
}

/// Our error for a per-item `rd_kafka_error_t` (owned by the result event).
pub(super) unsafe fn error_of(error: *const rdsys::rd_kafka_error_t, what: &str) -> Error {
    let code = rdkafka::error::RDKafkaErrorCode::from(rdsys::rd_kafka_error_code(error));
    let reason = cstr(rdsys::rd_kafka_error_string(error)).unwrap_or_default();
    explain_code(code, &reason, what)
}

/// A C array of `count` elements as a slice; empty for a null pointer.
pub(super) unsafe fn slice<'a, T>(ptr: *const T, count: usize) -> &'a [T] {
    if ptr.is_null() || count == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, count)
    }
}

fn is_security_disabled(error: &Error) -> bool {
    // `explain_code` puts the librdkafka code name first in `detail`.
    error.detail.as_deref().is_some_and(|d| d.starts_with("SecurityDisabled"))
}

/// The bindings matching `filter`.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn describe_acls(rk: *mut RDKafka, filter: &RawAcl, timeout: Duration) -> Result<Described> {
    let what = "the ACL list";
    let object = acl_object(filter, true)?;
    let event = match admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBEACLS,
        timeout,
        what,
        |rk, options, queue| rdsys::rd_kafka_DescribeAcls(rk, object.0, options, queue),
    ) {
        Ok(event) => event,
        Err(e) if is_security_disabled(&e) => return Ok(Described::SecurityDisabled),
        Err(e) => return Err(e),
    };
    let result = rdsys::rd_kafka_event_DescribeAcls_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered DescribeAcls with another kind of event."));
    }
    let mut count = 0usize;
    let acls = rdsys::rd_kafka_DescribeAcls_result_acls(result, &mut count);
    let found = slice(acls, count).iter().map(|&acl| read_acl(acl)).collect();
    drop(event);
    Ok(Described::Bindings(found))
}

/// Creates `bindings` in one request; the outcome of each, in order.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn create_acls(rk: *mut RDKafka, bindings: &[RawAcl], timeout: Duration) -> Result<Vec<Result<()>>> {
    if bindings.is_empty() {
        return Ok(Vec::new());
    }
    let what = "creating the ACL bindings";
    let objects = bindings.iter().map(|b| acl_object(b, false)).collect::<Result<Vec<_>>>()?;
    let mut pointers: Vec<*mut rdsys::rd_kafka_AclBinding_t> = objects.iter().map(|o| o.0).collect();
    let event = admin_request(rk, rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_CREATEACLS, timeout, what, |rk, options, queue| {
        rdsys::rd_kafka_CreateAcls(rk, pointers.as_mut_ptr(), pointers.len(), options, queue)
    })?;
    let result = rdsys::rd_kafka_event_CreateAcls_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered CreateAcls with another kind of event."));
    }
    let mut count = 0usize;
    let results = rdsys::rd_kafka_CreateAcls_result_acls(result, &mut count);
    let outcomes: Vec<Result<()>> = slice(results, count)
        .iter()
        .map(|&r| {
            let error = rdsys::rd_kafka_acl_result_error(r);
            if error.is_null() {
                Ok(())
            } else {
                Err(error_of(error, what))
            }
        })
        .collect();
    if outcomes.len() != bindings.len() {
        return Err(Error::internal("librdkafka answered CreateAcls with a result per binding missing."));
    }
    drop(event);
    drop(objects);
    Ok(outcomes)
}

/// Deletes every binding matching any of `filters`; per filter, the bindings deleted.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn delete_acls(rk: *mut RDKafka, filters: &[RawAcl], timeout: Duration) -> Result<Vec<Result<Vec<RawAcl>>>> {
    if filters.is_empty() {
        return Ok(Vec::new());
    }
    let what = "deleting the ACL bindings";
    let objects = filters.iter().map(|f| acl_object(f, true)).collect::<Result<Vec<_>>>()?;
    let mut pointers: Vec<*mut rdsys::rd_kafka_AclBinding_t> = objects.iter().map(|o| o.0).collect();
    let event = admin_request(rk, rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETEACLS, timeout, what, |rk, options, queue| {
        rdsys::rd_kafka_DeleteAcls(rk, pointers.as_mut_ptr(), pointers.len(), options, queue)
    })?;
    let result = rdsys::rd_kafka_event_DeleteAcls_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered DeleteAcls with another kind of event."));
    }
    let mut count = 0usize;
    let responses = rdsys::rd_kafka_DeleteAcls_result_responses(result, &mut count);
    let mut outcomes = Vec::with_capacity(count);
    for &response in slice(responses, count) {
        let error = rdsys::rd_kafka_DeleteAcls_result_response_error(response);
        if !error.is_null() {
            outcomes.push(Err(error_of(error, what)));
            continue;
        }
        let mut matched = 0usize;
        let acls = rdsys::rd_kafka_DeleteAcls_result_response_matching_acls(response, &mut matched);
        outcomes.push(Ok(slice(acls, matched).iter().map(|&acl| read_acl(acl)).collect()));
    }
    drop(event);
    drop(objects);
    Ok(outcomes)
}
