//! Security administration: ACL bindings (list, create, delete with a preview, wizards,
//! CSV / JSON export and import), "who can do what" computed the way Kafka's
//! StandardAuthorizer decides, and SCRAM users.
//!
//! Input arrives as strings ([`AclBindingInput`]) so that every mistake is reported against
//! its field before anything is sent: a batch with one bad binding creates nothing.
//! Passwords are [`Password`]s: never serialized, never in `Debug`, never in an error.

use std::collections::BTreeSet;
use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::{Cluster, REQUEST_TIMEOUT};
use super::connection::Write;
use super::ffi::{self, RawAcl, RawMechanism, RawOperation, RawPatternType, RawPermission, RawResourceType};
use crate::error::{Error, ErrorKind, Result};

/// The one name a CLUSTER resource has.
pub const CLUSTER_NAME: &str = "kafka-cluster";
/// What a binding matches when it names any host, resource or user.
pub const WILDCARD: &str = "*";
/// Kafka's bounds on SCRAM iterations (ScramMechanism.minIterations / maxIterations).
pub const MIN_ITERATIONS: i32 = 4096;
pub const MAX_ITERATIONS: i32 = 16384;
pub const DEFAULT_ITERATIONS: i32 = 8192;

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum ResourceType {
    Topic,
    Group,
    Cluster,
    TransactionalId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum PatternType {
    Literal,
    Prefixed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum Operation {
    All,
    Read,
    Write,
    Create,
    Delete,
    Alter,
    Describe,
    ClusterAction,
    DescribeConfigs,
    AlterConfigs,
    IdempotentWrite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum Permission {
    Allow,
    Deny,
}

/// Kafka's spelling (as `kafka-acls.sh` prints it) for each of our names.
macro_rules! kafka_names {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),* }
            }
            /// Accepts Kafka's name in any case, with `-` or `_` (`transactional-id`, `TransactionalId` too).
            pub fn parse(text: &str) -> Option<$ty> {
                let norm: String = text.trim().chars().filter(|c| *c != '_' && *c != '-' && *c != ' ').collect::<String>().to_ascii_uppercase();
                $ty::ALL.iter().copied().find(|v| v.as_str().replace('_', "") == norm)
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

kafka_names!(ResourceType { Topic => "TOPIC", Group => "GROUP", Cluster => "CLUSTER", TransactionalId => "TRANSACTIONAL_ID" });
kafka_names!(PatternType { Literal => "LITERAL", Prefixed => "PREFIXED" });
kafka_names!(Operation {
    All => "ALL", Read => "READ", Write => "WRITE", Create => "CREATE", Delete => "DELETE", Alter => "ALTER",
    Describe => "DESCRIBE", ClusterAction => "CLUSTER_ACTION", DescribeConfigs => "DESCRIBE_CONFIGS",
    AlterConfigs => "ALTER_CONFIGS", IdempotentWrite => "IDEMPOTENT_WRITE",
});
kafka_names!(Permission { Allow => "ALLOW", Deny => "DENY" });

impl ResourceType {
    /// The operations Kafka's AclCommand accepts on this resource type (ALL besides).
    pub fn operations(self) -> &'static [Operation] {
        use Operation::*;
        match self {
            ResourceType::Topic => &[Read, Write, Create, Describe, Delete, Alter, DescribeConfigs, AlterConfigs],
            ResourceType::Group => &[Read, Describe, Delete],
            ResourceType::Cluster => &[Create, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, Alter, Describe],
            ResourceType::TransactionalId => &[Describe, Write],
        }
    }

    fn raw(self) -> RawResourceType {
        match self {
            ResourceType::Topic => RawResourceType::RD_KAFKA_RESOURCE_TOPIC,
            ResourceType::Group => RawResourceType::RD_KAFKA_RESOURCE_GROUP,
            ResourceType::Cluster => RawResourceType::RD_KAFKA_RESOURCE_BROKER,
            ResourceType::TransactionalId => RawResourceType::RD_KAFKA_RESOURCE_TRANSACTIONAL_ID,
        }
    }

    fn from_raw(raw: RawResourceType) -> Option<ResourceType> {
        ResourceType::ALL.iter().copied().find(|t| t.raw() == raw)
    }
}

impl PatternType {
    fn raw(self) -> RawPatternType {
        match self {
            PatternType::Literal => RawPatternType::RD_KAFKA_RESOURCE_PATTERN_LITERAL,
            PatternType::Prefixed => RawPatternType::RD_KAFKA_RESOURCE_PATTERN_PREFIXED,
        }
    }

    fn from_raw(raw: RawPatternType) -> Option<PatternType> {
        PatternType::ALL.iter().copied().find(|t| t.raw() == raw)
    }
}

impl Operation {
    fn raw(self) -> RawOperation {
        use RawOperation as R;
        match self {
            Operation::All => R::RD_KAFKA_ACL_OPERATION_ALL,
            Operation::Read => R::RD_KAFKA_ACL_OPERATION_READ,
            Operation::Write => R::RD_KAFKA_ACL_OPERATION_WRITE,
            Operation::Create => R::RD_KAFKA_ACL_OPERATION_CREATE,
            Operation::Delete => R::RD_KAFKA_ACL_OPERATION_DELETE,
            Operation::Alter => R::RD_KAFKA_ACL_OPERATION_ALTER,
            Operation::Describe => R::RD_KAFKA_ACL_OPERATION_DESCRIBE,
            Operation::ClusterAction => R::RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION,
            Operation::DescribeConfigs => R::RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS,
            Operation::AlterConfigs => R::RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS,
            Operation::IdempotentWrite => R::RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE,
        }
    }

    fn from_raw(raw: RawOperation) -> Option<Operation> {
        Operation::ALL.iter().copied().find(|o| o.raw() == raw)
    }
}

impl Permission {
    fn raw(self) -> RawPermission {
        match self {
            Permission::Allow => RawPermission::RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW,
            Permission::Deny => RawPermission::RD_KAFKA_ACL_PERMISSION_TYPE_DENY,
        }
    }

    fn from_raw(raw: RawPermission) -> Option<Permission> {
        Permission::ALL.iter().copied().find(|p| p.raw() == raw)
    }
}

// ---------------------------------------------------------------------------------------
// Bindings and their validation
// ---------------------------------------------------------------------------------------

/// One ACL binding: `principal` from `host` is `permission`ed to `operation` on the
/// resources `resource_type` / `resource_name` / `pattern_type` names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AclBinding {
    pub principal: String,
    pub host: String,
    pub operation: Operation,
    pub permission: Permission,
    pub resource_type: ResourceType,
    pub resource_name: String,
    pub pattern_type: PatternType,
}

