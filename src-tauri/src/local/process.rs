//! Process and file helpers for the launcher, shared with the test harness and the e2e driver
//! (`tests/src`): bounded child runs, detached sessions, signals, "is this pid still that
//! process", a watchdog that outlives its parent, log tails, file locks and atomic writes.
//!
//! Unix gets the full treatment (sessions, process groups, `/proc` or `ps` to tell a live node
//! from a recycled pid). Windows builds with simpler equivalents (`taskkill`, `tasklist`): the
//! app compiles and runs there, the test harness is Unix-only.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
#[cfg(unix)]
use std::process::Child;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Puts the child in a session of its own (Unix) or a detached process group (Windows): no
/// terminal signals, no shared process group, so Ctrl-C in a terminal never reaches a broker.
pub fn detach_session(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        cmd.creation_flags(CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW);
    }
}

/// Asks a process to stop (`force`: kill it). Unix: SIGTERM / SIGKILL; Windows: `taskkill`.
pub fn signal(pid: u32, force: bool) {
    #[cfg(unix)]
    {
        let sig = if force { libc::SIGKILL } else { libc::SIGTERM };
        if let Ok(pid) = libc::pid_t::try_from(pid) {
            if pid > 1 {
                // SAFETY: plain syscall on a pid the caller checked belongs to its process.
                unsafe {
                    libc::kill(pid, sig);
                }
            }
        }
    }
    #[cfg(windows)]
    {
        let mut cmd = Command::new("taskkill");
        cmd.args(["/PID", &pid.to_string(), "/T"]);
        if force {
            cmd.arg("/F");
        }
        let _ = run_with_timeout(&mut cmd, Duration::from_secs(10));
    }
}

/// Signals a whole process group (Unix; `pgid` is the group leader's pid).
#[cfg(unix)]
pub fn signal_group(pgid: u32, force: bool) {
    let sig = if force { libc::SIGKILL } else { libc::SIGTERM };
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        if pgid > 1 {
            // SAFETY: plain syscall; a negative pid addresses the group the caller created.
            unsafe {
                libc::kill(-pgid, sig);
            }
        }
    }
}

/// The command line of a live process as one string (arguments joined by spaces), or `None`
/// when it is gone. Linux reads `/proc`; other systems ask `ps` / `tasklist`.
pub fn command_line(pid: u32) -> Option<String> {
    if Path::new("/proc/self").exists() {
        let raw = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args: Vec<String> = raw
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
        // A zombie has an empty command line: it is gone for our purposes.
        return (!args.is_empty()).then(|| args.join(" "));
    }
    #[cfg(unix)]
    {
        let mut cmd = Command::new("ps");
        cmd.args(["-ww", "-o", "command=", "-p", &pid.to_string()]);
        let (out, timed_out) = run_with_timeout(&mut cmd, Duration::from_secs(5)).ok()?;
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!timed_out && out.status.success() && !line.is_empty()).then_some(line)
    }
    #[cfg(windows)]
    {
        // tasklist has no command lines; the image name is what we can check.
        let mut cmd = Command::new("tasklist");
        cmd.args(["/FI", &format!("PID eq {pid}"), "/FO", "CSV", "/NH"]);
        let (out, _) = run_with_timeout(&mut cmd, Duration::from_secs(5)).ok()?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.contains(&format!("\"{pid}\"")).then_some(text)
    }
}

/// Whether `pid` is a live process whose command line contains every one of `needles` (so a
/// recycled pid is never taken for ours). Where command lines cannot be read (Windows) the pid
/// must merely be alive.
pub fn pid_runs(pid: u32, needles: &[&str]) -> bool {
    match command_line(pid) {
        #[cfg(windows)]
        Some(_) => true,
        #[cfg(not(windows))]
        Some(line) => needles.iter().all(|n| line.contains(n)),
        None => {
            let _ = needles;
            false
        }
    }
}

/// Runs `cmd` with captured output, killing it after `timeout`. Returns (output, timed_out).
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> io::Result<(Output, bool)> {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let out_pipe = child.stdout.take();
    let err_pipe = child.stderr.take();
    let read_all = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out_reader = read_all(out_pipe.map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err_reader = read_all(err_pipe.map(|p| Box::new(p) as Box<dyn Read + Send>));
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait()?;
        }
        thread::sleep(Duration::from_millis(50));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok((Output { status, stdout, stderr }, timed_out))
}

/// stdout then stderr of a finished command, as text.
pub fn combined_output(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The last `lines` lines of `text`, newline-terminated.
pub fn tail_text(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let mut out = all[all.len().saturating_sub(lines)..].join("\n");
    out.push('\n');
    out
}

/// The last `lines` lines of a (possibly large) file; reads at most its last 256 KiB.
pub fn tail_file(path: &Path, lines: usize) -> io::Result<String> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(256 * 1024);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(tail_text(&String::from_utf8_lossy(&buf), lines))
}

/// Replaces `path` with `bytes` atomically (temp file, fsync, rename): a crash never leaves
/// half a file. The same writer the profile store uses.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::files::write_atomic(path, bytes, None)
}

/// A detached `sh` that waits for process `watched` to go, then stops `targets` (pids, or
/// `-pgid` for a whole process group) and the pids listed in `pid_file`: SIGTERM and `grace`
/// (zero: SIGKILL at once), then SIGKILL; finally removes `remove_dir` if given. `name` is its
/// `$0`, so [`pid_runs`] can tell it from other processes. Unix only.
#[cfg(unix)]
pub struct Watchdog<'a> {
    pub name: &'a str,
    pub watched: u32,
    pub targets: Vec<String>,
    pub pid_file: Option<&'a Path>,
    pub grace: Duration,
    pub remove_dir: Option<&'a Path>,
}

