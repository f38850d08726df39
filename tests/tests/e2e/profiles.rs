//! Saved connections as a first start shows them.

use kafkadesk_tests::e2e::by_testid;

use crate::{fresh_config_dir, launch_fresh, one_window, screenshot_path, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test]
async fn first_start_lists_local_sandbox() -> TestResult {
    let _window = one_window().await;
    let config = fresh_config_dir("first-start");
    let app = launch_fresh(&config).await?;

    app.wait_for(&by_testid("connections-list"), UI).await?;
    let sandbox = format!("{}[data-profile-name=\"Local sandbox\"]", by_testid("connection-item"));
    let item = app.wait_for(&sandbox, UI).await?;
    assert_eq!(app.find_all(&sandbox).await?.len(), 1, "one Local sandbox entry on a fresh store");
    assert!(
        !item.find_all(fantoccini::Locator::Css(&by_testid("connection-connect"))).await?.is_empty(),
        "the Local sandbox entry has a connect button"
    );

    app.screenshot(screenshot_path("first-start.png")).await?;
    app.close().await?;
    Ok(())
}