/// A binding as typed or imported: every field a string, checked by [`AclBindingInput::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct AclBindingInput {
    pub principal: String,
    /// Empty means any host (`*`).
    pub host: String,
    pub operation: String,
    /// Empty means ALLOW.
    pub permission: String,
    pub resource_type: String,
    pub resource_name: String,
    /// Empty means LITERAL.
    pub pattern_type: String,
}

impl From<&AclBinding> for AclBindingInput {
    fn from(b: &AclBinding) -> Self {
        AclBindingInput {
            principal: b.principal.clone(),
            host: b.host.clone(),
            operation: b.operation.to_string(),
            permission: b.permission.to_string(),
            resource_type: b.resource_type.to_string(),
            resource_name: b.resource_name.clone(),
            pattern_type: b.pattern_type.to_string(),
        }
    }
}

fn names<T: fmt::Display>(all: &[T]) -> String {
    all.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

/// `Type:name`, as Kafka's principals are written (`User:alice`, `User:*`).
pub fn validate_principal(principal: &str) -> Result<String> {
    let principal = principal.trim();
    if principal.is_empty() {
        return Err(Error::invalid_input("principal", "Principal: enter who the binding is for, e.g. User:alice (User:* for everyone)."));
    }
    match principal.split_once(':') {
        Some((kind, name)) if !kind.is_empty() && !name.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Ok(principal.to_string())
        }
        _ => Err(Error::invalid_input(
            "principal",
            format!("Principal \"{principal}\" is not of the form Type:name; write it as User:{}.", principal.trim_start_matches(':')),
        )),
    }
}

/// `*` or an IP address: Kafka compares ACL hosts with the client's address, never a name.
pub fn validate_host(host: &str) -> Result<String> {
    let host = host.trim();
    if host.is_empty() || host == WILDCARD {
        return Ok(WILDCARD.to_string());
    }
    host.parse::<IpAddr>().map(|_| host.to_string()).map_err(|_| {
        Error::invalid_input("host", format!("Host \"{host}\" is not an IP address; Kafka matches hosts by client IP (or * for any)."))
    })
}

fn parse_field<T: Copy + fmt::Display>(
    text: &str,
    field: &str,
    label: &str,
    all: &[T],
    parse: fn(&str) -> Option<T>,
    default: Option<T>,
) -> Result<T> {
    if text.trim().is_empty() {
        return default.ok_or_else(|| Error::invalid_input(field, format!("{label}: choose one of {}.", names(all))));
    }
    parse(text).ok_or_else(|| Error::invalid_input(field, format!("{label} \"{}\" is unknown; use one of {}.", text.trim(), names(all))))
}

impl AclBindingInput {
    /// The binding, or an `InvalidInput` error naming the first bad field.
    pub fn validate(&self) -> Result<AclBinding> {
        let principal = validate_principal(&self.principal)?;
        let host = validate_host(&self.host)?;
        let resource_type = parse_field(&self.resource_type, "resourceType", "Resource type", ResourceType::ALL, ResourceType::parse, None)?;
        let pattern_type = parse_field(&self.pattern_type, "patternType", "Pattern type", PatternType::ALL, PatternType::parse, Some(PatternType::Literal))?;
        let operation = parse_field(&self.operation, "operation", "Operation", Operation::ALL, Operation::parse, None)?;
        let permission = parse_field(&self.permission, "permission", "Permission", Permission::ALL, Permission::parse, Some(Permission::Allow))?;
        let mut resource_name = self.resource_name.trim().to_string();
        if resource_type == ResourceType::Cluster {
            if pattern_type != PatternType::Literal {
                return Err(Error::invalid_input(
                    "patternType",
                    format!("The cluster is one resource named {CLUSTER_NAME}: its pattern type is LITERAL, not {pattern_type}."),
                ));
            }
            if resource_name.is_empty() {
                resource_name = CLUSTER_NAME.to_string();
            } else if resource_name != CLUSTER_NAME {
                return Err(Error::invalid_input("resourceName", format!("The cluster resource is always named {CLUSTER_NAME}, not \"{resource_name}\".")));
            }
        }
        if resource_name.is_empty() {
            return Err(Error::invalid_input("resourceName", format!("Resource name: enter the {} name (or * for every {}).", label(resource_type), label(resource_type))));
        }
        if pattern_type == PatternType::Prefixed && resource_name == WILDCARD {
            return Err(Error::invalid_input(
                "patternType",
                "A PREFIXED pattern named * matches only names starting with a star; for every resource use LITERAL *.",
            ));
        }
        if resource_name.contains('\0') {
            return Err(Error::invalid_input("resourceName", "Resource name must not contain a NUL character."));
        }
        if operation != Operation::All && !resource_type.operations().contains(&operation) {
            return Err(Error::invalid_input(
                "operation",
                format!("{operation} does not apply to a {}; choose one of ALL, {}.", label(resource_type), names(resource_type.operations())),
            ));
        }
        Ok(AclBinding { principal, host, operation, permission, resource_type, resource_name, pattern_type })
    }
}

fn label(t: ResourceType) -> &'static str {
    match t {
        ResourceType::Topic => "topic",
        ResourceType::Group => "group",
        ResourceType::Cluster => "cluster",
        ResourceType::TransactionalId => "transactional id",
    }
}

/// Validates every input; the first bad one fails the whole batch, naming its position.
pub fn validate_all(inputs: &[AclBindingInput]) -> Result<Vec<AclBinding>> {
    if inputs.is_empty() {
        return Err(Error::invalid_input("bindings", "There are no bindings to create."));
    }
    let mut out = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        match input.validate() {
            Ok(b) => out.push(b),
            Err(e) if inputs.len() > 1 => return Err(Error { message: format!("Binding {}: {}", i + 1, e.message), ..e }),
            Err(e) => return Err(e),
        }
    }
    // Kafka ignores a repeated binding; say nothing and send it once.
    let mut seen = BTreeSet::new();
    out.retain(|b| seen.insert(b.clone()));
    Ok(out)
}

impl AclBinding {
    fn raw(&self) -> RawAcl {
        RawAcl {
            resource_type: self.resource_type.raw(),
            name: Some(self.resource_name.clone()),
            pattern_type: self.pattern_type.raw(),
            principal: Some(self.principal.clone()),
            host: Some(self.host.clone()),
            operation: self.operation.raw(),
            permission: self.permission.raw(),
        }
    }

    fn from_raw(raw: RawAcl) -> Option<AclBinding> {
        Some(AclBinding {
            principal: raw.principal?,
            host: raw.host?,
            operation: Operation::from_raw(raw.operation)?,
            permission: Permission::from_raw(raw.permission)?,
            resource_type: ResourceType::from_raw(raw.resource_type)?,
            resource_name: raw.name?,
            pattern_type: PatternType::from_raw(raw.pattern_type)?,
        })
    }

