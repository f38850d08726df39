//! What script in the webview can reach (issue 9): our commands only, and through them no
//! file the user did not pick in the native dialog. Checked in the real window, through
//! Tauri's real IPC and ACL.

use std::time::{Duration, Instant};

use kafkadesk_tests::e2e::{by_testid, E2eError};

use crate::{fresh_config_dir, launch_fresh, one_window, screenshot_path, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test]
async fn the_webview_reaches_no_file_and_no_plugin() -> TestResult {
    let _window = one_window().await;
    let config = fresh_config_dir("hardening");
    let app = launch_fresh(&config).await?;
    app.wait_for(&by_testid("app-title"), UI).await?;

    // Each call as a script injected into the page would make it; outcomes kept on window.
    let probe = r#"
        window.__kdProbe = null;
        const invoke = window.__TAURI_INTERNALS__.invoke;
        Promise.allSettled([
          invoke('profiles_import', { path: '/etc/passwd' }),
          invoke('profiles_export', { path: '/tmp/kafkadesk-e2e-overwrite.json' }),
          invoke('plugin:dialog|open', { options: {} }),
          invoke('plugin:event|listen', { event: 'x', target: { kind: 'Any' }, handler: 0 }),
        ]).then((results) => {
          window.__kdProbe = results.map((r) => r.status + ': ' + JSON.stringify(r.status === 'rejected' ? r.reason : r.value));
        });
        return true;
    "#;
    app.eval(probe).await?;
    let deadline = Instant::now() + UI;
    let outcomes = loop {
        let v = app.eval("return window.__kdProbe;").await?;
        if let Some(list) = v.as_array() {
            break list.iter().map(|o| o.as_str().unwrap_or_default().to_string()).collect::<Vec<_>>();
        }
        if Instant::now() > deadline {
            return Err(E2eError::new("the IPC probe never finished").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!("IPC probe: {outcomes:#?}");
    assert_eq!(outcomes.len(), 4);
    for (i, what) in ["read /etc/passwd", "write a file never picked"].iter().enumerate() {
        assert!(outcomes[i].starts_with("rejected") && outcomes[i].contains("file dialog"), "{what}: {}", outcomes[i]);
    }
    assert!(!std::path::Path::new("/tmp/kafkadesk-e2e-overwrite.json").exists(), "nothing was written");
    for (i, what) in [(2, "the dialog plugin"), (3, "core events")] {
        assert!(outcomes[i].starts_with("rejected") && outcomes[i].contains("not allowed"), "{what}: {}", outcomes[i]);
    }

    // The header's help menu: where the logs are, and diagnostics to copy.
    app.click(&by_testid("diagnostics-button"), UI).await?;
    app.wait_for(&by_testid("copy-diagnostics"), UI).await?;
    app.wait_for(&by_testid("open-logs-folder"), UI).await?;
    app.screenshot(screenshot_path("diagnostics-menu.png")).await?;
    app.close().await?;
    Ok(())
}
