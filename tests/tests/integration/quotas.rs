//! Client quotas against real brokers, checked both ways with Kafka's own ConfigCommand
//! (`kafka-configs.sh --describe --entity-type users/clients/ips`).

use std::collections::BTreeMap;
use std::time::Duration;

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::operations::quotas::{self, QuotaAlteration, QuotaEntityPart, QuotaEntityType, QuotaValue};
use kafkadesk_tests::kafka::{config_command, test_cluster, unique_topic};

use crate::connect;
use crate::topics::{eventually, tool};

/// The quotas ConfigCommand prints for an entity (`--entity-type ... --entity-name ...` /
/// `--entity-default` arguments): `Quota configs for <entity> are k=v, k=v`.
fn config_command_quotas(bootstrap: &str, entity_args: &[&str]) -> BTreeMap<String, f64> {
    let mut args = vec!["--bootstrap-server", bootstrap, "--describe"];
    args.extend_from_slice(entity_args);
    let out = tool(config_command(), &args);
    out.lines()
        .filter_map(|l| l.split_once(" are ").filter(|(head, _)| head.starts_with("Quota configs for")).map(|(_, values)| values))
        .flat_map(|values| values.split(", ").filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.trim().to_string(), v.trim().parse::<f64>().unwrap_or(f64::NAN))))
        .collect()
}

fn part(entity_type: QuotaEntityType, name: Option<&str>) -> QuotaEntityPart {
    QuotaEntityPart { entity_type, name: name.map(str::to_string) }
}

fn set(entity: Vec<QuotaEntityPart>, values: &[(&str, f64)], remove: &[&str]) -> QuotaAlteration {
    QuotaAlteration {
        entity,
        set: values.iter().map(|(k, v)| QuotaValue { key: k.to_string(), value: *v }).collect(),
        remove: remove.iter().map(|k| k.to_string()).collect(),
    }
}