    /// Whether this binding's resource pattern covers the resource named `name` (the
    /// matching of StandardAuthorizerData: exact literal, literal `*`, or a prefix).
    pub fn covers(&self, resource_type: ResourceType, name: &str) -> bool {
        self.resource_type == resource_type
            && match self.pattern_type {
                PatternType::Literal => self.resource_name == name || self.resource_name == WILDCARD,
                PatternType::Prefixed => name.starts_with(&self.resource_name),
            }
    }
}

// ---------------------------------------------------------------------------------------
// Listing, creating, deleting
// ---------------------------------------------------------------------------------------

/// Which bindings a list or a delete is about; every field empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct AclFilter {
    pub principal: Option<String>,
    pub host: Option<String>,
    pub operation: Option<Operation>,
    pub permission: Option<Permission>,
    pub resource_type: Option<ResourceType>,
    pub resource_name: Option<String>,
    /// LITERAL or PREFIXED: bindings of that pattern type with exactly that name.
    /// MATCH (with a name): every binding that applies to the named resource.
    pub pattern_type: Option<PatternFilter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum PatternFilter {
    Literal,
    Prefixed,
    Match,
}

fn nonempty(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl AclFilter {
    fn raw(&self) -> Result<RawAcl> {
        let principal = nonempty(&self.principal).map(|p| validate_principal(&p)).transpose()?;
        let host = nonempty(&self.host).map(|h| validate_host(&h)).transpose()?;
        let name = nonempty(&self.resource_name);
        if self.pattern_type == Some(PatternFilter::Match) && name.is_none() {
            return Err(Error::invalid_input("resourceName", "Matching bindings needs a resource name to match."));
        }
        Ok(RawAcl {
            resource_type: self.resource_type.map_or(RawResourceType::RD_KAFKA_RESOURCE_ANY, ResourceType::raw),
            name,
            pattern_type: match self.pattern_type {
                None => RawPatternType::RD_KAFKA_RESOURCE_PATTERN_ANY,
                Some(PatternFilter::Literal) => RawPatternType::RD_KAFKA_RESOURCE_PATTERN_LITERAL,
                Some(PatternFilter::Prefixed) => RawPatternType::RD_KAFKA_RESOURCE_PATTERN_PREFIXED,
                Some(PatternFilter::Match) => RawPatternType::RD_KAFKA_RESOURCE_PATTERN_MATCH,
            },
            principal,
            host,
            operation: self.operation.map_or(RawOperation::RD_KAFKA_ACL_OPERATION_ANY, Operation::raw),
            permission: self.permission.map_or(RawPermission::RD_KAFKA_ACL_PERMISSION_TYPE_ANY, Permission::raw),
        })
    }

    /// The filter that matches `binding` and nothing else.
    pub fn exact(binding: &AclBinding) -> AclFilter {
        AclFilter {
            principal: Some(binding.principal.clone()),
            host: Some(binding.host.clone()),
            operation: Some(binding.operation),
            permission: Some(binding.permission),
            resource_type: Some(binding.resource_type),
            resource_name: Some(binding.resource_name.clone()),
            pattern_type: Some(match binding.pattern_type {
                PatternType::Literal => PatternFilter::Literal,
                PatternType::Prefixed => PatternFilter::Prefixed,
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AclListing {
    /// The cluster has no authorizer (SECURITY_DISABLED): there are no ACLs to show.
    pub security_disabled: bool,
    /// Sorted by resource, then principal, then operation.
    pub bindings: Vec<AclBinding>,
}

fn sort_key(b: &AclBinding) -> (ResourceType, &str, PatternType, &str, &str, Operation, Permission) {
    (b.resource_type, &b.resource_name, b.pattern_type, &b.principal, &b.host, b.operation, b.permission)
}

fn sorted(mut bindings: Vec<AclBinding>) -> Vec<AclBinding> {
    bindings.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    bindings.dedup();
    bindings
}

fn describe(c: &Cluster, filter: &RawAcl) -> Result<AclListing> {
    // SAFETY: `c` keeps the client alive for the whole call.
    match unsafe { ffi::describe_acls(c.native(), filter, REQUEST_TIMEOUT)? } {
        ffi::Described::SecurityDisabled => Ok(AclListing { security_disabled: true, bindings: Vec::new() }),
        // librdkafka (2.12) drops DescribeAcls' top-level error code, so a broker without an
        // authorizer answers like one without ACLs: an empty list. Ask the broker's config.
        ffi::Described::Bindings(raw) if raw.is_empty() => {
            Ok(AclListing { security_disabled: authorizer_configured(c) == Some(false), bindings: Vec::new() })
        }
        ffi::Described::Bindings(raw) => {
            Ok(AclListing { security_disabled: false, bindings: sorted(raw.into_iter().filter_map(AclBinding::from_raw).collect()) })
        }
    }
}

/// The configs of one broker (the controller, else the first one), for what the authorizer
/// is configured with.
fn broker_configs(c: &Cluster) -> Result<Vec<ffi::RawConfigEntry>> {
    // SAFETY: `c` keeps the client alive for each call.
    let cluster = unsafe { ffi::describe_cluster(c.native(), REQUEST_TIMEOUT)? };
    let broker = cluster.controller_id.or_else(|| cluster.nodes.first().map(|n| n.id)).ok_or_else(|| Error::internal("no broker"))?;
    unsafe { ffi::describe_configs(c.native(), ffi::ResourceKind::Broker, &broker.to_string(), REQUEST_TIMEOUT) }
}

/// Whether the broker has `authorizer.class.name` set; `None` when its configs cannot be
/// read (no DESCRIBE_CONFIGS on the cluster) or do not list it.
fn authorizer_configured(c: &Cluster) -> Option<bool> {
    let entries = broker_configs(c).ok()?;
    let entry = entries.iter().find(|e| e.name == "authorizer.class.name")?;
    Some(entry.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
}

fn security_disabled() -> Error {
    Error::new(ErrorKind::Kafka, "This cluster has no authorizer configured (SECURITY_DISABLED): it keeps no ACLs.")
        .with_detail("SecurityDisabled")
}

/// The bindings matching `filter` (all of them for the default filter).
pub async fn list(cluster: &Arc<Cluster>, filter: AclFilter) -> Result<AclListing> {
    let raw = filter.raw()?;
    cluster.blocking(move |c| describe(c, &raw)).await
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateOutcome {
    /// Every binding sent (Kafka treats one that already exists as created).
    pub created: Vec<AclBinding>,
}

/// Creates every binding of `inputs`, or none when any is invalid.
pub async fn create(cluster: &Write, inputs: Vec<AclBindingInput>) -> Result<CreateOutcome> {
    let bindings = validate_all(&inputs)?;
    create_bindings(cluster, bindings).await
}

async fn create_bindings(cluster: &Write, bindings: Vec<AclBinding>) -> Result<CreateOutcome> {
    let raw: Vec<RawAcl> = bindings.iter().map(AclBinding::raw).collect();
    let outcomes = cluster
        .blocking(move |c| {
            // SAFETY: `c` keeps the client alive for the whole call.
            unsafe { ffi::create_acls(c.native(), &raw, REQUEST_TIMEOUT) }
        })
        .await
        .map_err(map_security_disabled)?;
    for (binding, outcome) in bindings.iter().zip(outcomes) {
        if let Err(e) = outcome {
            let e = map_security_disabled(e);
            return Err(Error { message: format!("{} ({} {} on {} {}).", e.message.trim_end_matches('.'), binding.principal, binding.operation, binding.resource_type, binding.resource_name), ..e });
        }
    }
    Ok(CreateOutcome { created: bindings })
}

fn map_security_disabled(e: Error) -> Error {
    if e.detail.as_deref().is_some_and(|d| d.starts_with("SecurityDisabled")) {
        security_disabled()
    } else {
        e
    }
}

/// What a delete by `filter` would delete, from the broker's own matching.
pub async fn delete_preview(cluster: &Arc<Cluster>, filter: AclFilter) -> Result<Vec<AclBinding>> {
    let listing = list(cluster, filter).await?;
    if listing.security_disabled {
        return Err(security_disabled());
    }
    Ok(listing.bindings)
}

/// Deletes every binding matching `filter`; answers what the broker deleted.
pub async fn delete_by_filter(cluster: &Write, filter: AclFilter) -> Result<Vec<AclBinding>> {
    if filter == AclFilter::default() {
        return Err(Error::invalid_input("filter", "Deleting needs a filter: an empty one would delete every ACL of the cluster."));
    }
    delete_raw(cluster, vec![filter.raw()?]).await
}

/// Deletes exactly `bindings` (each through a filter that matches it alone).
pub async fn delete_bindings(cluster: &Write, bindings: Vec<AclBinding>) -> Result<Vec<AclBinding>> {
    if bindings.is_empty() {
        return Err(Error::invalid_input("bindings", "There are no bindings to delete."));
    }
    let filters = bindings.iter().map(|b| AclFilter::exact(b).raw()).collect::<Result<Vec<_>>>()?;
    delete_raw(cluster, filters).await
}

async fn delete_raw(cluster: &Write, filters: Vec<RawAcl>) -> Result<Vec<AclBinding>> {
    let outcomes = cluster
        .blocking(move |c| {
            // SAFETY: `c` keeps the client alive for the whole call.
            unsafe { ffi::delete_acls(c.native(), &filters, REQUEST_TIMEOUT) }
        })
        .await
        .map_err(map_security_disabled)?;
    let mut deleted = Vec::new();
    for outcome in outcomes {
        deleted.extend(outcome.map_err(map_security_disabled)?.into_iter().filter_map(AclBinding::from_raw));
    }
    Ok(sorted(deleted))
}

// ---------------------------------------------------------------------------------------
// Wizards
// ---------------------------------------------------------------------------------------

/// The common grants, as `kafka-acls.sh --producer / --consumer` make them, and an
/// "admin of a prefix".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Wizard {
    /// WRITE and DESCRIBE on the topics (CREATE when asked), IDEMPOTENT_WRITE on the
    /// cluster, and WRITE + DESCRIBE on a transactional id when one is given.
    #[serde(rename_all = "camelCase")]
    Producer {
        principal: String,
        #[serde(default)]
        host: String,
        topics: Vec<String>,
        #[serde(default)]
        pattern_type: String,
        #[serde(default)]
        allow_create: bool,
        #[serde(default)]
        transactional_id: Option<String>,
    },
    /// READ and DESCRIBE on the topics, READ on the group.
    #[serde(rename_all = "camelCase")]
    Consumer {
        principal: String,
        #[serde(default)]
        host: String,
        topics: Vec<String>,
        #[serde(default)]
        pattern_type: String,
        group: String,
        #[serde(default)]
        group_pattern_type: String,
    },
    /// ALL on every topic, group and transactional id starting with `prefix`.
    #[serde(rename_all = "camelCase")]
    PrefixAdmin {
        principal: String,
        #[serde(default)]
        host: String,
        prefix: String,
    },
}

fn input(principal: &str, host: &str, operation: Operation, resource_type: ResourceType, name: &str, pattern: &str) -> AclBindingInput {
    AclBindingInput {
        principal: principal.to_string(),
        host: host.to_string(),
        operation: operation.to_string(),
        permission: Permission::Allow.to_string(),
        resource_type: resource_type.to_string(),
        resource_name: name.to_string(),
        pattern_type: pattern.to_string(),
    }
}

fn listed(values: &[String], field: &str, what: &str) -> Result<Vec<String>> {
    let values: Vec<String> = values.iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
    if values.is_empty() {
        return Err(Error::invalid_input(field, format!("Enter at least one {what}.")));
    }
    Ok(values)
}

/// The bindings a wizard grants (validated), without creating them: its preview.
pub fn wizard_bindings(wizard: &Wizard) -> Result<Vec<AclBinding>> {
    use Operation::*;
    use ResourceType as R;
    let mut inputs = Vec::new();
    match wizard {
        Wizard::Producer { principal, host, topics, pattern_type, allow_create, transactional_id } => {
            validate_principal(principal)?;
            for topic in listed(topics, "topics", "topic (or prefix)")? {
                inputs.push(input(principal, host, Write, R::Topic, &topic, pattern_type));
                inputs.push(input(principal, host, Describe, R::Topic, &topic, pattern_type));
                if *allow_create {
                    inputs.push(input(principal, host, Create, R::Topic, &topic, pattern_type));
                }
            }
            inputs.push(input(principal, host, IdempotentWrite, R::Cluster, CLUSTER_NAME, ""));
            if let Some(id) = transactional_id.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
                inputs.push(input(principal, host, Write, R::TransactionalId, id, ""));
                inputs.push(input(principal, host, Describe, R::TransactionalId, id, ""));
            }
        }
        Wizard::Consumer { principal, host, topics, pattern_type, group, group_pattern_type } => {
            validate_principal(principal)?;
            for topic in listed(topics, "topics", "topic (or prefix)")? {
                inputs.push(input(principal, host, Read, R::Topic, &topic, pattern_type));
                inputs.push(input(principal, host, Describe, R::Topic, &topic, pattern_type));
            }
            if group.trim().is_empty() {
                return Err(Error::invalid_input("group", "Enter the consumer group the consumer uses (or * for any)."));
            }
            inputs.push(input(principal, host, Read, R::Group, group.trim(), group_pattern_type));
        }
        Wizard::PrefixAdmin { principal, host, prefix } => {
            validate_principal(principal)?;
            let prefix = prefix.trim();
            if prefix.is_empty() || prefix == WILDCARD {
                return Err(Error::invalid_input("prefix", "Enter the name prefix this admin owns (e.g. payments.)."));
            }
            for t in [R::Topic, R::Group, R::TransactionalId] {
                inputs.push(input(principal, host, All, t, prefix, PatternType::Prefixed.as_str()));
            }
        }
    }
    validate_all(&inputs)
}

/// Grants what the wizard describes; answers the bindings created.
pub async fn apply_wizard(cluster: &Write, wizard: Wizard) -> Result<CreateOutcome> {
    let bindings = wizard_bindings(&wizard)?;
    create_bindings(cluster, bindings).await
}

// ---------------------------------------------------------------------------------------
// Export and import (CSV and JSON)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AclFileFormat {
    Csv,
    Json,
}

const CSV_HEADER: [&str; 7] = ["principal", "host", "operation", "permission", "resourceType", "resourceName", "patternType"];

/// The bindings as CSV (with a header row) or as a JSON array.
pub fn to_text(bindings: &[AclBinding], format: AclFileFormat) -> Result<String> {
    match format {
        AclFileFormat::Json => serde_json::to_string_pretty(bindings).map_err(|e| Error::internal(format!("Could not write JSON: {e}"))),
        AclFileFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let csv_error = |e: csv::Error| Error::internal(format!("Could not write CSV: {e}"));
            writer.write_record(CSV_HEADER).map_err(csv_error)?;
            for b in bindings {
                let row = [
                    b.principal.as_str(),
                    b.host.as_str(),
                    b.operation.as_str(),
                    b.permission.as_str(),
                    b.resource_type.as_str(),
                    b.resource_name.as_str(),
                    b.pattern_type.as_str(),
                ];
                writer.write_record(row).map_err(csv_error)?;
            }
            let bytes = writer.into_inner().map_err(|e| Error::internal(format!("Could not write CSV: {e}")))?;
            String::from_utf8(bytes).map_err(|_| Error::internal("CSV output was not UTF-8."))
        }
    }
}

/// Reads bindings from CSV or JSON text (a JSON array, or CSV with the export's header in any
/// column order); every binding is validated, and a bad one is named by its row.
pub fn from_text(text: &str) -> Result<Vec<AclBinding>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let inputs: Vec<AclBindingInput> = if trimmed.starts_with('[') {
        serde_json::from_str(trimmed)
            .map_err(|e| Error::invalid_input("file", format!("The file is not a JSON array of ACL bindings: {e}.")))?
    } else {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(trimmed.as_bytes());
        let headers = reader.headers().map_err(|e| Error::invalid_input("file", format!("The CSV header could not be read: {e}.")))?.clone();
        let column = |name: &str| headers.iter().position(|h| h.replace(['_', ' '], "").eq_ignore_ascii_case(name));
        let mut columns = Vec::new();
        for name in CSV_HEADER {
            columns.push(column(name));
        }
        for (name, found) in CSV_HEADER.iter().zip(&columns) {
            if found.is_none() && !matches!(*name, "host" | "permission" | "patternType") {
                return Err(Error::invalid_input("file", format!("The CSV has no \"{name}\" column; expected the header {}.", CSV_HEADER.join(","))));
            }
        }
        let mut inputs = Vec::new();
        for (row, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::invalid_input("file", format!("CSV row {}: {e}.", row + 2)))?;
            let cell = |i: usize| columns[i].and_then(|c| record.get(c)).unwrap_or_default().to_string();
            inputs.push(AclBindingInput {
                principal: cell(0),
                host: cell(1),
                operation: cell(2),
                permission: cell(3),
                resource_type: cell(4),
                resource_name: cell(5),
                pattern_type: cell(6),
            });
        }
        inputs
    };
    if inputs.is_empty() {
        return Err(Error::invalid_input("file", "The file holds no ACL bindings."));
    }
    let mut out = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        out.push(input.validate().map_err(|e| Error { message: format!("Binding {}: {}", i + 1, e.message), ..e })?);
    }
    Ok(out)
}

/// Writes the bindings matching `filter` to `path`; answers how many.
pub async fn export(cluster: &Arc<Cluster>, filter: AclFilter, format: AclFileFormat, path: &Path) -> Result<u32> {
    let listing = list(cluster, filter).await?;
    if listing.security_disabled {
        return Err(security_disabled());
    }
    let text = to_text(&listing.bindings, format)?;
    crate::files::write_atomic(path, text.as_bytes(), None)?;
    Ok(u32::try_from(listing.bindings.len()).unwrap_or(u32::MAX))
}

/// Bytes read from an import file at most: an ACL file is small, a mistake is not.
const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and validates an import file without creating anything: its preview.
pub fn read_import(path: &Path) -> Result<Vec<AclBinding>> {
    let size = std::fs::metadata(path).map_err(|e| Error::invalid_input("file", format!("Could not read {}: {e}.", path.display())))?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(Error::invalid_input("file", format!("{} is larger than 16 MiB; that is not an ACL export.", path.display())));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::invalid_input("file", format!("Could not read {} as text: {e}.", path.display())))?;
    from_text(&text)
}

