//! `sandbox`: start and stop the local Apache Kafka clusters that `make run` and `make test` use.
//!
//! ```text
//! sandbox start       [--dir D] [--nodes N]   the make-run sandbox: brokers 127.0.0.1:19092,29092,39092
//! sandbox stop        [--dir D]
//! sandbox status      [--dir D]
//! sandbox start-test   --dir D  [--nodes N] [--watch-pid P]
//!                     a cluster on free ports for `make test`; prints KAFKADESK_TEST_BOOTSTRAP=…
//!                     on stdout (everything else goes to stderr) and stays up until
//!                     `sandbox stop --dir D` (or until process P exits, if given)
//! ```
//!
//! The nodes outlive this command (each runs in its own session); `cluster.json` in the data
//! dir lets `stop` and `status` find them again. Exit code 0 on success, 1 on failure (with the
//! node log tails), 2 on bad usage.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kafkadesk_tests::kafka::{self, Cluster, ClusterSpec};

const USAGE: &str = "\
usage: sandbox start      [--dir D] [--nodes N]
       sandbox stop       [--dir D]
       sandbox status     [--dir D]
       sandbox start-test --dir D [--nodes N] [--watch-pid PID]

The default dir is $KAFKADESK_CACHE/sandbox (~/.cache/kafkadesk/sandbox).";

// The make-run sandbox's fixed ports, the same defaults as the app's local clusters: node i
// listens on i9092 (PLAINTEXT) and i9093 (CONTROLLER).
use kafkadesk::local::clusters::{
    DEFAULT_BROKER_PORTS as SANDBOX_BROKER_PORTS, DEFAULT_CONTROLLER_PORTS as SANDBOX_CONTROLLER_PORTS,
};

