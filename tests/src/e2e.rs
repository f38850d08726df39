//! A driver for the real KafkaDesk window: the built app under Xvfb, driven over WebDriver.
//!
//! Why this stack: on Linux a Tauri app renders with WebKitGTK, and the only way to automate
//! that webview from outside is WebKit's own `WebKitWebDriver`. `tauri-driver` sits in front
//! of it and turns `tauri:options.application` into the WebKitGTK capability that launches our
//! binary (with `TAURI_WEBVIEW_AUTOMATION=true`, which makes the app accept the automation
//! session). So one [`App`] is four processes:
//!
//! ```text
//! Xvfb :N  <-  tauri-driver --port P  ->  WebKitWebDriver --port Q  ->  kafkadesk (the app)
//! ```
//!
//! and a fantoccini [`Client`] talking to `http://127.0.0.1:P`.
//!
//! Rules that keep a machine clean and failures readable:
//! - everything waits with a bound, and a timeout says what it waited for, shows an excerpt
//!   of the page text and the tail of the driver/app log;
//! - Xvfb and tauri-driver run in process groups of their own; [`App::close`] ends the
//!   WebDriver session, SIGTERMs the tauri-driver group (which holds WebKitWebDriver and the
//!   app too), SIGKILLs what is left, then stops Xvfb; `Drop` (a test that panicked or
//!   returned early) does the same minus the session, and prints the log tail on a panic;
//! - a tiny detached watchdog (`sh`) does the same if the test process dies without unwinding
//!   (SIGKILL, abort), so no Xvfb or app window outlives a test run;
//! - the logs of tauri-driver, WebKitWebDriver and the app (their stderr) and of Xvfb go to
//!   `tests/e2e-artifacts/<launch>/` (gitignored);
//! - each launch gets its own profile store (`KAFKADESK_CONFIG_DIR`) and its own XDG dirs, so
//!   no test sees another's connections, localStorage or theme;
//! - screenshots first park the pointer and wait two animation frames: WebKit snapshots the
//!   last *painted* frame, which right after a DOM change is the one before it.
//!
//! This module does not build the app: `make test` builds the UI and the app first. It does
//! install `tauri-driver` (with `cargo install`) into [`tools_dir`] the first time.

use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use kafkadesk::local::process;
use serde_json::{json, Value as Json};

/// The native WebDriver that tauri-driver fronts (Debian: `webkit2gtk-driver`).
const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";
/// Virtual screen: a bit larger than the app's 1280×800 window.
const SCREEN: &str = "1400x900x24";
/// Displays tried for Xvfb, from the first upward.
const DISPLAYS: std::ops::Range<u32> = 90..190;

/// A cold `cargo install tauri-driver` takes about half a minute; leave room for a slow machine.
const INSTALL_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// Xvfb opening its socket.
const XVFB_START_TIMEOUT: Duration = Duration::from_secs(15);
/// tauri-driver and WebKitWebDriver answering `/status`.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);
/// Creating the session: WebKitWebDriver launches the app and waits for its automation handshake.
const SESSION_TIMEOUT: Duration = Duration::from_secs(90);
/// The app's document reaching `readyState == "complete"` with something rendered.
const DOCUMENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Ending the WebDriver session (which closes the app window).
const SESSION_CLOSE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long SIGTERM gets before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// One WebDriver command while polling; a hung webview must not hang the test.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(15);
/// Pause before a screenshot for CSS transitions (Mantine's are 150-200 ms) to finish.
const SETTLE: Duration = Duration::from_millis(400);
/// Polling interval of the `wait_*` helpers.
const POLL: Duration = Duration::from_millis(100);
/// Lines of the driver/app log quoted in an error.
const LOG_TAIL_LINES: usize = 40;
/// Characters of page text quoted in an error.
const PAGE_TEXT_EXCERPT: usize = 800;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why the window could not be driven as asked. The message is for a person reading a failed
/// test: what was expected, what the page showed, where the logs are, what to do.
#[derive(Clone)]
pub struct E2eError {
    message: String,
}