/// Creates every binding of an import file, or none when any is invalid.
pub async fn import(cluster: &Write, path: &Path) -> Result<CreateOutcome> {
    let mut bindings = read_import(path)?;
    let mut seen = BTreeSet::new();
    bindings.retain(|b| seen.insert(b.clone()));
    create_bindings(cluster, bindings).await
}

// ---------------------------------------------------------------------------------------
// Who can do what
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EffectiveQuery {
    pub principal: String,
    /// The client's IP address; empty or `*` means a host no host-specific binding names.
    #[serde(default)]
    pub host: String,
    pub resource_type: ResourceType,
    /// Ignored for the cluster (always kafka-cluster).
    #[serde(default)]
    pub resource_name: String,
}

/// Why an operation is allowed or denied, in StandardAuthorizer's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum DecisionReason {
    /// The principal is in the broker's `super.users`.
    SuperUser,
    /// A matching DENY binding (deny beats any allow).
    DenyAcl,
    /// A matching ALLOW binding and no matching deny.
    AllowAcl,
    /// Bindings exist on this resource, none for this principal / host / operation.
    NoMatchingAcl,
    /// No binding at all covers this resource: `allow.everyone.if.no.acl.found` decides.
    NoAclsDefault,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperationDecision {
    pub operation: Operation,
    pub allowed: bool,
    pub reason: DecisionReason,
    /// The bindings that decide: the matching denies, or else the matching allows.
    pub deciding: Vec<AclBinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EffectivePermissions {
    pub principal: String,
    pub host: String,
    pub resource_type: ResourceType,
    pub resource_name: String,
    pub security_disabled: bool,
    /// `super.users` as the broker reports it (`None` when it could not be read).
    pub super_users: Option<Vec<String>>,
    pub allow_everyone_if_no_acl_found: bool,
    /// Every binding covering the resource (any principal): what the decisions come from.
    pub resource_bindings: Vec<AclBinding>,
    pub decisions: Vec<OperationDecision>,
}

/// What the authorizer knows besides the bindings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizerSettings {
    pub super_users: Option<Vec<String>>,
    pub allow_everyone_if_no_acl_found: bool,
}

