//! Measuring the app window from outside: the memory of its processes (the app and the
//! WebKit processes it starts), when it started, and the longest stretch the webview's
//! main thread was busy (a long task) while the UI did something.
//!
//! Linux only (`/proc`), like the rest of the e2e harness.

use std::fs;
use std::path::Path;

/// Every process id under `root` (inclusive), from `/proc/<pid>/stat` parent links.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
            if let Some(ppid) = stat_field(pid, 4).and_then(|f| f.parse().ok()) {
                parents.push((pid, ppid));
            }
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    tree
}

/// The first process under `root` running `exe` (the app under tauri-driver / WebKitWebDriver).
pub fn find_exe_under(root: u32, exe: &Path) -> Option<u32> {
    let want = exe.canonicalize().ok()?;
    process_tree(root).into_iter().find(|pid| fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == want))
}

/// The first process under `root` whose command name (`/proc/<pid>/comm`, at most 15
/// characters) is `comm`: WebKit's web process is "WebKitWebProces".
pub fn find_comm_under(root: u32, comm: &str) -> Option<u32> {
    process_tree(root).into_iter().find(|pid| fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim_end() == comm))
}

/// The value of `name` in the environment `pid` was started with.
pub fn environment_var(pid: u32, name: &str) -> Option<String> {
    let environ = fs::read(format!("/proc/{pid}/environ")).ok()?;
    let prefix = format!("{name}=");
    environ
        .split(|b| *b == 0)
        .find_map(|entry| entry.strip_prefix(prefix.as_bytes()))
        .map(|value| String::from_utf8_lossy(value).into_owned())
}

/// Field `n` (1-based, as in proc(5)) of `/proc/<pid>/stat`; the command name may hold spaces.
fn stat_field(pid: u32, n: usize) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    after.split_whitespace().nth(n.checked_sub(3)?).map(str::to_string)
}

fn kib_line(path: &str, key: &str) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// Memory of a set of processes, MiB: resident (shared pages counted in each process)
/// and proportional (shared pages split between the processes that map them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    pub rss_mib: f64,
    pub pss_mib: f64,
    pub processes: usize,
}

pub fn memory(pids: &[u32]) -> Memory {
    let mut m = Memory::default();
    for pid in pids {
        if let Some(rss) = kib_line(&format!("/proc/{pid}/status"), "VmRSS:") {
            m.rss_mib += rss as f64 / 1024.0;
            m.pss_mib += kib_line(&format!("/proc/{pid}/smaps_rollup"), "Pss:").unwrap_or(rss) as f64 / 1024.0;
            m.processes += 1;
        }
    }
    m
}

/// When `pid` started, in ms since the Unix epoch (10 ms resolution: clock ticks).
pub fn start_time_epoch_ms(pid: u32) -> Option<f64> {
    let ticks: f64 = stat_field(pid, 22)?.parse().ok()?;
    // CLK_TCK is 100 on every Linux this runs on.
    Some(boot_epoch_ms()? + ticks * 10.0)
}

/// When this machine booted, in ms since the Unix epoch: the wall clock minus the time since
/// boot. (/proc/stat's `btime` is whole seconds, cut not rounded: up to a second early, which
/// made every cold start read up to a second slower.)
fn boot_epoch_ms() -> Option<f64> {
    let now = |clock| {
        let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: clock_gettime writes only the timespec it is given.
        (unsafe { libc::clock_gettime(clock, &mut t) } == 0).then(|| t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6)
    };
    Some(now(libc::CLOCK_REALTIME)? - now(libc::CLOCK_BOOTTIME)?)
}

/// JS: starts watching the webview's main thread. A timer re-arms itself; the longest gap
/// between two of its turns is the longest the thread was busy (script, layout or paint).
pub const LONG_TASK_START: &str = "window.__kdProbe = { max: 0, last: performance.now(), on: true };
const tick = () => { const p = window.__kdProbe; const now = performance.now();
  if (now - p.last > p.max) p.max = now - p.last; p.last = now; if (p.on) setTimeout(tick, 0); };
setTimeout(tick, 0); return true;";

/// JS: stops watching; returns the longest gap in ms.
pub const LONG_TASK_STOP: &str = "const p = window.__kdProbe; p.on = false;
const now = performance.now(); return Math.max(p.max, now - p.last);";