impl E2eError {
    pub fn new(message: impl Into<String>) -> E2eError {
        E2eError { message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for E2eError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

// Debug is what `cargo test` prints for `Err` and `unwrap`: keep the message readable.
impl fmt::Debug for E2eError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for E2eError {}

pub type Result<T, E = E2eError> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------------------------
// Paths and tools
// ---------------------------------------------------------------------------------------------

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where e2e logs go: `<workspace>/tests/e2e-artifacts` (gitignored).
pub fn artifacts_root() -> PathBuf {
    workspace_root().join("tests").join("e2e-artifacts")
}

/// Where README screenshots go: `<workspace>/docs/screenshots`.
pub fn screenshots_dir() -> PathBuf {
    workspace_root().join("docs").join("screenshots")
}

/// `$KAFKADESK_CACHE/tools`, or `~/.cache/kafkadesk/tools`: tools the tests install once.
pub fn tools_dir() -> PathBuf {
    crate::kafka::cache_root().join("tools")
}

/// Returns `<tools>/bin/tauri-driver`, installing it first if it is missing
/// (`cargo install tauri-driver --locked --root <tools>`, bounded; output in
/// `<tools>/tauri-driver-install.log`, quoted on failure).
///
/// The build uses its own target dir under `<tools>`, never the workspace's: a running
/// `cargo test` holds the workspace target dir's lock.
pub fn ensure_tauri_driver() -> Result<PathBuf> {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|p| p.into_inner());

    let tools = tools_dir();
    let driver = tools.join("bin").join("tauri-driver");
    if driver.is_file() {
        return Ok(driver);
    }
    fs::create_dir_all(&tools)
        .map_err(|e| E2eError::new(format!("could not create {}: {e}", tools.display())))?;
    let log_path = tools.join("tauri-driver-install.log");
    let log = File::create(&log_path)
        .map_err(|e| E2eError::new(format!("could not create {}: {e}", log_path.display())))?;
    let log_err = log.try_clone().map_err(|e| E2eError::new(format!("{}: {e}", log_path.display())))?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("[e2e] installing tauri-driver into {} (once; about half a minute)…", tools.display());
    let started = Instant::now();
    let mut child = Command::new(&cargo)
        .args(["install", "tauri-driver", "--locked", "--root"])
        .arg(&tools)
        .env("CARGO_TARGET_DIR", tools.join("build"))
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| E2eError::new(format!("could not run `{} install tauri-driver`: {e}", Path::new(&cargo).display())))?;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > INSTALL_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(250)),
            Err(e) => return Err(E2eError::new(format!("waiting for cargo install: {e}"))),
        }
    };
    let ok = status.map(|s| s.success()).unwrap_or(false);
    if !ok || !driver.is_file() {
        let why = match status {
            None => format!("timed out after {} s", INSTALL_TIMEOUT.as_secs()),
            Some(s) => format!("exited with {s}"),
        };
        return Err(E2eError::new(format!(
            "installing tauri-driver failed ({why}). Install it by hand with\n  cargo install tauri-driver --locked --root {}\n--- {} (last {LOG_TAIL_LINES} lines) ---\n{}",
            tools.display(),
            log_path.display(),
            tail_file(&log_path, LOG_TAIL_LINES)
        )));
    }
    eprintln!("[e2e] tauri-driver installed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(driver)
}

/// The app under test: `$KAFKADESK_APP` if set, else `debug/kafkadesk` in `$CARGO_TARGET_DIR`,
/// else in the target dir this test binary was built into, else in `<workspace>/target`.
/// The harness never builds it; see [`require_app_binary`].
pub fn app_binary() -> PathBuf {
    if let Some(app) = std::env::var_os("KAFKADESK_APP").filter(|v| !v.is_empty()) {
        return PathBuf::from(app);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir).join("debug").join("kafkadesk");
    }
    // Test binaries live in `<target>/debug/deps/`.
    if let Ok(exe) = std::env::current_exe() {
        if let Some(deps) = exe.parent().filter(|d| d.file_name().is_some_and(|n| n == "deps")) {
            if let Some(profile_dir) = deps.parent() {
                let candidate = profile_dir.join("kafkadesk");
                if candidate.is_file() {
                    return candidate;
                }
            }
        }
    }
    workspace_root().join("target").join("debug").join("kafkadesk")
}

/// [`app_binary`] as an absolute path, or an error saying how to build it.
pub fn require_app_binary() -> Result<PathBuf> {
    let app = app_binary();
    let app = if app.is_absolute() { app } else { std::env::current_dir().map(|d| d.join(&app)).unwrap_or(app) };
    if !app.is_file() {
        return Err(E2eError::new(format!(
            "the KafkaDesk app binary is missing at {}.\nThe e2e tests drive the built app and do not build it: run `make test` \
             (it builds the UI and the app first), or `npm --prefix ui run build && cargo build -p kafkadesk`, \
             or point KAFKADESK_APP at a built binary.",
            app.display()
        )));
    }
    Ok(app)
}

/// The CSS selector of a `data-testid`: `[data-testid="id"]`.
pub fn by_testid(id: &str) -> String {
    format!("[data-testid=\"{}\"]", css_escape(id))
}

fn css_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

// ---------------------------------------------------------------------------------------------
// Launching
// ---------------------------------------------------------------------------------------------

/// How to start the app.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// The profile store directory, passed as `KAFKADESK_CONFIG_DIR`. Use a fresh temp dir per
    /// test. The webview's own data (localStorage, caches) is kept under `<config_dir>/xdg` so
    /// tests do not see each other's UI state either.
    pub config_dir: PathBuf,
    /// More environment for the app (and tauri-driver / WebKitWebDriver, which pass it on).
    pub env: Vec<(String, String)>,
    /// The app binary to run instead of [`app_binary`] (e.g. one installed from the `.deb`).
    pub app: Option<PathBuf>,
}

impl LaunchOptions {
    pub fn new(config_dir: impl Into<PathBuf>) -> LaunchOptions {
        LaunchOptions { config_dir: config_dir.into(), env: Vec::new(), app: None }
    }