/// Does an ALLOW / DENY binding for `granted` apply to a request for `wanted`?
/// ALLOW of READ, WRITE, DELETE or ALTER implies DESCRIBE, and ALTER_CONFIGS implies
/// DESCRIBE_CONFIGS; a DENY only ever denies its own operation (or ALL).
fn operation_matches(granted: Operation, permission: Permission, wanted: Operation) -> bool {
    use Operation::*;
    if granted == All || granted == wanted {
        return true;
    }
    permission == Permission::Allow
        && match wanted {
            Describe => matches!(granted, Read | Write | Delete | Alter),
            DescribeConfigs => granted == AlterConfigs,
            _ => false,
        }
}

/// StandardAuthorizerData.authorize for one operation, over `bindings` (all of the cluster's).
pub fn decide(
    bindings: &[AclBinding],
    settings: &AuthorizerSettings,
    principal: &str,
    host: &str,
    resource_type: ResourceType,
    resource_name: &str,
    operation: Operation,
) -> OperationDecision {
    if settings.super_users.as_ref().is_some_and(|s| s.iter().any(|u| u == principal)) {
        return OperationDecision { operation, allowed: true, reason: DecisionReason::SuperUser, deciding: Vec::new() };
    }
    let on_resource: Vec<&AclBinding> = bindings.iter().filter(|b| b.covers(resource_type, resource_name)).collect();
    let applies = |b: &&&AclBinding| {
        (b.principal == principal || b.principal == "User:*")
            && (b.host == WILDCARD || b.host == host)
            && operation_matches(b.operation, b.permission, operation)
    };
    let matching: Vec<&AclBinding> = on_resource.iter().filter(applies).copied().collect();
    let of = |p: Permission| matching.iter().filter(|b| b.permission == p).map(|b| (*b).clone()).collect::<Vec<_>>();
    let denies = of(Permission::Deny);
    if !denies.is_empty() {
        return OperationDecision { operation, allowed: false, reason: DecisionReason::DenyAcl, deciding: denies };
    }
    let allows = of(Permission::Allow);
    if !allows.is_empty() {
        return OperationDecision { operation, allowed: true, reason: DecisionReason::AllowAcl, deciding: allows };
    }
    if on_resource.is_empty() {
        OperationDecision { operation, allowed: settings.allow_everyone_if_no_acl_found, reason: DecisionReason::NoAclsDefault, deciding: Vec::new() }
    } else {
        OperationDecision { operation, allowed: false, reason: DecisionReason::NoMatchingAcl, deciding: Vec::new() }
    }
}

