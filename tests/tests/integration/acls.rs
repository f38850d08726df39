//! ACLs, who-can-do-what and SCRAM users against a real authorizing broker
//! (StandardAuthorizer, `kafkadesk_tests::authz`): what KafkaDesk grants, Kafka's AclCommand
//! lists; what it says a principal may do, a client logged in as that principal can do.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::acls::{
    self, AclBinding, AclBindingInput, AclFilter, DecisionReason, EffectiveQuery, Operation, PatternFilter, Password,
    ResourceType, ScramMechanism, ScramUpsert, Wizard,
};
use kafkadesk::kafka::{ffi, Cluster, ConnectedCluster, Connection, Write};
use kafkadesk_tests::authz::{scram_client, test_authorizing_cluster, ADMIN};
use kafkadesk_tests::kafka::{kafka_java, test_cluster, unique_topic, SecuredCluster};
use rdkafka::admin::{AdminClient, AdminOptions, NewPartitions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{DefaultProducerContext, FutureProducer, FutureRecord, Producer, ThreadedProducer};
use rdkafka::{Message, Offset, TopicPartitionList};

const WAIT: Duration = Duration::from_secs(20);

/// KafkaDesk connected to the authorizing broker as the SCRAM super user, as a profile would.
fn app_as_admin() -> Write {
    let s = test_authorizing_cluster();
    let mut conn = Connection::plain("acl-admin", &SecuredCluster::bootstrap(s.listeners.sasl_plaintext));
    conn.plaintext = false;
    for (k, v) in [
        ("security.protocol", "SASL_PLAINTEXT"),
        ("sasl.mechanism", ADMIN.0),
        ("sasl.username", ADMIN.1),
        ("sasl.password", ADMIN.2),
    ] {
        conn.properties.insert(k.into(), v.into());
    }
    ConnectedCluster::open(&conn).expect("admin client").write("acl-admin").expect("writable")
}

fn unique(prefix: &str) -> String {
    unique_topic(prefix)
}

/// Topics made over PLAINTEXT, whose principal (ANONYMOUS) is a super user.
async fn create_topics(names: &[&str]) {
    let s = test_authorizing_cluster();
    let admin: AdminClient<DefaultClientContext> = plain_config(&s.cluster.bootstrap()).create().expect("admin");
    let topics: Vec<NewTopic> = names.iter().map(|n| NewTopic::new(n, 1, TopicReplication::Fixed(1))).collect();
    let opts = AdminOptions::new().operation_timeout(Some(WAIT));
    for r in admin.create_topics(&topics, &opts).await.expect("create_topics") {
        r.unwrap_or_else(|(t, e)| panic!("creating {t}: {e}"));
    }
}

fn plain_config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap).set("broker.address.family", "v4");
    cfg
}

fn input(principal: &str, op: &str, perm: &str, rt: &str, name: &str, pattern: &str, host: &str) -> AclBindingInput {
    AclBindingInput {
        principal: principal.into(),
        host: host.into(),
        operation: op.into(),
        permission: perm.into(),
        resource_type: rt.into(),
        resource_name: name.into(),
        pattern_type: pattern.into(),
    }
}

fn by_principal(principal: &str) -> AclFilter {
    AclFilter { principal: Some(principal.into()), ..Default::default() }
}

