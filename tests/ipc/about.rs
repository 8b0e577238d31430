use serde_json::json;

use crate::TestApp;

#[test]
fn about_reports_version_and_the_apps_folders() {
    let app = TestApp::start();
    let about = app.invoke("about", json!({})).unwrap();
    let paths = app.paths();
    assert_eq!(about["name"], "OSMO Backend Admin");
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert!(about["tauriVersion"].as_str().unwrap().starts_with('2'));
    assert_eq!(about["configDir"], paths.config_dir.display().to_string());
    assert_eq!(
        about["settingsFile"],
        paths.settings_file().display().to_string()
    );
    assert_eq!(about["dataDir"], paths.data_dir.display().to_string());
    assert_eq!(about["logDir"], paths.log_dir.display().to_string());
}