/// JS: the message drawer's state, for a failure message: which parts are there, what the
/// value's label and any error say, and whether WebKit thinks the page is seen.
const DETAIL_STATE: &str = "const q = (id) => document.querySelector(`[data-testid=\"${id}\"]`);
const t = (id) => (q(id) ? (q(id).textContent || '').slice(0, 200) : null);
return { visibility: document.visibilityState, focus: document.hasFocus(),
  loadFull: t('detail-load-full'), loading: t('detail-loading'), indenting: t('detail-value-indenting'),
  value: !!q('detail-value'), rendering: t('detail-value-rendering'),
  error: Array.from(document.querySelectorAll('[data-testid=\"message-detail\"] [role=\"alert\"]')).map((e) => (e.textContent || '').slice(0, 300)) };";

/// JS: when the start screen first rendered, in ms since the Unix epoch (the UI marks it).
pub const START_SCREEN_AT: &str = "const m = performance.getEntriesByName('kd-start-screen')[0];
return m ? performance.timeOrigin + m.startTime : null;";

/// Size of each large value: 5 MiB.
pub const LARGE: usize = 5 * 1024 * 1024;

/// The large value shapes that used to freeze the window, by name: a one-line base64 blob,
/// a one-line hex blob, minified JSON, multi-line text, and raw binary (a hex dump).
pub fn large_values() -> Vec<(&'static str, Vec<u8>)> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    };
    use base64::Engine;
    let base64 = base64::engine::general_purpose::STANDARD.encode(random(LARGE / 4 * 3)).into_bytes();
    let hex: Vec<u8> = random(LARGE / 2).iter().flat_map(|b| format!("{b:02x}").into_bytes()).collect();
    let mut json = b"[".to_vec();
    let mut i = 0;
    while json.len() < LARGE - 100 {
        if i > 0 {
            json.push(b',');
        }
        json.extend_from_slice(format!(r#"{{"id":{i},"name":"item-{i}","tags":["a","b"],"price":12.5,"ok":true}}"#).as_bytes());
        i += 1;
    }
    json.push(b']');
    let mut text = Vec::with_capacity(LARGE);
    let mut line = 0;
    while text.len() < LARGE - 100 {
        text.extend_from_slice(format!("line {line}: lorem ipsum dolor sit amet, consectetur adipiscing elit\n").as_bytes());
        line += 1;
    }
    vec![
        ("one-line base64", base64),
        ("one-line hex", hex),
        ("minified JSON", json),
        ("multi-line text", text),
        ("binary (hex dump)", random(LARGE)),
    ]
}

/// Opens the message at `offset` in the detail pane, loads it in full, waits until it is
/// drawn, closes it; returns the longest webview task meanwhile, in ms.
pub async fn detail_longest_task(app: &crate::e2e::App, offset: i64) -> crate::e2e::Result<f64> {
    use crate::e2e::{by_testid, E2eError};
    use std::time::{Duration, Instant};
    const WAIT: Duration = Duration::from_secs(60);
    app.eval(LONG_TASK_START).await?;
    app.click(&format!("{}[data-offset=\"{offset}\"]", by_testid("message-row")), WAIT).await?;
    app.wait_for(&by_testid("detail-body"), WAIT).await?;
    if !app.find_all(&by_testid("detail-load-full")).await?.is_empty() {
        app.click_until_gone(&by_testid("detail-load-full"), WAIT).await?;
    }
    let deadline = Instant::now() + WAIT;
    let drawn = format!(
        "return !document.querySelector({}) && !!document.querySelector({});",
        serde_json::to_string(&by_testid("detail-value-indenting")).unwrap_or_default(),
        serde_json::to_string(&by_testid("detail-value")).unwrap_or_default()
    );
    while app.eval(&drawn).await? != serde_json::Value::Bool(true) {
        if Instant::now() > deadline {
            // What the drawer shows, so a failure on another machine says why.
            let state = app.eval(DETAIL_STATE).await.unwrap_or_default();
            let shot = app.artifacts_dir().join(format!("detail-offset-{offset}-not-drawn.png"));
            let _ = app.screenshot(&shot).await;
            return Err(E2eError::new(format!(
                "the detail of offset {offset} was not drawn within {WAIT:?}; drawer: {state}; screenshot: {}",
                shot.display()
            )));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Let the paints that follow the last change happen inside the measurement.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let longest = app.eval(LONG_TASK_STOP).await?.as_f64().unwrap_or(f64::NAN);
    app.click(&format!("{} button.mantine-Drawer-close", by_testid("message-detail")), WAIT).await?;
    app.wait_until_gone(&by_testid("detail-body"), WAIT).await?;
    Ok(longest)
}