/// `super.users` is `;`-separated principals.
fn parse_super_users(value: &str) -> Vec<String> {
    value.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The broker settings the authorizer decides with, from one broker's configs.
fn authorizer_settings(c: &Cluster) -> AuthorizerSettings {
    let read = || -> Result<AuthorizerSettings> {
        let entries = broker_configs(c)?;
        let value = |name: &str| entries.iter().find(|e| e.name == name).and_then(|e| e.value.clone());
        Ok(AuthorizerSettings {
            // `super.users` is not one of the broker's own config keys, so Kafka hides its
            // value like a password: unknown then, never "none".
            super_users: value("super.users").map(|v| parse_super_users(&v)),
            allow_everyone_if_no_acl_found: value("allow.everyone.if.no.acl.found").is_some_and(|v| v.eq_ignore_ascii_case("true")),
        })
    };
    // Without the broker's configs (no DESCRIBE_CONFIGS on the cluster), decide from the
    // bindings alone and say that super users are unknown.
    read().unwrap_or_default()
}

/// For a principal and host, the decision on every operation of one resource.
pub async fn effective(cluster: &Arc<Cluster>, query: EffectiveQuery) -> Result<EffectivePermissions> {
    let principal = validate_principal(&query.principal)?;
    let host = validate_host(&query.host)?;
    let resource_name = if query.resource_type == ResourceType::Cluster {
        CLUSTER_NAME.to_string()
    } else {
        let name = query.resource_name.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid_input("resourceName", format!("Resource name: enter the {} to check.", label(query.resource_type))));
        }
        name
    };
    let resource_type = query.resource_type;
    cluster
        .blocking(move |c| {
            let listing = describe(c, &AclFilter::default().raw()?)?;
            let settings = authorizer_settings(c);
            Ok(explain(&listing, &settings, &principal, &host, resource_type, &resource_name))
        })
        .await
}