/// Waits until the broker's authorizer lists every one of `bindings` (it answers
/// DescribeAcls from the same cache it authorizes with).
async fn wait_listed(cluster: &Arc<Cluster>, bindings: &[AclBinding]) {
    let deadline = Instant::now() + WAIT;
    loop {
        let listed: BTreeSet<AclBinding> = acls::list(cluster, AclFilter::default()).await.expect("list").bindings.into_iter().collect();
        if bindings.iter().all(|b| listed.contains(b)) {
            return;
        }
        assert!(Instant::now() < deadline, "bindings not listed within {WAIT:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the bindings listed for `filter` that belong to this test (their
/// principal contains `tag`) are exactly `expected`. DeleteAcls answers once the
/// controller committed it; the broker's authorizer cache may lag behind that.
async fn wait_listed_exactly(cluster: &Arc<Cluster>, filter: AclFilter, tag: &str, expected: &[AclBinding], what: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let mut listed = acls::list(cluster, filter.clone()).await.expect("list").bindings;
        listed.retain(|b| b.principal.contains(tag));
        if listed == expected {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: still listed after {WAIT:?}: {listed:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn make_user(cluster: &Write, user: &str, password: &str) {
    acls::scram_upsert(
        cluster,
        ScramUpsert {
            user: user.into(),
            mechanism: ScramMechanism::ScramSha512,
            iterations: None,
            password: Password::new(password),
            password_confirm: Password::new(password),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("creating user {user}: {e:?}"));
    wait_login(ScramMechanism::ScramSha512, user, password, true);
}

/// Whether `user` can log in with `password` right now (a metadata request succeeds).
fn can_log_in(mechanism: ScramMechanism, user: &str, password: &str) -> bool {
    let s = test_authorizing_cluster();
    let consumer: BaseConsumer = scram_client(s, mechanism.as_str(), user, password).create().expect("client");
    consumer.fetch_metadata(None, Duration::from_secs(5)).is_ok()
}

/// Waits (bounded) until logging in works, or is refused, as `expected` says.
fn wait_login(mechanism: ScramMechanism, user: &str, password: &str, expected: bool) {
    let deadline = Instant::now() + WAIT;
    while can_log_in(mechanism, user, password) != expected {
        assert!(Instant::now() < deadline, "{user} via {}: login {} within {WAIT:?}", mechanism.as_str(), if expected { "never worked" } else { "still works" });
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[tokio::test]
async fn a_cluster_without_an_authorizer_is_security_disabled_not_an_error() {
    let cluster = crate::connect(&test_cluster().bootstrap());
    let listing = acls::list(&cluster, AclFilter::default()).await.expect("list answers");
    assert!(listing.security_disabled && listing.bindings.is_empty());
    let err = acls::create(&cluster, vec![input("User:x", "READ", "", "TOPIC", "t", "", "")]).await.expect_err("no authorizer");
    assert!(err.message.contains("SECURITY_DISABLED"), "{}", err.message);
}

/// The lines of `kafka-acls.sh --list --principal P` as bindings.
fn acl_command_list(principal: &str) -> BTreeSet<AclBinding> {
    let s = test_authorizing_cluster();
    let out = kafka_java("org.apache.kafka.tools.AclCommand", &["--bootstrap-server", &s.cluster.bootstrap(), "--list", "--principal", principal]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "AclCommand failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    // `ResourcePattern(resourceType=TOPIC, name=x, patternType=LITERAL)` then, per binding,
    // `(principal=User:a, host=*, operation=READ, permissionType=ALLOW)`.
    let fields = |inner: &str| -> std::collections::BTreeMap<String, String> {
        inner.split(", ").filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let mut found = BTreeSet::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(rest) = line.split("ResourcePattern(").nth(1) {
            current = rest.split(")`").next().map(fields);
        } else if let (Some(inner), Some(r)) = (line.trim().strip_prefix('(').and_then(|l| l.strip_suffix(')')), &current) {
            let e = fields(inner);
            let get = |m: &std::collections::BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
            let binding = input(&get(&e, "principal"), &get(&e, "operation"), &get(&e, "permissionType"), &get(r, "resourceType"), &get(r, "name"), &get(r, "patternType"), &get(&e, "host"))
                .validate()
                .unwrap_or_else(|err| panic!("AclCommand line {line:?}: {}", err.message));
            found.insert(binding);
        }
    }
    found
}

#[tokio::test]
async fn every_wizard_grants_exactly_what_acl_command_lists() {
    let cluster = app_as_admin();
    let s = unique("wiz");
    let wizards = [
        Wizard::Producer {
            principal: format!("User:prod-{s}"),
            host: String::new(),
            topics: vec![format!("{s}.a"), format!("{s}.b")],
            pattern_type: String::new(),
            allow_create: true,
            transactional_id: Some(format!("{s}.tx")),
        },
        Wizard::Consumer {
            principal: format!("User:cons-{s}"),
            host: "127.0.0.1".into(),
            topics: vec![format!("{s}.")],
            pattern_type: "PREFIXED".into(),
            group: format!("{s}.group"),
            group_pattern_type: String::new(),
        },
        Wizard::PrefixAdmin { principal: format!("User:adm-{s}"), host: String::new(), prefix: format!("{s}.team.") },
    ];
    for wizard in wizards {
        let preview = acls::wizard_bindings(&wizard).expect("preview");
        let created = acls::apply_wizard(&cluster, wizard).await.expect("apply").created;
        assert_eq!(created, preview, "apply creates what the preview showed");
        wait_listed(&cluster, &created).await;
        let principal = created[0].principal.clone();
        let want: BTreeSet<AclBinding> = created.into_iter().collect();
        assert_eq!(acl_command_list(&principal), want, "AclCommand --list --principal {principal}");
        let ours: BTreeSet<AclBinding> = acls::list(&cluster, by_principal(&principal)).await.unwrap().bindings.into_iter().collect();
        assert_eq!(ours, want, "our own list");
    }
}

fn producer_as(user: &str, password: &str) -> FutureProducer {
    scram_client(test_authorizing_cluster(), "SCRAM-SHA-512", user, password)
        .set("message.timeout.ms", "10000")
        .create()
        .expect("producer")
}

async fn produce_as(user: &str, password: &str, topic: &str) -> Result<(), KafkaError> {
    producer_as(user, password).send(FutureRecord::to(topic).key("k").payload("v"), Duration::from_secs(10)).await.map(|_| ()).map_err(|(e, _)| e)
}

/// Consumes with a group subscription; the first message or the first error.
fn consume_as(user: &str, password: &str, topic: &str, group: &str) -> Result<String, KafkaError> {
    let consumer: BaseConsumer = scram_client(test_authorizing_cluster(), "SCRAM-SHA-512", user, password)
        .set("group.id", group)
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    consumer.subscribe(&[topic]).expect("subscribe");
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => return Ok(String::from_utf8_lossy(m.payload().unwrap_or_default()).into_owned()),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    panic!("{user} neither consumed nor was refused on {topic} within {WAIT:?}");
}

fn code(e: &KafkaError) -> Option<RDKafkaErrorCode> {
    e.rdkafka_error_code()
}

#[tokio::test]
async fn a_granted_principal_produces_and_consumes_and_an_ungranted_one_is_refused() {
    let cluster = app_as_admin();
    let s = unique("grant");
    let topic = format!("{s}.orders");
    let group = format!("{s}.readers");
    create_topics(&[&topic]).await;
    let (granted, stranger) = (format!("svc-{s}"), format!("nobody-{s}"));
    make_user(&cluster, &granted, "svc-Pa55").await;
    make_user(&cluster, &stranger, "nobody-Pa55").await;
    let principal = format!("User:{granted}");
    let mut created = acls::apply_wizard(
        &cluster,
        Wizard::Producer { principal: principal.clone(), host: String::new(), topics: vec![topic.clone()], pattern_type: String::new(), allow_create: false, transactional_id: None },
    )
    .await
    .unwrap()
    .created;
    created.extend(
        acls::apply_wizard(
            &cluster,
            Wizard::Consumer { principal, host: String::new(), topics: vec![topic.clone()], pattern_type: String::new(), group: group.clone(), group_pattern_type: String::new() },
        )
        .await
        .unwrap()
        .created,
    );
    wait_listed(&cluster, &created).await;

    produce_as(&granted, "svc-Pa55", &topic).await.expect("the granted producer writes");
    assert_eq!(consume_as(&granted, "svc-Pa55", &topic, &group).expect("the granted consumer reads"), "v");

    let refused = produce_as(&stranger, "nobody-Pa55", &topic).await.expect_err("an ungranted producer is refused");
    assert_eq!(code(&refused), Some(RDKafkaErrorCode::TopicAuthorizationFailed), "{refused:?}");
    let refused = consume_as(&stranger, "nobody-Pa55", &topic, &group).expect_err("an ungranted consumer is refused");
    assert!(
        matches!(code(&refused), Some(RDKafkaErrorCode::TopicAuthorizationFailed | RDKafkaErrorCode::GroupAuthorizationFailed)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn delete_by_filter_deletes_exactly_its_preview() {
    let cluster = app_as_admin();
    let s = unique("del");
    let (x, y) = (format!("User:x-{s}"), format!("User:y-{s}"));
    let inputs = vec![
        input(&x, "READ", "ALLOW", "TOPIC", &format!("{s}.a"), "LITERAL", ""),
        input(&x, "WRITE", "DENY", "TOPIC", &format!("{s}."), "PREFIXED", ""),
        input(&x, "DESCRIBE", "ALLOW", "TOPIC", &format!("{s}.b"), "LITERAL", "10.1.2.3"),
        input(&x, "READ", "ALLOW", "GROUP", &format!("{s}.g"), "LITERAL", ""),
        input(&y, "READ", "ALLOW", "TOPIC", &format!("{s}.a"), "LITERAL", ""),
    ];
    let created = acls::create(&cluster, inputs).await.expect("create").created;
    wait_listed(&cluster, &created).await;

    let filter = AclFilter { principal: Some(x.clone()), resource_type: Some(ResourceType::Topic), ..Default::default() };
    let preview = acls::delete_preview(&cluster, filter.clone()).await.expect("preview");
    assert_eq!(preview.len(), 3, "{preview:?}");
    let deleted = acls::delete_by_filter(&cluster, filter.clone()).await.expect("delete");
    assert_eq!(deleted, preview, "the preview is exactly what was deleted");
    // Other tests may hold wildcard bindings that apply too: look at this test's principals only.
    let on_a = AclFilter { resource_name: Some(format!("{s}.a")), pattern_type: Some(PatternFilter::Match), ..Default::default() };
    wait_listed_exactly(&cluster, on_a, &s, &[created[4].clone()], "y's binding on {s}.a stays").await;
    wait_listed_exactly(&cluster, by_principal(&x), &s, &[created[3].clone()], "x's group binding stays").await;

    // Delete by exact binding: only that one goes.
    let gone = acls::delete_bindings(&cluster, vec![created[3].clone()]).await.expect("delete exact");
    assert_eq!(gone, vec![created[3].clone()]);
    wait_listed_exactly(&cluster, by_principal(&x), &s, &[], "x has no bindings left").await;
    assert_eq!(acls::list(&cluster, by_principal(&y)).await.unwrap().bindings.len(), 1);
}

#[tokio::test]
async fn bad_input_names_its_field_and_changes_nothing() {
    let cluster = app_as_admin();
    let s = unique("bad");
    let before = acls::list(&cluster, AclFilter::default()).await.unwrap().bindings;
    let good = input(&format!("User:ok-{s}"), "READ", "ALLOW", "TOPIC", &format!("{s}.t"), "LITERAL", "");
    let cases = [
        (AclBindingInput { principal: String::new(), ..good.clone() }, "principal"),
        (AclBindingInput { principal: format!("ok-{s}"), ..good.clone() }, "principal"),
        (AclBindingInput { resource_type: "QUEUE".into(), ..good.clone() }, "resourceType"),
        (AclBindingInput { resource_type: "CLUSTER".into(), operation: "ALTER".into(), resource_name: String::new(), pattern_type: "PREFIXED".into(), ..good.clone() }, "patternType"),
        (AclBindingInput { operation: "IDEMPOTENT_WRITE".into(), ..good.clone() }, "operation"),
        (AclBindingInput { host: "db.example.com".into(), ..good.clone() }, "host"),
    ];
    for (bad, field) in cases {
        // Alone, and after a good binding in the same batch: nothing is created either way.
        for batch in [vec![bad.clone()], vec![good.clone(), bad.clone()]] {
            let err = acls::create(&cluster, batch).await.expect_err("refused");
            assert_eq!((err.kind, err.detail.as_deref()), (ErrorKind::InvalidInput, Some(field)), "{}", err.message);
        }
    }
    let wizard = Wizard::Consumer { principal: "nobody".into(), host: String::new(), topics: vec!["t".into()], pattern_type: String::new(), group: "g".into(), group_pattern_type: String::new() };
    assert_eq!(acls::apply_wizard(&cluster, wizard).await.unwrap_err().detail.as_deref(), Some("principal"));
    let err = acls::delete_by_filter(&cluster, AclFilter::default()).await.expect_err("an empty filter deletes nothing");
    assert_eq!(err.detail.as_deref(), Some("filter"));
    // Only this test's users: other tests add theirs to the shared cluster meanwhile.
    let ours = |users: Vec<acls::ScramUser>| users.into_iter().filter(|u| u.user.contains(&s)).collect::<Vec<_>>();
    let users_before = ours(acls::scram_users(&cluster).await.unwrap());
    let mismatch = ScramUpsert {
        user: format!("u-{s}"),
        mechanism: ScramMechanism::ScramSha256,
        iterations: None,
        password: Password::new("one"),
        password_confirm: Password::new("two"),
    };
    assert_eq!(acls::scram_upsert(&cluster, mismatch).await.unwrap_err().detail.as_deref(), Some("passwordConfirm"));
    let few = ScramUpsert {
        user: format!("u-{s}"),
        mechanism: ScramMechanism::ScramSha256,
        iterations: Some(10),
        password: Password::new("one"),
        password_confirm: Password::new("one"),
    };
    assert_eq!(acls::scram_upsert(&cluster, few).await.unwrap_err().detail.as_deref(), Some("iterations"));
    let empty_user = ScramUpsert { user: " ".into(), mechanism: ScramMechanism::ScramSha256, iterations: None, password: Password::new("a"), password_confirm: Password::new("a") };
    assert_eq!(acls::scram_upsert(&cluster, empty_user).await.unwrap_err().detail.as_deref(), Some("user"));
    assert_eq!(ours(acls::scram_users(&cluster).await.unwrap()), users_before, "no user of this test was made");
    let after = acls::list(&cluster, AclFilter::default()).await.unwrap().bindings;
    let mine = |b: &Vec<AclBinding>| b.iter().filter(|b| b.principal.contains(&s) || b.resource_name.contains(&s)).count();
    assert_eq!(mine(&after), 0, "no binding of this test exists");
    assert!(mine(&before) == 0);
}

#[tokio::test]
async fn scram_users_are_created_rotated_and_deleted_and_logging_in_proves_it() {
    let cluster = app_as_admin();
    let user = format!("sc-{}", unique("u"));
    let upsert = |mechanism, iterations, password: &str| ScramUpsert {
        user: user.clone(),
        mechanism,
        iterations,
        password: Password::new(password),
        password_confirm: Password::new(password),
    };
    use ScramMechanism::{ScramSha256 as S256, ScramSha512 as S512};
    acls::scram_upsert(&cluster, upsert(S256, None, "first-Pa55")).await.expect("create");
    wait_login(S256, &user, "first-Pa55", true);
    let listed = acls::scram_users(&cluster).await.unwrap();
    let me = listed.iter().find(|u| u.user == user).expect("listed");
    assert_eq!(me.credentials.len(), 1);
    assert_eq!((me.credentials[0].mechanism, me.credentials[0].iterations), (S256, acls::DEFAULT_ITERATIONS));

    acls::scram_upsert(&cluster, upsert(S256, Some(4096), "second-Pa55")).await.expect("rotate");
    wait_login(S256, &user, "second-Pa55", true);
    wait_login(S256, &user, "first-Pa55", false);
    acls::scram_upsert(&cluster, upsert(S512, None, "third-Pa55")).await.expect("second mechanism");
    wait_login(S512, &user, "third-Pa55", true);
    let me = acls::scram_users(&cluster).await.unwrap().into_iter().find(|u| u.user == user).expect("listed");
    let mechs: Vec<(ScramMechanism, i32)> = me.credentials.iter().map(|c| (c.mechanism, c.iterations)).collect();
    assert_eq!(mechs, vec![(S256, 4096), (S512, acls::DEFAULT_ITERATIONS)]);

    acls::scram_delete(&cluster, &user, Some(S256)).await.expect("delete one mechanism");
    wait_login(S256, &user, "second-Pa55", false);
    assert!(can_log_in(S512, &user, "third-Pa55"), "the other mechanism still works");
    acls::scram_delete(&cluster, &user, None).await.expect("delete the user");
    wait_login(S512, &user, "third-Pa55", false);
    assert!(acls::scram_users(&cluster).await.unwrap().iter().all(|u| u.user != user));
    let err = acls::scram_delete(&cluster, &user, None).await.expect_err("gone");
    assert_eq!(err.kind, ErrorKind::NotFound);
}

// ------------------------------------------------------------------------------------------
// Who can do what, against the broker's own decisions
// ------------------------------------------------------------------------------------------

/// Whether an error is the broker refusing on authorization grounds.
fn is_authz(code: RDKafkaErrorCode) -> bool {
    matches!(
        code,
        RDKafkaErrorCode::TopicAuthorizationFailed
            | RDKafkaErrorCode::GroupAuthorizationFailed
            | RDKafkaErrorCode::ClusterAuthorizationFailed
            | RDKafkaErrorCode::TransactionalIdAuthorizationFailed
    )
}

/// Ok(true): the broker allowed it; Ok(false): refused for authorization; Err: something else.
fn verdict(code: Option<RDKafkaErrorCode>, what: &str) -> Result<bool, String> {
    match code {
        None => Ok(true),
        Some(c) if is_authz(c) => Ok(false),
        Some(c) => Err(format!("{what}: {c:?}")),
    }
}

struct Prober {
    user: String,
    password: String,
}

impl Prober {
    fn config(&self) -> ClientConfig {
        scram_client(test_authorizing_cluster(), "SCRAM-SHA-512", &self.user, &self.password)
    }

    fn admin(&self) -> AdminClient<DefaultClientContext> {
        self.config().create().expect("admin")
    }

    fn opts() -> AdminOptions {
        AdminOptions::new().request_timeout(Some(Duration::from_secs(10))).operation_timeout(Some(Duration::from_secs(10)))
    }

    async fn try_op(&self, rt: ResourceType, name: &str, op: Operation) -> Result<bool, String> {
        use Operation::*;
        use ResourceType::*;
        let what = format!("{} {op} {rt} {name}", self.user);
        match (rt, op) {
            (Topic, Describe) => {
                let consumer: BaseConsumer = self.config().create().expect("client");
                let md = consumer.fetch_metadata(Some(name), Duration::from_secs(10)).map_err(|e| format!("{what}: {e}"))?;
                verdict(md.topics().first().and_then(|t| t.error()).map(RDKafkaErrorCode::from), &what)
            }
            (Topic, Read) => {
                // librdkafka assigns only in a consumer with a group.id (else "Unknown group");
                // fetching by assignment needs no ACL on the group, and nothing is committed.
                let consumer: BaseConsumer = self
                    .config()
                    .set("enable.partition.eof", "true")
                    .set("group.id", unique("probe"))
                    .set("enable.auto.commit", "false")
                    .create()
                    .expect("consumer");
                let mut tpl = TopicPartitionList::new();
                tpl.add_partition_offset(name, 0, Offset::Offset(0)).unwrap();
                consumer.assign(&tpl).expect("assign");
                let deadline = Instant::now() + WAIT;
                while Instant::now() < deadline {
                    match consumer.poll(Duration::from_millis(200)) {
                        Some(Ok(_)) | Some(Err(KafkaError::PartitionEOF(_))) => return Ok(true),
                        // The probe's own group is not the question (it may not find its
                        // coordinator without an ACL on it); the fetch still runs.
                        Some(Err(e)) if code(&e) == Some(RDKafkaErrorCode::GroupAuthorizationFailed) => {}
                        Some(Err(e)) => return verdict(code(&e), &what),
                        None => {}
                    }
                }
                Err(format!("{what}: no answer"))
            }
            (Topic, Write) => {
                // Not idempotent: an idempotent producer would also need IDEMPOTENT_WRITE.
                let producer: FutureProducer =
                    self.config().set("enable.idempotence", "false").set("acks", "1").set("message.timeout.ms", "10000").create().expect("producer");
                let result = producer.send(FutureRecord::to(name).key("k").payload("v"), Duration::from_secs(10)).await;
                verdict(result.err().and_then(|(e, _)| code(&e)), &what)
            }
            (Topic, Create) | (Cluster, Create) => {
                let topic = if rt == Topic { name.to_string() } else { format!("{name}-{}", unique("c")) };
                let r = self.admin().create_topics(&[NewTopic::new(&topic, 1, TopicReplication::Fixed(1))], &Self::opts()).await.map_err(|e| format!("{what}: {e}"))?;
                verdict(r[0].as_ref().err().map(|(_, c)| *c), &what)
            }
            (Topic, Delete) => {
                let r = self.admin().delete_topics(&[name], &Self::opts()).await.map_err(|e| format!("{what}: {e}"))?;
                verdict(r[0].as_ref().err().map(|(_, c)| *c), &what)
            }
            (Topic, Alter) => {
                let opts = Self::opts().validate_only(true);
                let r = self.admin().create_partitions(&[NewPartitions::new(name, 2)], &opts).await.map_err(|e| format!("{what}: {e}"))?;
                verdict(r[0].as_ref().err().map(|(_, c)| *c), &what)
            }
            // The rdkafka crate drops the per-resource error of DescribeConfigs and AlterConfigs
            // (every answer looks allowed): these probes go through KafkaDesk's own wrappers.
            (Topic, DescribeConfigs) | (Cluster, DescribeConfigs) => {
                let (kind, resource) = if rt == Topic { (ffi::ResourceKind::Topic, name) } else { (ffi::ResourceKind::Broker, "1") };
                let admin = self.admin();
                // SAFETY: `admin` lives for the whole call.
                let r = unsafe { ffi::describe_configs(admin.inner().native_ptr(), kind, resource, Duration::from_secs(10)) };
                authz_verdict(r.err(), &what)
            }
            (Topic, AlterConfigs) => {
                let admin = self.admin();
                let change = [ffi::ConfigChange::Set { name: "retention.ms".into(), value: "86400000".into() }];
                // SAFETY: `admin` lives for the whole call.
                let r = unsafe { ffi::incremental_alter_configs(admin.inner().native_ptr(), ffi::ResourceKind::Topic, name, &change, Duration::from_secs(10)) };
                authz_verdict(r.err(), &what)
            }
            (Group, Describe) => {
                let admin = self.admin();
                // SAFETY: `admin` lives for the whole call.
                let r = unsafe { ffi::describe_groups(admin.inner().native_ptr(), &[name.to_string()], Duration::from_secs(10)) };
                let error = match r {
                    Err(e) => Some(e),
                    Ok(groups) => groups.into_iter().next().and_then(|g| g.error),
                };
                group_verdict(error.map(|e| format!("{:?}", e.detail)), &what)
            }
            (Group, Read) => {
                let admin = self.admin();
                let offsets = [(format!("{name}-no-such-topic"), 0, 0)];
                // SAFETY: `admin` lives for the whole call.
                let r = unsafe { ffi::alter_group_offsets(admin.inner().native_ptr(), name, &offsets, Duration::from_secs(10)) };
                match r {
                    Err(e) => group_verdict(Some(format!("{:?}", e.detail)), &what),
                    Ok(parts) => Ok(!parts.iter().any(|p| p.error.as_ref().is_some_and(|(c, _)| *c == RDKafkaErrorCode::GroupAuthorizationFailed))),
                }
            }
            (Group, Delete) => {
                let r = self.admin().delete_groups(&[name], &Self::opts()).await.map_err(|e| format!("{what}: {e}"))?;
                match &r[0] {
                    Err((_, c)) if *c == RDKafkaErrorCode::GroupAuthorizationFailed => Ok(false),
                    _ => Ok(true),
                }
            }
            (TransactionalId, Write) => {
                let producer: ThreadedProducer<DefaultProducerContext> = self.config().set("transactional.id", name).create().expect("producer");
                match producer.init_transactions(Duration::from_secs(15)) {
                    Ok(()) => Ok(true),
                    Err(e) => verdict(code(&e), &what),
                }
            }
            _ => Err(format!("no probe for {what}")),
        }
    }
}

/// A KafkaDesk error (its `detail` names the code) as allowed / refused for authorization.
fn authz_verdict(error: Option<kafkadesk::error::Error>, what: &str) -> Result<bool, String> {
    match error.map(|e| e.detail.unwrap_or(e.message)) {
        None => Ok(true),
        Some(d) if d.contains("AuthorizationFailed") => Ok(false),
        Some(d) => Err(format!("{what}: {d}")),
    }
}

/// A group answer's error (its `detail` text) as allowed / refused.
fn group_verdict(detail: Option<String>, what: &str) -> Result<bool, String> {
    match detail {
        None => Ok(true),
        Some(d) if d.contains("GroupAuthorizationFailed") => Ok(false),
        // A group that does not exist (or is empty) was still authorized.
        Some(d) if d.contains("GroupIdNotFound") || d.contains("NonEmptyGroup") => Ok(true),
        Some(d) => Err(format!("{what}: {d}")),
    }
}

#[tokio::test]
async fn effective_permissions_equal_the_brokers_decisions() {
    let cluster = app_as_admin();
    let s = unique("eff");
    let t = |n: &str| format!("{s}.{n}");
    create_topics(&[&t("orders"), &t("pub.events"), &t("secret"), &t("other"), &t("deleteme")]).await;
    let users = ["ea", "eb", "ec", "ed"].map(|u| format!("{u}-{s}"));
    for u in &users {
        make_user(&cluster, u, &format!("{u}-pw")).await;
    }
    let p = |i: usize| format!("User:{}", users[i]);
    let (a, b, c, d) = (p(0), p(1), p(2), p(3));
    let cluster_name = acls::CLUSTER_NAME;
    let bindings = vec![
        input(&a, "READ", "ALLOW", "TOPIC", &t("orders"), "LITERAL", ""),
        input(&a, "WRITE", "DENY", "TOPIC", &t("orders"), "LITERAL", ""),
        input(&a, "WRITE", "ALLOW", "TOPIC", &format!("{s}."), "PREFIXED", ""),
        input("User:*", "DESCRIBE", "ALLOW", "TOPIC", &t("pub."), "PREFIXED", ""),
        input(&b, "ALL", "ALLOW", "TOPIC", "*", "LITERAL", ""),
        input(&b, "READ", "DENY", "TOPIC", &t("secret"), "LITERAL", ""),
        input(&c, "ALTER_CONFIGS", "ALLOW", "TOPIC", &t("orders"), "LITERAL", ""),
        input(&c, "WRITE", "ALLOW", "TOPIC", &format!("{s}."), "PREFIXED", "10.9.9.9"),
        input(&a, "READ", "ALLOW", "GROUP", &t("g"), "PREFIXED", ""),
        input(&b, "DESCRIBE", "ALLOW", "GROUP", &t("g1"), "LITERAL", ""),
        input("User:*", "READ", "DENY", "GROUP", &t("pubg"), "LITERAL", ""),
        input(&b, "READ", "ALLOW", "GROUP", "*", "LITERAL", ""),
        input(&d, "ALL", "ALLOW", "TOPIC", &t("pub."), "PREFIXED", ""),
        input(&d, "DELETE", "DENY", "TOPIC", &t("pub.events"), "LITERAL", ""),
        input(&d, "WRITE", "ALLOW", "TRANSACTIONAL_ID", &t("tx"), "LITERAL", ""),
        input(&c, "DESCRIBE_CONFIGS", "ALLOW", "CLUSTER", cluster_name, "LITERAL", ""),
        input(&d, "CREATE", "ALLOW", "CLUSTER", cluster_name, "LITERAL", ""),
        input(&a, "DELETE", "ALLOW", "GROUP", &t("g1"), "LITERAL", ""),
    ];
    let created = acls::create(&cluster, bindings).await.expect("create").created;
    wait_listed(&cluster, &created).await;

    use Operation::*;
    use ResourceType::*;
    // (user index, resource type, resource name, operation, what Kafka's rules say)
    let cases: Vec<(usize, ResourceType, String, Operation, bool)> = vec![
        (0, Topic, t("orders"), Describe, true),       // READ implies DESCRIBE
        (0, Topic, t("pub.events"), Describe, true),   // wildcard principal, prefixed
        (2, Topic, t("pub.events"), Describe, true),
        (2, Topic, t("secret"), Describe, false),      // only others' bindings cover it
        (1, Topic, t("secret"), Describe, true),       // DENY READ does not deny DESCRIBE
        (2, Topic, t("orders"), Describe, false),      // ALTER_CONFIGS does not imply DESCRIBE
        (0, Topic, t("orders"), Read, true),
        (0, Topic, t("other"), Read, false),
        (1, Topic, t("secret"), Read, false),          // deny beats the wildcard allow
        (1, Topic, t("other"), Read, true),            // wildcard resource
        (3, Topic, t("pub.events"), Read, true),       // prefixed ALL
        (2, Topic, t("pub.events"), Read, false),
        (0, Topic, t("orders"), Write, false),         // literal deny beats prefixed allow
        (0, Topic, t("other"), Write, true),           // prefixed allow
        (2, Topic, t("other"), Write, false),          // allow for another host
        (1, Topic, t("orders"), Write, true),
        (3, Topic, t("pub.events"), Write, true),
        (1, Topic, t("new-b"), Create, true),
        (0, Topic, t("new-a"), Create, false),
        (3, Topic, t("pub.events"), Delete, false),    // deny DELETE within a prefixed ALL
        (0, Topic, t("other"), Delete, false),
        (3, Topic, t("pub.events"), Alter, true),
        (0, Topic, t("orders"), Alter, false),
        (2, Topic, t("orders"), DescribeConfigs, true), // ALTER_CONFIGS implies DESCRIBE_CONFIGS
        (0, Topic, t("orders"), DescribeConfigs, false),
        (2, Topic, t("orders"), AlterConfigs, true),
        (2, Topic, t("pub.events"), AlterConfigs, false),
        (1, Group, t("g1"), Describe, true),
        (0, Group, t("g1"), Describe, true),           // READ (prefixed) implies DESCRIBE
        (2, Group, t("g1"), Describe, false),
        (0, Group, t("g1"), Read, true),
        (1, Group, t("pubg"), Read, false),            // wildcard-principal deny beats wildcard-group allow
        (1, Group, t("anygroup"), Read, true),         // wildcard group
        (2, Group, t("g1"), Read, false),
        (0, Group, t("g1"), Delete, true),
        (2, Group, t("g1"), Delete, false),
        (2, Cluster, cluster_name.into(), DescribeConfigs, true),
        (0, Cluster, cluster_name.into(), DescribeConfigs, false),
        (3, Cluster, t("zz"), Create, true),            // cluster CREATE (name: topic to create)
        (2, Cluster, t("zz"), Create, false),
        (3, TransactionalId, t("tx"), Write, true),
        (0, TransactionalId, t("tx"), Write, false),
        (1, Topic, t("deleteme"), Delete, true),       // last: it deletes the topic
    ];
    assert!(cases.len() >= 30);
    let mut mismatches = Vec::new();
    for (i, rt, name, op, expected) in cases {
        let prober = Prober { user: users[i].clone(), password: format!("{}-pw", users[i]) };
        let resource_name = if rt == Cluster { cluster_name.to_string() } else { name.clone() };
        let answer = acls::effective(&cluster, EffectiveQuery { principal: p(i), host: "127.0.0.1".into(), resource_type: rt, resource_name })
            .await
            .expect("effective");
        let decision = answer.decisions.iter().find(|x| x.operation == op).expect("operation listed").clone();
        let broker = prober.try_op(rt, &name, op).await.unwrap_or_else(|e| panic!("probe failed: {e}"));
        if decision.allowed != broker || broker != expected {
            mismatches.push(format!("{} {op} {rt} {name}: ours {} ({:?}), broker {broker}, expected {expected}", p(i), decision.allowed, decision.reason));
        }
        // The deciding bindings are named for every ACL-based answer.
        match decision.reason {
            DecisionReason::AllowAcl | DecisionReason::DenyAcl => assert!(!decision.deciding.is_empty()),
            _ => assert!(decision.deciding.is_empty()),
        }
    }
    assert!(mismatches.is_empty(), "who-can-do-what disagrees with the broker:\n{}", mismatches.join("\n"));

    // The deny that decides is the one named.
    let answer = acls::effective(&cluster, EffectiveQuery { principal: a.clone(), host: "127.0.0.1".into(), resource_type: Topic, resource_name: t("orders") }).await.unwrap();
    let write = answer.decisions.iter().find(|x| x.operation == Write).unwrap();
    assert_eq!((write.reason, write.deciding.clone()), (DecisionReason::DenyAcl, vec![created[1].clone()]));
    // The broker hides `super.users` (not one of its own config keys, so sent like a
    // password): unknown, never a wrong list; when a broker does send it, it is the real one.
    let configured = ["User:admin".to_string(), "User:ANONYMOUS".to_string()];
    assert!(answer.super_users.as_deref().is_none_or(|s| s == configured), "{:?}", answer.super_users);
    if answer.super_users.is_some() {
        let admin = acls::effective(&cluster, EffectiveQuery { principal: "User:admin".into(), host: String::new(), resource_type: Topic, resource_name: t("orders") }).await.unwrap();
        assert!(admin.decisions.iter().all(|x| x.allowed && x.reason == DecisionReason::SuperUser));
    }
}