struct Args {
    command: String,
    dir: Option<PathBuf>,
    nodes: usize,
    watch_pid: Option<u32>,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let command = it.next().ok_or("missing command")?;
    let mut args = Args {
        command,
        dir: None,
        nodes: 3,
        watch_pid: None,
    };
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--dir" => args.dir = Some(PathBuf::from(value("--dir")?)),
            "--nodes" => {
                args.nodes = value("--nodes")?
                    .parse()
                    .map_err(|_| "--nodes takes a number".to_string())?;
                if !(1..=3).contains(&args.nodes) {
                    return Err("--nodes must be 1, 2 or 3".into());
                }
            }
            "--watch-pid" => {
                args.watch_pid = Some(
                    value("--watch-pid")?
                        .parse()
                        .map_err(|_| "--watch-pid takes a pid".to_string())?,
                )
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("sandbox: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let default_dir = kafka::cache_root().join("sandbox");
    let result = match args.command.as_str() {
        "start" => start(args.dir.unwrap_or(default_dir), args.nodes),
        "stop" => stop(args.dir.unwrap_or(default_dir)),
        "status" => status(args.dir.unwrap_or(default_dir)),
        "start-test" => match args.dir {
            Some(dir) => start_test(dir, args.nodes, args.watch_pid),
            None => Err("start-test needs --dir D (the same D for `sandbox stop --dir D`)".into()),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("sandbox: unknown command {other}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("sandbox: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn start(dir: PathBuf, nodes: usize) -> Result<(), String> {
    if let Some(cluster) = Cluster::attach(&dir) {
        if cluster
            .node_ids()
            .iter()
            .all(|&id| cluster.is_node_running(id))
            && cluster.check_health(Duration::from_secs(10)).is_ok()
        {
            println!("Kafka sandbox already running and healthy.");
            print_summary(&cluster);
            return Ok(());
        }
        println!(
            "A Kafka sandbox in {} is running but not healthy; restarting it.",
            dir.display()
        );
        let mut cluster = cluster;
        cluster.stop();
    }
    println!(
        "Starting a {nodes}-node Apache Kafka {} sandbox in {} …",
        kafka::kafka_version(),
        dir.display()
    );
    let fetch_started = Instant::now();
    let libs = kafka::ensure_kafka_jars().map_err(|e| e.to_string())?;
    if fetch_started.elapsed() > Duration::from_secs(1) {
        println!(
            "Fetched Kafka's jars into {} in {:.1} s.",
            libs.display(),
            fetch_started.elapsed().as_secs_f64()
        );
    }
    let started = Instant::now();
    let spec = ClusterSpec {
        nodes,
        broker_ports: Some(SANDBOX_BROKER_PORTS[..nodes].to_vec()),
        controller_ports: Some(SANDBOX_CONTROLLER_PORTS[..nodes].to_vec()),
        data_dir: dir,
        watch_pid: None,
    };
    let cluster = Cluster::start(spec).map_err(|e| e.to_string())?;
    println!(
        "Kafka sandbox ready in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    print_summary(&cluster);
    cluster.detach();
    Ok(())
}

fn start_test(dir: PathBuf, nodes: usize, watch_pid: Option<u32>) -> Result<(), String> {
    // stdout carries only the KEY=VALUE line, so `eval "$(sandbox start-test --dir D)"` works.
    if let Some(cluster) = Cluster::attach(&dir) {
        if cluster.node_ids().len() == nodes
            && cluster
                .node_ids()
                .iter()
                .all(|&id| cluster.is_node_running(id))
            && cluster.check_health(Duration::from_secs(10)).is_ok()
        {
            eprintln!(
                "sandbox: reusing the test cluster already running in {}",
                dir.display()
            );
            println!("KAFKADESK_TEST_BOOTSTRAP={}", cluster.bootstrap());
            return Ok(());
        }
        let mut cluster = cluster;
        cluster.stop();
    }
    eprintln!(
        "sandbox: starting a {nodes}-node Kafka {} test cluster in {} …",
        kafka::kafka_version(),
        dir.display()
    );
    let started = Instant::now();
    let spec = ClusterSpec {
        nodes,
        broker_ports: None,
        controller_ports: None,
        data_dir: dir.clone(),
        watch_pid,
    };
    let cluster = Cluster::start(spec).map_err(|e| e.to_string())?;
    eprintln!(
        "sandbox: test cluster ready at {} in {:.1} s (stop: sandbox stop --dir {})",
        cluster.bootstrap(),
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    println!("KAFKADESK_TEST_BOOTSTRAP={}", cluster.bootstrap());
    cluster.detach();
    Ok(())
}

fn stop(dir: PathBuf) -> Result<(), String> {
    match Cluster::attach(&dir) {
        Some(mut cluster) => {
            let started = Instant::now();
            let ids = cluster.node_ids();
            cluster.stop();
            let left: Vec<i32> = ids
                .into_iter()
                .filter(|&id| cluster.is_node_running(id))
                .collect();
            if left.is_empty() {
                println!(
                    "Kafka in {} stopped ({:.1} s).",
                    dir.display(),
                    started.elapsed().as_secs_f64()
                );
                Ok(())
            } else {
                Err(format!(
                    "nodes {left:?} in {} are still running",
                    dir.display()
                ))
            }
        }
        None => {
            println!("No Kafka running in {}.", dir.display());
            Ok(())
        }
    }
}

fn status(dir: PathBuf) -> Result<(), String> {
    let Some(cluster) = Cluster::attach(&dir) else {
        return Err(format!(
            "no Kafka running in {} (start it: sandbox start)",
            dir.display()
        ));
    };
    print_summary(&cluster);
    for (id, port) in cluster.node_ids().into_iter().zip(cluster.broker_ports()) {
        match cluster.node_pid(id) {
            Some(pid) => println!("  node {id}: running (pid {pid}), broker 127.0.0.1:{port}"),
            None => println!("  node {id}: NOT running, broker 127.0.0.1:{port}"),
        }
    }
    match cluster.check_health(Duration::from_secs(10)) {
        Ok(()) => {
            println!("Healthy: every broker is in metadata.");
            Ok(())
        }
        Err(e) => Err(format!("unhealthy: {e}")),
    }
}

fn print_summary(cluster: &Cluster) {
    println!("  bootstrap: {}", cluster.bootstrap());
    if let Some(dir) = cluster.data_dir() {
        println!("  data dir:  {}", dir.display());
        println!("  logs:      {}/node-*/server.log", dir.display());
        println!("  stop:      sandbox stop --dir {}", dir.display());
    }
}
