use serde_json::json;

use crate::TestApp;

#[test]
fn the_sandbox_is_off_until_started_then_reports_its_world_and_stops() {
    let app = TestApp::start();
    assert_eq!(
        app.invoke("sandbox_status", json!({})).unwrap()["state"],
        "off"
    );

    let view = app.invoke("start_sandbox", json!({})).unwrap();
    assert_eq!(view["state"], "running", "{view}");
    let services = view["services"].as_array().unwrap();
    let versions: Vec<_> = services
        .iter()
        .map(|s| s["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["6.0.0", "6.4.0"]);
    let dgx = services[0]["backends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "dgx-lab")
        .unwrap();
    assert_eq!(dgx["online"], false);
    assert_eq!(dgx["operator"], "none");
    let token = &services[1]["tokens"][0];
    assert!(token["expiresAt"].as_str().unwrap().len() == 10, "{token}");
    assert!(
        !view.to_string().contains("\"value\""),
        "no token value crosses IPC: {view}"
    );

    assert_eq!(
        app.invoke("stop_sandbox", json!({})).unwrap()["state"],
        "off"
    );
}