    /// Runs `app` instead of the workspace's debug build.
    pub fn app(mut self, app: impl Into<PathBuf>) -> LaunchOptions {
        self.app = Some(app.into());
        self
    }

    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> LaunchOptions {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// Which way [`App::screenshot`] got its picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenshotSource {
    /// WebDriver "Take Screenshot": the webview's viewport.
    WebDriver,
    /// ImageMagick `import -window root` on the Xvfb display: the whole virtual screen.
    XvfbRoot,
}

/// The running app window and everything needed to drive it.
pub struct App {
    client: Option<Client>,
    procs: Procs,
    display: u32,
    artifacts: PathBuf,
    log: PathBuf,
}

impl App {
    /// Starts Xvfb, tauri-driver (with WebKitWebDriver) and, through a new WebDriver session,
    /// the app; returns once the app's document is ready. Every step is bounded; on failure
    /// whatever was started is stopped and the error quotes the logs.
    pub async fn launch(options: LaunchOptions) -> Result<App> {
        let app_bin = match &options.app {
            Some(app) if app.is_file() => app.clone(),
            Some(app) => return Err(E2eError::new(format!("the app binary {} does not exist", app.display()))),
            None => require_app_binary()?,
        };
        let driver_bin = tokio::task::spawn_blocking(ensure_tauri_driver)
            .await
            .map_err(|e| E2eError::new(format!("installing tauri-driver panicked: {e}")))??;
        if !Path::new(WEBKIT_WEBDRIVER).is_file() {
            return Err(E2eError::new(format!(
                "{WEBKIT_WEBDRIVER} is missing: install Debian's `webkit2gtk-driver` (scripts/install-deps.sh does)."
            )));
        }

        let artifacts = new_artifacts_dir(&options.config_dir)?;
        let log = artifacts.join("tauri-driver.log");
        let xvfb_log = artifacts.join("xvfb.log");

        let mut procs = Procs::default();
        let (xvfb, display) = {
            let xvfb_log = xvfb_log.clone();
            tokio::task::spawn_blocking(move || start_xvfb(&xvfb_log))
                .await
                .map_err(|e| E2eError::new(format!("starting Xvfb panicked: {e}")))??
        };
        procs.xvfb = Some(xvfb);

        // The app's environment. tauri-driver -> WebKitWebDriver -> app inherit it.
        let xdg = options.config_dir.join("xdg");
        let runtime_dir = xdg.join("runtime");
        for dir in [&options.config_dir, &xdg.join("data"), &xdg.join("cache"), &xdg.join("config"), &runtime_dir] {
            fs::create_dir_all(dir).map_err(|e| E2eError::new(format!("could not create {}: {e}", dir.display())))?;
        }
        set_mode_0700(&runtime_dir);

        let port = free_port()?;
        let native_port = loop {
            let p = free_port()?;
            if p != port {
                break p;
            }
        };
        let log_file = File::create(&log).map_err(|e| E2eError::new(format!("could not create {}: {e}", log.display())))?;
        let log_file_err = log_file.try_clone().map_err(|e| E2eError::new(format!("{}: {e}", log.display())))?;
        let mut cmd = Command::new(&driver_bin);
        cmd.arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .arg("--native-driver")
            .arg(WEBKIT_WEBDRIVER)
            .env_remove("WAYLAND_DISPLAY")
            .env("DISPLAY", format!(":{display}"))
            .env("GDK_BACKEND", "x11")
            // No accessibility bus on a test machine; without this GTK warns on every start.
            .env("NO_AT_BRIDGE", "1")
            .env("KAFKADESK_CONFIG_DIR", &options.config_dir)
            .env("XDG_DATA_HOME", xdg.join("data"))
            .env("XDG_CACHE_HOME", xdg.join("cache"))
            .env("XDG_CONFIG_HOME", xdg.join("config"))
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .envs(options.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_file_err)
            .process_group(0);
        let driver = cmd
            .spawn()
            .map_err(|e| E2eError::new(format!("could not start {}: {e}", driver_bin.display())))?;
        let driver_pid = driver.id();
        procs.driver = Some(driver);
        procs.watchdog = spawn_watchdog(driver_pid, procs.xvfb.as_ref().map(|c| c.id()));

        let mut app = App { client: None, procs, display, artifacts, log };
        let url = format!("http://127.0.0.1:{port}");
        app.wait_for_driver(port, native_port).await?;

        let mut caps = Capabilities::new();
        caps.insert("tauri:options".into(), json!({ "application": app_bin }));
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let client = match tokio::time::timeout(SESSION_TIMEOUT, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(app.failure(format!("WebDriver could not start the app {}: {e}", app_bin.display()))),
            Err(_) => {
                return Err(app.failure(format!(
                    "the app {} did not open an automation session within {} s",
                    app_bin.display(),
                    SESSION_TIMEOUT.as_secs()
                )))
            }
        };
        app.client = Some(client);
        app.wait_for_document().await?;
        Ok(app)
    }

    /// The tauri-driver process id: the app and its WebKit processes run under it.
    pub fn driver_pid(&self) -> Option<u32> {
        self.procs.driver.as_ref().map(Child::id)
    }