/// The decisions for every operation of the resource, from a listing and the settings.
pub fn explain(
    listing: &AclListing,
    settings: &AuthorizerSettings,
    principal: &str,
    host: &str,
    resource_type: ResourceType,
    resource_name: &str,
) -> EffectivePermissions {
    let operations = resource_type.operations().iter().copied();
    EffectivePermissions {
        principal: principal.to_string(),
        host: host.to_string(),
        resource_type,
        resource_name: resource_name.to_string(),
        security_disabled: listing.security_disabled,
        super_users: settings.super_users.clone(),
        allow_everyone_if_no_acl_found: settings.allow_everyone_if_no_acl_found,
        resource_bindings: listing.bindings.iter().filter(|b| b.covers(resource_type, resource_name)).cloned().collect(),
        decisions: operations
            .map(|op| {
                if listing.security_disabled {
                    // No authorizer: the broker allows everything.
                    OperationDecision { operation: op, allowed: true, reason: DecisionReason::NoAclsDefault, deciding: Vec::new() }
                } else {
                    decide(&listing.bindings, settings, principal, host, resource_type, resource_name, op)
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// SCRAM users
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ScramMechanism {
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
}

impl ScramMechanism {
    fn raw(self) -> RawMechanism {
        match self {
            ScramMechanism::ScramSha256 => RawMechanism::RD_KAFKA_SCRAM_MECHANISM_SHA_256,
            ScramMechanism::ScramSha512 => RawMechanism::RD_KAFKA_SCRAM_MECHANISM_SHA_512,
        }
    }

    fn from_raw(raw: RawMechanism) -> Option<ScramMechanism> {
        match raw {
            RawMechanism::RD_KAFKA_SCRAM_MECHANISM_SHA_256 => Some(ScramMechanism::ScramSha256),
            RawMechanism::RD_KAFKA_SCRAM_MECHANISM_SHA_512 => Some(ScramMechanism::ScramSha512),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScramMechanism::ScramSha256 => "SCRAM-SHA-256",
            ScramMechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScramCredential {
    pub mechanism: ScramMechanism,
    pub iterations: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScramUser {
    pub user: String,
    pub credentials: Vec<ScramCredential>,
}

/// A password on its way to the broker: readable once, never printed, never serialized.
#[derive(Clone, Default, Deserialize, TS)]
#[serde(transparent)]
#[ts(export)]
pub struct Password(String);

impl Password {
    pub fn new(value: impl Into<String>) -> Password {
        Password(value.into())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Drop for Password {
    fn drop(&mut self) {
        // Best effort: overwrite our copy before the allocator hands the memory out again.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        for byte in bytes.iter_mut() {
            // SAFETY: a valid, aligned, exclusive pointer to a byte we own.
            unsafe { std::ptr::write_volatile(byte, 0) };
        }
    }
}

/// Create or rotate one user's password for one mechanism.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScramUpsert {
    pub user: String,
    pub mechanism: ScramMechanism,
    /// Defaults to 8192.
    #[serde(default)]
    pub iterations: Option<i32>,
    pub password: Password,
    /// The password typed a second time.
    pub password_confirm: Password,
}

fn validate_user(user: &str) -> Result<String> {
    let user = user.trim();
    if user.is_empty() {
        return Err(Error::invalid_input("user", "User: enter the SCRAM user name."));
    }
    if user.contains('\0') {
        return Err(Error::invalid_input("user", "User name must not contain a NUL character."));
    }
    Ok(user.to_string())
}

/// Every user with SCRAM credentials, sorted by name.
pub async fn scram_users(cluster: &Arc<Cluster>) -> Result<Vec<ScramUser>> {
    let found = cluster
        .blocking(|c| {
            // SAFETY: `c` keeps the client alive for the whole call.
            unsafe { ffi::describe_scram(c.native(), &[], REQUEST_TIMEOUT) }
        })
        .await?;
    let mut users = Vec::new();
    for u in found {
        if let Some(e) = u.error {
            return Err(e);
        }
        let mut credentials: Vec<ScramCredential> = u
            .credentials
            .into_iter()
            .filter_map(|(m, iterations)| Some(ScramCredential { mechanism: ScramMechanism::from_raw(m)?, iterations }))
            .collect();
        credentials.sort_by_key(|c| c.mechanism);
        users.push(ScramUser { user: u.user, credentials });
    }
    users.sort_by(|a, b| a.user.cmp(&b.user));
    Ok(users)
}

/// Sets (creates or replaces) a user's password for one mechanism; usable at once.
pub async fn scram_upsert(cluster: &Write, request: ScramUpsert) -> Result<()> {
    let user = validate_user(&request.user)?;
    let iterations = request.iterations.unwrap_or(DEFAULT_ITERATIONS);
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
        return Err(Error::invalid_input("iterations", format!("Iterations must be between {MIN_ITERATIONS} and {MAX_ITERATIONS}.")));
    }
    if request.password.0.is_empty() {
        return Err(Error::invalid_input("password", "Password: enter the new password."));
    }
    if request.password.0 != request.password_confirm.0 {
        return Err(Error::invalid_input("passwordConfirm", "The two passwords differ; type the same password twice."));
    }
    let mechanism = request.mechanism;
    let password = request.password;
    alter_one(cluster, move |rk, timeout| {
        let alteration = ffi::Alteration::Upsert { user: &user, mechanism: mechanism.raw(), iterations, password: password.0.as_bytes() };
        // SAFETY: the caller passes a live handle.
        unsafe { ffi::alter_scram(rk, &[alteration], timeout) }
    })
    .await
}

/// Deletes one mechanism of a user, or (`None`) every credential the user has.
pub async fn scram_delete(cluster: &Write, user: &str, mechanism: Option<ScramMechanism>) -> Result<()> {
    let user = validate_user(user)?;
    let mechanisms = match mechanism {
        Some(m) => vec![m],
        None => {
            let users = scram_users(cluster.cluster()).await?;
            let Some(found) = users.into_iter().find(|u| u.user == user) else {
                return Err(Error::not_found(format!("There is no SCRAM user named \"{user}\".")));
            };
            found.credentials.into_iter().map(|c| c.mechanism).collect()
        }
    };
    alter_one(cluster, move |rk, timeout| {
        let alterations: Vec<_> = mechanisms.iter().map(|m| ffi::Alteration::Delete { user: &user, mechanism: m.raw() }).collect();
        // SAFETY: the caller passes a live handle.
        unsafe { ffi::alter_scram(rk, &alterations, timeout) }
    })
    .await
}

async fn alter_one(
    cluster: &Write,
    call: impl FnOnce(*mut rdkafka_sys::types::RDKafka, std::time::Duration) -> Result<Vec<(String, Result<()>)>> + Send + 'static,
) -> Result<()> {
    let outcomes = cluster.blocking(move |c| call(c.native(), REQUEST_TIMEOUT)).await?;
    for (_, outcome) in outcomes {
        outcome.map_err(|e| {
            if e.detail.as_deref().is_some_and(|d| d.starts_with("ResourceNotFound")) {
                Error::not_found("That user has no SCRAM credential for this mechanism.").with_detail(e.detail.unwrap_or_default())
            } else {
                e
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(principal: &str, op: Operation, perm: Permission, rt: ResourceType, name: &str, pt: PatternType) -> AclBinding {
        AclBinding {
            principal: principal.into(),
            host: "*".into(),
            operation: op,
            permission: perm,
            resource_type: rt,
            resource_name: name.into(),
            pattern_type: pt,
        }
    }

    fn bad_field(input: AclBindingInput) -> String {
        let e = input.validate().expect_err("invalid");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        e.detail.unwrap_or_default()
    }

    fn good() -> AclBindingInput {
        AclBindingInput {
            principal: "User:alice".into(),
            operation: "read".into(),
            resource_type: "topic".into(),
            resource_name: "orders".into(),
            ..Default::default()
        }
    }

    #[test]
    fn validation_names_the_bad_field() {
        let ok = good().validate().unwrap();
        assert_eq!((ok.host.as_str(), ok.permission, ok.pattern_type), ("*", Permission::Allow, PatternType::Literal));
        assert_eq!(bad_field(AclBindingInput { principal: "".into(), ..good() }), "principal");
        assert_eq!(bad_field(AclBindingInput { principal: "alice".into(), ..good() }), "principal");
        assert_eq!(bad_field(AclBindingInput { principal: "User:".into(), ..good() }), "principal");
        assert_eq!(bad_field(AclBindingInput { resource_type: "queue".into(), ..good() }), "resourceType");
        assert_eq!(bad_field(AclBindingInput { host: "example.com".into(), ..good() }), "host");
        assert_eq!(bad_field(AclBindingInput { operation: "IDEMPOTENT_WRITE".into(), ..good() }), "operation");
        assert_eq!(bad_field(AclBindingInput { resource_name: " ".into(), ..good() }), "resourceName");
        let cluster = AclBindingInput { resource_type: "CLUSTER".into(), operation: "ALTER".into(), resource_name: String::new(), ..good() };
        assert_eq!(cluster.validate().unwrap().resource_name, CLUSTER_NAME);
        assert_eq!(bad_field(AclBindingInput { pattern_type: "PREFIXED".into(), ..cluster.clone() }), "patternType");
        assert_eq!(bad_field(AclBindingInput { resource_name: "x".into(), ..cluster }), "resourceName");
        assert_eq!(bad_field(AclBindingInput { pattern_type: "prefixed".into(), resource_name: "*".into(), ..good() }), "patternType");
        assert_eq!(ResourceType::parse("transactional-id"), Some(ResourceType::TransactionalId));
        assert_eq!(Operation::parse("DescribeConfigs"), Some(Operation::DescribeConfigs));
    }

    #[test]
    fn one_bad_binding_fails_the_batch_with_its_position() {
        let e = validate_all(&[good(), AclBindingInput { principal: "nobody".into(), ..good() }]).unwrap_err();
        assert!(e.message.starts_with("Binding 2:"), "{}", e.message);
        assert_eq!(e.detail.as_deref(), Some("principal"));
    }

    #[test]
    fn wizards_grant_what_kafka_acls_grants() {
        let producer = Wizard::Producer {
            principal: "User:p".into(),
            host: String::new(),
            topics: vec!["a".into()],
            pattern_type: String::new(),
            allow_create: true,
            transactional_id: Some("tx".into()),
        };
        let got: BTreeSet<(Operation, ResourceType, String)> =
            wizard_bindings(&producer).unwrap().into_iter().map(|b| (b.operation, b.resource_type, b.resource_name)).collect();
        use Operation::*;
        let want: BTreeSet<_> = [
            (Write, ResourceType::Topic, "a"),
            (Describe, ResourceType::Topic, "a"),
            (Create, ResourceType::Topic, "a"),
            (IdempotentWrite, ResourceType::Cluster, CLUSTER_NAME),
            (Write, ResourceType::TransactionalId, "tx"),
            (Describe, ResourceType::TransactionalId, "tx"),
        ]
        .into_iter()
        .map(|(o, r, n)| (o, r, n.to_string()))
        .collect();
        assert_eq!(got, want);
        let consumer = Wizard::Consumer {
            principal: "User:c".into(),
            host: String::new(),
            topics: vec![],
            pattern_type: String::new(),
            group: "g".into(),
            group_pattern_type: String::new(),
        };
        assert_eq!(wizard_bindings(&consumer).unwrap_err().detail.as_deref(), Some("topics"));
    }

    #[test]
    fn csv_and_json_round_trip() {
        let bindings = vec![
            binding("User:a,b", Operation::Read, Permission::Allow, ResourceType::Group, "g \"quoted\"", PatternType::Literal),
            binding("User:*", Operation::All, Permission::Deny, ResourceType::Topic, "pay.", PatternType::Prefixed),
        ];
        for format in [AclFileFormat::Csv, AclFileFormat::Json] {
            assert_eq!(from_text(&to_text(&bindings, format).unwrap()).unwrap(), bindings, "{format:?}");
        }
        let e = from_text("principal,operation,resourceType,resourceName\nUser:x,READ,queue,t\n").unwrap_err();
        assert_eq!(e.detail.as_deref(), Some("resourceType"));
        assert!(e.message.starts_with("Binding 1:"));
    }

    #[test]
    fn decides_like_standard_authorizer() {
        use Operation::*;
        use PatternType::*;
        use Permission::*;
        use ResourceType::*;
        let acls = vec![
            binding("User:alice", Read, Allow, Topic, "orders", Literal),
            binding("User:alice", Write, Deny, Topic, "orders", Literal),
            binding("User:*", Describe, Allow, Topic, "pub.", Prefixed),
            binding("User:bob", All, Allow, Topic, "*", Literal),
            binding("User:bob", Read, Deny, Topic, "secret", Literal),
            binding("User:carol", AlterConfigs, Allow, Topic, "orders", Literal),
        ];
        let settings = AuthorizerSettings { super_users: Some(vec!["User:admin".into()]), allow_everyone_if_no_acl_found: false };
        let d = |p: &str, name: &str, op| decide(&acls, &settings, p, "127.0.0.1", Topic, name, op);
        assert!(d("User:alice", "orders", Read).allowed);
        assert!(d("User:alice", "orders", Describe).allowed, "READ implies DESCRIBE");
        let denied = d("User:alice", "orders", Write);
        assert_eq!((denied.allowed, denied.reason), (false, DecisionReason::DenyAcl));
        assert_eq!(denied.deciding, vec![acls[1].clone()]);
        assert!(d("User:zed", "pub.x", Describe).allowed, "wildcard principal, prefixed");
        assert!(!d("User:zed", "pub.x", Read).allowed);
        assert!(d("User:bob", "anything", Delete).allowed, "wildcard resource");
        assert!(!d("User:bob", "secret", Read).allowed, "deny beats allow");
        assert!(d("User:bob", "secret", Describe).allowed, "a DENY READ does not deny DESCRIBE");
        assert!(d("User:carol", "orders", DescribeConfigs).allowed, "ALTER_CONFIGS implies DESCRIBE_CONFIGS");
        assert!(!d("User:carol", "orders", Describe).allowed, "ALTER_CONFIGS does not imply DESCRIBE");
        assert_eq!(d("User:admin", "orders", Write).reason, DecisionReason::SuperUser);
        let open = AuthorizerSettings { super_users: None, allow_everyone_if_no_acl_found: true };
        assert!(decide(&acls, &open, "User:zed", "*", Group, "g", Read).allowed, "no ACLs on the resource: default");
        assert!(!decide(&acls, &open, "User:zed", "*", Topic, "orders", Read).allowed, "resource has ACLs: deny");
        let host_bound = vec![AclBinding { host: "10.0.0.1".into(), ..acls[0].clone() }];
        assert!(!decide(&host_bound, &settings, "User:alice", "127.0.0.1", Topic, "orders", Read).allowed);
    }

    #[test]
    fn passwords_never_print() {
        let p = Password::new("hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
        let upsert: ScramUpsert = serde_json::from_value(serde_json::json!({
            "user": "u", "mechanism": "SCRAM-SHA-256", "password": "hunter2", "passwordConfirm": "hunter2"
        }))
        .unwrap();
        assert!(!format!("{upsert:?}").contains("hunter2"));
    }
}