#[cfg(unix)]
const WATCHDOG_SH: &str = r#"
W="$1"; GRACE="$2"; RMDIR="$3"; PIDFILE="$4"; shift 4
while kill -0 "$W" 2>/dev/null; do sleep 1; done
T="$*"
[ -n "$PIDFILE" ] && T="$T $(cat "$PIDFILE" 2>/dev/null)"
alive() { for p in $T; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
wait_gone() { i=0; while [ $i -lt "$1" ]; do alive || return 0; sleep 0.5; i=$((i+1)); done; return 1; }
if [ -n "$(echo $T)" ]; then
  if [ "$GRACE" -gt 0 ]; then kill -TERM $T 2>/dev/null; wait_gone $((GRACE * 2)); fi
  kill -KILL $T 2>/dev/null
  wait_gone 20
fi
[ -n "$RMDIR" ] && rm -rf "$RMDIR"
exit 0
"#;

#[cfg(unix)]
impl Watchdog<'_> {
    /// Starts the watchdog in a session of its own (POSIX sh: dash's `kill` takes `-PGID`
    /// without `--`).
    pub fn spawn(&self) -> io::Result<Child> {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(WATCHDOG_SH)
            .arg(self.name)
            .arg(self.watched.to_string())
            .arg(self.grace.as_secs().to_string())
            .arg(self.remove_dir.map(|d| d.display().to_string()).unwrap_or_default())
            .arg(self.pid_file.map(|p| p.display().to_string()).unwrap_or_default())
            .args(&self.targets)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        detach_session(&mut cmd);
        cmd.spawn()
    }
}

/// An exclusive lock on a file, waited for with a bound; released on drop or process death.
/// Unix: `flock`. Elsewhere a no-op: two starts in one data dir at once are then caught by the
/// port check instead.
pub struct FileLock {
    #[cfg_attr(not(unix), allow(dead_code))]
    file: File,
}

/// Why [`FileLock::acquire`] gave up.
#[derive(Debug)]
pub enum LockError {
    Io(io::Error),
    TimedOut,
}

impl FileLock {
    pub fn acquire(path: &Path, timeout: Duration) -> Result<FileLock, LockError> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(LockError::Io)?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            let deadline = Instant::now() + timeout;
            loop {
                // SAFETY: flock on a descriptor we own.
                if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                    return Ok(FileLock { file });
                }
                let err = io::Error::last_os_error();
                if err.kind() != io::ErrorKind::WouldBlock {
                    return Err(LockError::Io(err));
                }
                if Instant::now() >= deadline {
                    return Err(LockError::TimedOut);
                }
                thread::sleep(Duration::from_millis(200));
            }
        }
        #[cfg(not(unix))]
        {
            let _ = timeout;
            Ok(FileLock { file })
        }
    }
}

#[cfg(unix)]
impl Drop for FileLock {
    fn drop(&mut self) {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a descriptor we own.
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

/// Stops a child that leads a process group: SIGTERM to the group, up to `grace` for the
/// child to exit, a moment for the rest of the group, then SIGKILL to whatever is left; the
/// child is reaped. Unix only.
#[cfg(unix)]
pub fn stop_group(mut child: Child, grace: Duration) {
    let pgid = child.id();
    if let Ok(Some(_)) = child.try_wait() {
        // Already gone; members of its group may still run.
        signal_group(pgid, true);
        return;
    }
    signal_group(pgid, false);
    let deadline = Instant::now() + grace;
    let mut exited = false;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            exited = true;
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline && group_has_live_members(pgid) {
        thread::sleep(Duration::from_millis(50));
    }
    signal_group(pgid, true);
    if !exited {
        let _ = child.wait();
    }
}

/// Whether any non-zombie process is in process group `pgid` (read from /proc; without
/// procfs: whether the group can be signalled).
#[cfg(unix)]
pub fn group_has_live_members(pgid: u32) -> bool {
    let Ok(entries) = fs::read_dir("/proc") else {
        // SAFETY: signal 0 only checks existence.
        return libc::pid_t::try_from(pgid).map(|g| unsafe { libc::kill(-g, 0) } == 0).unwrap_or(false);
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // Fields after the parenthesised command: state ppid pgrp …
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else { continue };
        let mut fields = rest.split_whitespace();
        let state = fields.next().unwrap_or("");
        let _ppid = fields.next();
        let pgrp = fields.next().and_then(|s| s.parse::<u32>().ok());
        if pgrp == Some(pgid) && state != "Z" && state != "X" {
            return true;
        }
    }
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn timeouts_kill_slow_commands() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let started = Instant::now();
        let (_, timed_out) = run_with_timeout(&mut cmd, Duration::from_millis(300)).expect("sleep runs");
        assert!(timed_out);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn own_pid_is_recognised_and_a_dead_one_is_not() {
        let me = std::process::id();
        let line = command_line(me).expect("our own command line");
        assert!(pid_runs(me, &[line.split(' ').next().unwrap_or_default()]));
        assert!(!pid_runs(me, &["certainly-not-in-our-command-line"]));
        let mut child = Command::new("true").spawn().expect("true runs");
        let pid = child.id();
        child.wait().expect("reaped");
        assert!(!pid_runs(pid, &[]));
    }

    #[test]
    fn tails_keep_the_last_lines() {
        assert_eq!(tail_text("a\nb\nc\n", 2), "b\nc\n");
        assert_eq!(tail_text("", 3), "\n");
    }
}