    /// Resizes the window (WebDriver Set Window Rect) and waits until the page sees the size.
    pub async fn resize(&self, width: u32, height: u32) -> Result<()> {
        self.client()
            .set_window_size(width, height)
            .await
            .map_err(|e| E2eError::new(format!("could not resize the window to {width}×{height}: {e}")))?;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let seen = self.eval("return [window.innerWidth, window.innerHeight];").await?;
            if seen == json!([width, height]) {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(E2eError::new(format!("asked for {width}×{height}, the page sees {seen}")));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The WebDriver client, for anything the helpers here do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the WebDriver session is open until close()")
    }

    /// The Xvfb display the window is on, e.g. `:90`.
    pub fn display(&self) -> String {
        format!(":{}", self.display)
    }

    /// This launch's log directory under `tests/e2e-artifacts/`.
    pub fn artifacts_dir(&self) -> &Path {
        &self.artifacts
    }

    /// The log of tauri-driver, WebKitWebDriver and the app (their stderr).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Runs `script` (a function body; `return` a value) in the page.
    pub async fn eval(&self, script: &str) -> Result<Json> {
        match tokio::time::timeout(COMMAND_TIMEOUT, self.client().execute(script, Vec::new())).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.failure(format!("running script in the page failed: {e}\nscript: {script}"))),
            Err(_) => Err(self.failure(format!("the page did not run a script within {} s", COMMAND_TIMEOUT.as_secs()))),
        }
    }

    /// The page's visible text (`document.body.innerText`), or a note on why it could not be read.
    pub async fn page_text(&self) -> String {
        let script = "return document.body ? document.body.innerText : '(no document.body)';";
        match tokio::time::timeout(COMMAND_TIMEOUT, self.client().execute(script, Vec::new())).await {
            Ok(Ok(Json::String(s))) => s,
            Ok(Ok(other)) => other.to_string(),
            Ok(Err(e)) => format!("(could not read the page text: {e})"),
            Err(_) => "(could not read the page text: the webview did not answer)".to_string(),
        }
    }

    /// The text a person sees in `el`: its `innerText` (rendered text: nothing under
    /// `display: none` or `visibility: hidden`), or WebDriver's Get Element Text when the
    /// script cannot run. WebKitWebDriver's own answer leaves out the text of elements with
    /// `overflow: hidden` (Mantine badges, buttons, truncated text) although the page shows it.
    pub async fn text_of(&self, el: &Element) -> String {
        if let Ok(arg) = serde_json::to_value(el) {
            if let Ok(Ok(Json::String(s))) =
                tokio::time::timeout(COMMAND_TIMEOUT, self.client().execute("return arguments[0].innerText;", vec![arg])).await
            {
                return s;
            }
        }
        match tokio::time::timeout(COMMAND_TIMEOUT, el.text()).await {
            Ok(Ok(t)) => t,
            _ => String::new(),
        }
    }

    /// For a failure message: how many elements match `css`, and for the first one its box
    /// and the first ancestor that hides it (display, visibility, opacity).
    async fn why_not_displayed(&self, css: &str) -> String {
        let script = format!(
            "const all = document.querySelectorAll({}); if (!all.length) return 'none in the page';
             const el = all[0]; const r = el.getBoundingClientRect();
             let hider = null; for (let n = el; n && n.nodeType === 1; n = n.parentElement) {{
               const s = getComputedStyle(n);
               if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') {{ hider = `<${{n.tagName.toLowerCase()}} class=\"${{n.className}}\"> display=${{s.display}} visibility=${{s.visibility}} opacity=${{s.opacity}}`; break; }}
             }}
             return `${{all.length}} in the page; the first at ${{Math.round(r.x)}},${{Math.round(r.y)}} size ${{Math.round(r.width)}}x${{Math.round(r.height)}}; hidden by: ${{hider ?? 'nothing'}}`;",
            serde_json::to_string(css).unwrap_or_default()
        );
        match tokio::time::timeout(COMMAND_TIMEOUT, self.client().execute(&script, Vec::new())).await {
            Ok(Ok(Json::String(s))) => format!(" ({s})"),
            _ => String::new(),
        }
    }