fn map(values: &[(&str, f64)]) -> BTreeMap<String, f64> {
    values.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// What KafkaDesk lists for exactly `entity` (empty when it lists none).
async fn listed(cluster: &kafkadesk::kafka::Write, entity: &[QuotaEntityPart]) -> Result<BTreeMap<String, f64>, String> {
    let all = quotas::list(cluster).await.map_err(|e| e.message)?;
    Ok(all.iter().find(|e| e.entity == entity).map(|e| e.values.iter().map(|v| (v.key.clone(), v.value)).collect()).unwrap_or_default())
}

/// Sets quotas for a user, a user + client id, the default client id and an IP; Kafka's
/// ConfigCommand sees each; a quota set by ConfigCommand is listed by KafkaDesk; removing one
/// key and then whole entities leaves nothing behind.
#[tokio::test]
async fn quotas_are_set_listed_and_removed_as_kafka_configs_sees_them() {
    use QuotaEntityType::*;
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    let user = unique_topic("quota-user");
    let client = unique_topic("quota-client");
    let other_client = unique_topic("quota-client2");
    let ip = "10.213.7.9";
    let user_entity = vec![part(User, Some(&user))];
    let pair_entity = vec![part(User, Some(&user)), part(ClientId, Some(&client))];
    let default_client = vec![part(ClientId, None)];
    let ip_entity = vec![part(Ip, Some(ip))];

    quotas::alter(&cluster, set(user_entity.clone(), &[("producer_byte_rate", 1_048_576.0), ("consumer_byte_rate", 2_097_152.0)], &[])).await.expect("user");
    // Given client id first: KafkaDesk puts the parts in Kafka's order.
    quotas::alter(&cluster, set(vec![part(ClientId, Some(&client)), part(User, Some(&user))], &[("request_percentage", 12.5)], &[])).await.expect("pair");
    // Harmless for the other tests sharing the cluster: far above what they do.
    quotas::alter(&cluster, set(default_client.clone(), &[("controller_mutation_rate", 100_000.0)], &[])).await.expect("default client");
    quotas::alter(&cluster, set(ip_entity.clone(), &[("connection_creation_rate", 50.0)], &[])).await.expect("ip");

    let expected_user = map(&[("consumer_byte_rate", 2_097_152.0), ("producer_byte_rate", 1_048_576.0)]);
    let user_args = ["--entity-type", "users", "--entity-name", user.as_str()];
    let pair_args = ["--entity-type", "users", "--entity-name", user.as_str(), "--entity-type", "clients", "--entity-name", client.as_str()];
    let default_args = ["--entity-type", "clients", "--entity-default"];
    let ip_args = ["--entity-type", "ips", "--entity-name", ip];
    eventually(Duration::from_secs(30), async || {
        let seen = [
            (config_command_quotas(&bootstrap, &user_args), expected_user.clone()),
            (config_command_quotas(&bootstrap, &pair_args), map(&[("request_percentage", 12.5)])),
            (config_command_quotas(&bootstrap, &default_args), map(&[("controller_mutation_rate", 100_000.0)])),
            (config_command_quotas(&bootstrap, &ip_args), map(&[("connection_creation_rate", 50.0)])),
        ];
        if seen.iter().all(|(got, want)| got == want) { Ok(()) } else { Err(format!("ConfigCommand: {seen:?}")) }
    })
    .await;
    // The same four in KafkaDesk's list, default entity included.
    eventually(Duration::from_secs(30), async || {
        let got = [
            listed(&cluster, &user_entity).await?,
            listed(&cluster, &pair_entity).await?,
            listed(&cluster, &default_client).await?,
            listed(&cluster, &ip_entity).await?,
        ];
        let want = [
            expected_user.clone(),
            map(&[("request_percentage", 12.5)]),
            map(&[("controller_mutation_rate", 100_000.0)]),
            map(&[("connection_creation_rate", 50.0)]),
        ];
        if got == want { Ok(()) } else { Err(format!("{got:?}")) }
    })
    .await;

    // Set by Kafka's tool, listed by KafkaDesk.
    tool(
        config_command(),
        &["--bootstrap-server", &bootstrap, "--alter", "--add-config", "producer_byte_rate=4096", "--entity-type", "clients", "--entity-name", &other_client],
    );
    let other_entity = vec![part(ClientId, Some(&other_client))];
    eventually(Duration::from_secs(30), async || {
        let got = listed(&cluster, &other_entity).await?;
        if got == map(&[("producer_byte_rate", 4096.0)]) { Ok(()) } else { Err(format!("{got:?}")) }
    })
    .await;

    // Remove one key: the other stays.
    quotas::alter(&cluster, set(user_entity.clone(), &[("producer_byte_rate", 524_288.0)], &["consumer_byte_rate"])).await.expect("edit");
    eventually(Duration::from_secs(30), async || {
        let got = config_command_quotas(&bootstrap, &user_args);
        if got == map(&[("producer_byte_rate", 524_288.0)]) { Ok(()) } else { Err(format!("{got:?}")) }
    })
    .await;

    // Remove whole entities.
    for entity in [&user_entity, &pair_entity, &default_client, &ip_entity, &other_entity] {
        // The broker applies alterations in order, but a describe may reach a broker that
        // has not seen the last one yet: wait until this entity is listed before removing it.
        eventually(Duration::from_secs(30), async || {
            match quotas::remove(&cluster, entity.clone()).await {
                Ok(()) => Ok(()),
                Err(e) => Err(format!("{e:?}")),
            }
        })
        .await;
    }
    eventually(Duration::from_secs(30), async || {
        let left = [&user_args[..], &pair_args[..], &default_args[..], &ip_args[..]].map(|args| config_command_quotas(&bootstrap, args));
        let ours = quotas::list(&cluster).await.map_err(|e| e.message)?;
        let still_listed = ours.iter().any(|e| [&user_entity, &pair_entity, &default_client, &ip_entity, &other_entity].contains(&&e.entity));
        if left.iter().all(BTreeMap::is_empty) && !still_listed { Ok(()) } else { Err(format!("{left:?} {ours:?}")) }
    })
    .await;
}

#[tokio::test]
async fn quota_input_errors_name_the_field() {
    use QuotaEntityType::*;
    let cluster = connect(&test_cluster().bootstrap());
    let user = vec![part(User, Some(&unique_topic("quota-bad")))];
    let bad = [
        (set(user.clone(), &[("producer_byte_rate", -1.0)], &[]), "producer_byte_rate"),
        (set(user.clone(), &[("connection_creation_rate", 5.0)], &[]), "connection_creation_rate"),
        (set(vec![part(Ip, Some("not-an-ip"))], &[("connection_creation_rate", 5.0)], &[]), "ip"),
        (set(user.clone(), &[("bytes_per_fortnight", 5.0)], &[]), "key"),
    ];
    for (alteration, field) in bad {
        let e = quotas::alter(&cluster, alteration).await.unwrap_err();
        assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some(field)), "{e:?}");
    }
    // Removing what is not there says so.
    assert_eq!(quotas::remove(&cluster, user).await.unwrap_err().kind, ErrorKind::NotFound);
}