    /// All elements matching `css` right now (no waiting).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        match tokio::time::timeout(COMMAND_TIMEOUT, self.client().find_all(Locator::Css(css))).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.failure(format!("finding `{css}` failed: {e}"))),
            Err(_) => Err(self.failure(format!("finding `{css}`: the webview did not answer within {} s", COMMAND_TIMEOUT.as_secs()))),
        }
    }

    /// Waits until an element matches `css` and is displayed; returns the first such one.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        let mut last_error = String::new();
        loop {
            match tokio::time::timeout(COMMAND_TIMEOUT, self.client().find_all(Locator::Css(css))).await {
                Ok(Ok(found)) => {
                    for el in found {
                        if el.is_displayed().await.unwrap_or(false) {
                            return Ok(el);
                        }
                    }
                    last_error.clear();
                }
                Ok(Err(e)) => last_error = format!(" (last WebDriver error: {e})"),
                Err(_) => last_error = " (the webview stopped answering)".to_string(),
            }
            if Instant::now() >= deadline {
                let why = self.why_not_displayed(css).await;
                return Err(self
                    .timeout_failure(format!("no displayed element matches `{css}` after {:.1} s{last_error}{why}", timeout.as_secs_f64()))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until an element matching `css` is displayed and its text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        let mut seen: Vec<String> = Vec::new();
        loop {
            if let Ok(Ok(found)) = tokio::time::timeout(COMMAND_TIMEOUT, self.client().find_all(Locator::Css(css))).await {
                seen.clear();
                for el in found {
                    if !el.is_displayed().await.unwrap_or(false) {
                        continue;
                    }
                    // WebDriver's text first; the rendered text when WebKit's misses it.
                    let mut t = el.text().await.unwrap_or_default();
                    if !t.contains(text) {
                        t = self.text_of(&el).await;
                    }
                    if t.contains(text) {
                        return Ok(el);
                    }
                    seen.push(t);
                }
            }
            if Instant::now() >= deadline {
                let seen = if seen.is_empty() {
                    "no displayed element matched".to_string()
                } else {
                    format!("matching elements had text {seen:?}")
                };
                return Err(self
                    .timeout_failure(format!(
                        "no element `{css}` with text containing {text:?} after {:.1} s; {seen}",
                        timeout.as_secs_f64()
                    ))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until exactly `count` elements match `css` (displayed or not) and returns them.
    pub async fn wait_for_count(&self, css: &str, count: usize, timeout: Duration) -> Result<Vec<Element>> {
        let deadline = Instant::now() + timeout;
        let mut last = None;
        loop {
            if let Ok(Ok(found)) = tokio::time::timeout(COMMAND_TIMEOUT, self.client().find_all(Locator::Css(css))).await {
                if found.len() == count {
                    return Ok(found);
                }
                last = Some(found.len());
            }
            if Instant::now() >= deadline {
                let last = last.map(|n| n.to_string()).unwrap_or_else(|| "no answer".to_string());
                return Err(self
                    .timeout_failure(format!(
                        "expected {count} elements `{css}` within {:.1} s, last saw {last}",
                        timeout.as_secs_f64()
                    ))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until no displayed element matches `css`.
    pub async fn wait_until_gone(&self, css: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Ok(found)) = tokio::time::timeout(COMMAND_TIMEOUT, self.client().find_all(Locator::Css(css))).await {
                let mut any = false;
                for el in found {
                    any |= el.is_displayed().await.unwrap_or(false);
                }
                if !any {
                    return Ok(());
                }
            }
            if Instant::now() >= deadline {
                return Err(self
                    .timeout_failure(format!("`{css}` is still displayed after {:.1} s", timeout.as_secs_f64()))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for `css`, then clicks it; retries while the element is not clickable yet
    /// (e.g. a modal still animating in) until `timeout`.
    pub async fn click(&self, css: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let el = self.wait_for(css, deadline.saturating_duration_since(Instant::now())).await?;
            let err = match tokio::time::timeout(COMMAND_TIMEOUT, el.click()).await {
                Ok(Ok(())) => return Ok(()),
                Ok(Err(e)) => e.to_string(),
                Err(_) => "the webview did not answer".to_string(),
            };
            if Instant::now() >= deadline {
                return Err(self.timeout_failure(format!("clicking `{css}` failed: {err}")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until `script` (a function body) returns `true` in the page: for what WebDriver
    /// misjudges, e.g. a small badge WebKitWebDriver calls "not displayed" while it is in view.
    pub async fn wait_for_script(&self, script: &str, what: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        while self.eval(script).await? != Json::Bool(true) {
            if Instant::now() > deadline {
                return Err(self.timeout_failure(format!("{what} did not happen within {:.1} s", timeout.as_secs_f64())).await);
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    /// Clicks `css` until it goes away (a button that removes itself, e.g. "load in full"): a
    /// click that lands while its drawer still slides in hits the old spot and is lost, so
    /// it is clicked again every 10 s until `timeout`.
    pub async fn click_until_gone(&self, css: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            self.click(css, deadline.saturating_duration_since(Instant::now())).await?;
            let next_try = (Instant::now() + Duration::from_secs(10)).min(deadline);
            match self.wait_until_gone(css, next_try.saturating_duration_since(Instant::now())).await {
                Err(e) if Instant::now() >= deadline => return Err(e),
                Err(_) => {}
                Ok(()) => return Ok(()),
            }
        }
    }

    /// Replaces the whole text of the CodeMirror editor inside `testid` the way a paste over
    /// a selection does (WebKit's WebDriver cannot type into a contenteditable), and checks
    /// the editor then shows exactly `text`.
    pub async fn set_editor_text(&self, testid: &str, text: &str, timeout: Duration) -> Result<()> {
        let css = format!("{} .cm-content", by_testid(testid));
        self.click(&css, timeout).await?;
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let script = format!(
            "const el = document.querySelector({}); el.focus(); document.execCommand('selectAll'); document.execCommand('insertText', false, {}); return el.textContent;",
            quote(&css),
            quote(text)
        );
        let shown = self.eval(&script).await?;
        if shown.as_str() != Some(text) {
            return Err(E2eError::new(format!("the editor shows {shown} after typing {text:?}")));
        }
        Ok(())
    }

    /// Waits for the input `css`, empties it, types `text` as key presses (so React sees
    /// real input events) and checks that the field's value reads back as `text`.
    pub async fn fill(&self, css: &str, text: &str, timeout: Duration) -> Result<Element> {
        let el = self.wait_for(css, timeout).await?;
        let current = self.value_of(&el).await?;
        if !current.is_empty() {
            // Select all + delete: unlike WebDriver's Element Clear, React sees these.
            let select_all = format!("{}a{}", char::from(Key::Control), char::from(Key::Null));
            self.send_keys(&el, css, &select_all).await?;
            self.send_keys(&el, css, &char::from(Key::Backspace).to_string()).await?;
        }
        self.send_keys(&el, css, text).await?;
        let value = self.value_of(&el).await?;
        if value != text {
            return Err(self.failure(format!("typed {text:?} into `{css}` but its value reads {value:?}")));
        }
        Ok(el)
    }

    /// Chooses `value` in the searchable select `testid`: types it, then clicks its option (a
    /// topic select lists only the first 100 of many topics until typed into). Left alone
    /// when `value` is already chosen.
    pub async fn pick_searchable(&self, testid: &str, value: &str, timeout: Duration) -> Result<()> {
        let input = by_testid(testid);
        let el = self.wait_for(&input, timeout).await?;
        if self.value_of(&el).await? == value {
            return Ok(());
        }
        self.click(&input, timeout).await?;
        self.fill(&input, value, timeout).await?;
        let option = format!("[data-combobox-option][value={}]", serde_json::to_string(value).unwrap_or_default());
        self.click(&option, timeout).await
    }

    async fn send_keys(&self, el: &Element, css: &str, keys: &str) -> Result<()> {
        match tokio::time::timeout(COMMAND_TIMEOUT, el.send_keys(keys)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(self.failure(format!("typing into `{css}` failed: {e}"))),
            Err(_) => Err(self.failure(format!("typing into `{css}`: the webview did not answer"))),
        }
    }

    /// The `value` property of an input element ("" if it has none).
    pub async fn value_of(&self, el: &Element) -> Result<String> {
        match tokio::time::timeout(COMMAND_TIMEOUT, el.prop("value")).await {
            Ok(Ok(v)) => Ok(v.unwrap_or_default()),
            Ok(Err(e)) => Err(self.failure(format!("reading an input's value failed: {e}"))),
            Err(_) => Err(self.failure("reading an input's value: the webview did not answer")),
        }
    }

    /// Moves the WebDriver pointer to the window's bottom-right corner, so the last clicked
    /// spot shows no hover highlight in a screenshot. Best effort.
    pub async fn park_pointer(&self) {
        let size = self.eval("return [window.innerWidth, window.innerHeight];").await;
        let (w, h) = match size {
            Ok(v) => (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0)),
            Err(_) => return,
        };
        if w < 4.0 || h < 4.0 {
            return;
        }
        let park = MouseActions::new("kafkadesk-e2e-pointer".to_string())
            .then(PointerAction::MoveTo { duration: None, x: (w - 2.0).floor(), y: (h - 2.0).floor() });
        if let Ok(Err(e)) = tokio::time::timeout(COMMAND_TIMEOUT, self.client().perform_actions(park)).await {
            eprintln!("[e2e] note: could not move the pointer out of the way: {e}");
        }
    }

    /// Lets the webview paint what the DOM already holds: two animation frames, then a short
    /// pause for CSS transitions. Without it a screenshot taken right after a DOM change can
    /// show the frame before it (WebKit snapshots the last painted frame).
    pub async fn settle(&self) {
        let script = "const done = arguments[arguments.length - 1];\
                      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        let frames = self.client().execute_async(script, Vec::new());
        if !matches!(tokio::time::timeout(Duration::from_secs(5), frames).await, Ok(Ok(_))) {
            eprintln!("[e2e] note: the page did not report two animation frames; screenshot may lag");
        }
        tokio::time::sleep(SETTLE).await;
    }

    /// Saves a PNG of the window to `path` (parent dirs created). Uses WebDriver's screenshot
    /// of the webview; if that fails, ImageMagick's `import -window root` on the Xvfb display.
    /// Prints which one it used.
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<ScreenshotSource> {
        let path = path.as_ref();
        self.park_pointer().await;
        self.settle().await;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| E2eError::new(format!("could not create {}: {e}", parent.display())))?;
        }
        let webdriver_error = match tokio::time::timeout(COMMAND_TIMEOUT, self.client().screenshot()).await {
            Ok(Ok(png)) if png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000 => {
                write_atomically(path, &png)?;
                eprintln!("[e2e] screenshot {} ({} bytes, via WebKit WebDriver)", path.display(), png.len());
                return Ok(ScreenshotSource::WebDriver);
            }
            Ok(Ok(png)) => format!("WebDriver returned {} bytes that are not a PNG", png.len()),
            Ok(Err(e)) => format!("WebDriver screenshot failed: {e}"),
            Err(_) => "WebDriver screenshot: the webview did not answer".to_string(),
        };
        let tmp = path.with_extension("png.tmp");
        let out = tokio::process::Command::new("import")
            .arg("-display")
            .arg(self.display())
            .args(["-window", "root"])
            .arg(format!("png:{}", tmp.display()))
            .stdin(Stdio::null())
            .output();
        let out = tokio::time::timeout(COMMAND_TIMEOUT, out).await;
        match out {
            Ok(Ok(o)) if o.status.success() && tmp.is_file() => {
                fs::rename(&tmp, path).map_err(|e| E2eError::new(format!("could not write {}: {e}", path.display())))?;
                eprintln!(
                    "[e2e] screenshot {} (via `import -window root` on {}; {webdriver_error})",
                    path.display(),
                    self.display()
                );
                Ok(ScreenshotSource::XvfbRoot)
            }
            other => {
                let _ = fs::remove_file(&tmp);
                let why = match other {
                    Ok(Ok(o)) => format!("import exited with {}: {}", o.status, String::from_utf8_lossy(&o.stderr).trim()),
                    Ok(Err(e)) => format!("could not run ImageMagick's `import`: {e}"),
                    Err(_) => "import timed out".to_string(),
                };
                Err(self.failure(format!("no screenshot for {}: {webdriver_error}; fallback: {why}", path.display())))
            }
        }
    }

    /// Ends the session (the app closes), stops tauri-driver, WebKitWebDriver and Xvfb.
    pub async fn close(mut self) -> Result<()> {
        let mut problem = None;
        if let Some(client) = self.client.take() {
            match tokio::time::timeout(SESSION_CLOSE_TIMEOUT, client.close()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => problem = Some(format!("ending the WebDriver session failed: {e}")),
                Err(_) => problem = Some("ending the WebDriver session timed out".to_string()),
            }
        }
        let mut procs = std::mem::take(&mut self.procs);
        tokio::task::spawn_blocking(move || procs.shutdown())
            .await
            .map_err(|e| E2eError::new(format!("stopping the e2e processes panicked: {e}")))?;
        match problem {
            // The processes are gone either way; a failed DELETE is worth a note, not a failure.
            Some(p) => {
                eprintln!("[e2e] note: {p} (processes were stopped anyway; log: {})", self.log.display());
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Waits for WebKitWebDriver's port to accept connections, then for tauri-driver's
    /// `/status` (asking tauri-driver first only fills its log with proxy errors).
    async fn wait_for_driver(&mut self, port: u16, native_port: u16) -> Result<()> {
        let deadline = Instant::now() + DRIVER_START_TIMEOUT;
        loop {
            if let Some(driver) = self.procs.driver.as_mut() {
                if let Ok(Some(status)) = driver.try_wait() {
                    return Err(self.failure(format!("tauri-driver exited at start with {status}")));
                }
            }
            let ready = tokio::task::spawn_blocking(move || {
                let native = SocketAddr::from(([127, 0, 0, 1], native_port));
                TcpStream::connect_timeout(&native, Duration::from_secs(1)).is_ok() && driver_ready(port)
            })
            .await
            .unwrap_or(false);
            if ready {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(self.failure(format!(
                    "tauri-driver / WebKitWebDriver did not answer on 127.0.0.1:{port} within {} s",
                    DRIVER_START_TIMEOUT.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn wait_for_document(&self) -> Result<()> {
        let deadline = Instant::now() + DOCUMENT_TIMEOUT;
        let script = "return [document.readyState, document.body ? document.body.children.length : 0, \
                      String(location.href), document.documentElement.outerHTML.slice(0, 400)];";
        loop {
            let (last, empty_page) = match tokio::time::timeout(COMMAND_TIMEOUT, self.client().execute(script, Vec::new())).await {
                Ok(Ok(v)) => {
                    let complete = v[0] == "complete";
                    let children = v[1].as_u64().unwrap_or(0);
                    if complete && children > 0 {
                        return Ok(());
                    }
                    let html = v[3].as_str().unwrap_or("").to_string();
                    (format!("readyState {}, {children} body children, url {}, html {html:?}", v[0], v[2]), complete)
                }
                Ok(Err(e)) => (e.to_string(), false),
                Err(_) => ("the webview did not answer".to_string(), false),
            };
            if Instant::now() >= deadline {
                let hint = if empty_page {
                    "\nThe page loaded but is empty. The app embeds ui/dist when it is compiled: build the UI \
                     before the app (`npm --prefix ui run build && cargo build -p kafkadesk`; `make test` does both)."
                } else {
                    ""
                };
                return Err(self
                    .timeout_failure(format!(
                        "the app's document was not ready within {} s (last: {last}){hint}",
                        DOCUMENT_TIMEOUT.as_secs()
                    ))
                    .await);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// An error with the tail of the driver/app log.
    fn failure(&self, what: impl Into<String>) -> E2eError {
        E2eError::new(format!("{}\n{}", what.into(), self.log_excerpt()))
    }

    /// An error with an excerpt of the page text and the tail of the driver/app log.
    async fn timeout_failure(&self, what: String) -> E2eError {
        // What the window looked like when the wait gave up, next to the logs.
        let shot = self.artifacts.join("timeout.png");
        let shot = match self.screenshot(&shot).await {
            Ok(_) => format!("--- screenshot: {} ---\n", shot.display()),
            Err(_) => String::new(),
        };
        let what = format!("{what}\n{shot}");
        let text = self.page_text().await;
        let excerpt: String = text.chars().take(PAGE_TEXT_EXCERPT).collect();
        let more = if text.chars().count() > PAGE_TEXT_EXCERPT { "\n…" } else { "" };
        E2eError::new(format!("{what}\n--- page text ---\n{excerpt}{more}\n{}", self.log_excerpt()))
    }

    fn log_excerpt(&self) -> String {
        format!(
            "--- tauri-driver / WebKitWebDriver / app log: {} (last {LOG_TAIL_LINES} lines) ---\n{}",
            self.log.display(),
            tail_file(&self.log, LOG_TAIL_LINES)
        )
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.procs.is_empty() {
            return;
        }
        if thread::panicking() {
            eprintln!("[e2e] test failed with the app open; {}", self.log_excerpt());
        }
        // No session DELETE here (that needs the async runtime): SIGTERM to tauri-driver's
        // process group ends WebKitWebDriver and the app as well.
        self.client.take();
        self.procs.shutdown();
    }
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/// The processes of one launch. `shutdown` is idempotent, and runs on drop.
#[derive(Default)]
struct Procs {
    /// tauri-driver, leader of a process group that also holds WebKitWebDriver and the app.
    driver: Option<Child>,
    xvfb: Option<Child>,
    /// Stops the others if this test process dies without unwinding.
    watchdog: Option<Child>,
}

impl Procs {
    fn is_empty(&self) -> bool {
        self.driver.is_none() && self.xvfb.is_none() && self.watchdog.is_none()
    }

    fn shutdown(&mut self) {
        if let Some(driver) = self.driver.take() {
            stop_group(driver);
        }
        if let Some(xvfb) = self.xvfb.take() {
            stop_group(xvfb);
        }
        // The watchdog last: should this process die halfway through the above, it still
        // cleans up. (It only acts once this process is gone.)
        if let Some(mut w) = self.watchdog.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
    }
}

impl Drop for Procs {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// SIGTERM to the child's process group, wait up to [`STOP_GRACE`] for the child, then
/// SIGKILL whatever is left of the group, and reap the child.
fn stop_group(child: Child) {
    process::stop_group(child, STOP_GRACE);
}

/// A detached `sh` that waits for this test process to go, then stops the driver's process
/// group and Xvfb. Killed by [`Procs::shutdown`] on a normal close.
fn spawn_watchdog(driver_pgid: u32, xvfb_pid: Option<u32>) -> Option<Child> {
    let mut targets = vec![format!("-{driver_pgid}")];
    targets.extend(xvfb_pid.map(|p| p.to_string()));
    process::Watchdog {
        name: "kafkadesk-e2e-watchdog",
        watched: std::process::id(),
        targets,
        pid_file: None,
        grace: Duration::from_secs(3),
        remove_dir: None,
    }
    .spawn()
    .ok()
}

/// Starts `Xvfb :N` on the first free display from 90 upward; returns it and N once its
/// socket accepts connections.
fn start_xvfb(log: &Path) -> Result<(Child, u32)> {
    let mut tried = Vec::new();
    for n in DISPLAYS {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| E2eError::new(format!("could not create {}: {e}", log.display())))?;
        let err = out.try_clone().map_err(|e| E2eError::new(format!("{}: {e}", log.display())))?;
        let mut child = match Command::new("Xvfb")
            .arg(format!(":{n}"))
            .args(["-screen", "0", SCREEN, "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(E2eError::new("Xvfb is not installed: install Debian's `xvfb` (scripts/install-deps.sh does)."))
            }
            Err(e) => return Err(E2eError::new(format!("could not start Xvfb: {e}"))),
        };
        let deadline = Instant::now() + XVFB_START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                // Most likely another server took this display between our check and its start.
                tried.push(format!(":{n} ({status})"));
                break;
            }
            if UnixStream::connect(&socket).is_ok() {
                return Ok((child, n));
            }
            if Instant::now() >= deadline {
                stop_group(child);
                return Err(E2eError::new(format!(
                    "Xvfb :{n} did not open {} within {} s\n--- {} ---\n{}",
                    socket.display(),
                    XVFB_START_TIMEOUT.as_secs(),
                    log.display(),
                    tail_file(log, LOG_TAIL_LINES)
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }
        if tried.len() >= 5 {
            break;
        }
    }
    Err(E2eError::new(format!(
        "no free X display for Xvfb in :{}..:{} (exited on {}).\n--- {} ---\n{}",
        DISPLAYS.start,
        DISPLAYS.end - 1,
        if tried.is_empty() { "none: all were taken".to_string() } else { tried.join(", ") },
        log.display(),
        tail_file(log, LOG_TAIL_LINES)
    )))
}

/// Whether the WebDriver at `port` answers `GET /status` with `ready: true`.
fn driver_ready(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(3)));
    let request = format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = Vec::new();
    let _ = stream.take(64 * 1024).read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    response.starts_with("HTTP/1.1 200") && response.replace(' ', "").contains("\"ready\":true")
}

fn free_port() -> Result<u16> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| E2eError::new(format!("could not find a free port on 127.0.0.1: {e}")))
}

/// `tests/e2e-artifacts/<time>-<pid>-<n>-<config dir hash>/`.
fn new_artifacts_dir(config_dir: &Path) -> Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let mut h = DefaultHasher::new();
    config_dir.hash(&mut h);
    let dir = artifacts_root().join(format!("{secs}-{}-{n}-{:06x}", std::process::id(), h.finish() & 0xff_ffff));
    fs::create_dir_all(&dir).map_err(|e| E2eError::new(format!("could not create {}: {e}", dir.display())))?;
    Ok(dir)
}

fn set_mode_0700(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    process::write_atomically(path, bytes).map_err(|e| E2eError::new(format!("could not write {}: {e}", path.display())))
}

/// The last `lines` lines of a file (reads at most its last 256 KiB), or why it could not be read.
fn tail_file(path: &Path, lines: usize) -> String {
    match process::tail_file(path, lines) {
        Ok(t) if t.trim().is_empty() => "(empty)".to_string(),
        Ok(t) => t.trim_end().to_string(),
        Err(e) => format!("(unreadable: {e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn testid_selector() {
        assert_eq!(by_testid("broker-row"), r#"[data-testid="broker-row"]"#);
        assert_eq!(by_testid(r#"a"b"#), r#"[data-testid="a\"b"]"#);
    }
}
