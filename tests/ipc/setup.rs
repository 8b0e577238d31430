//! The Setup screen's commands against osmo-sim (development-mode session) and the real API
//! server: on a fresh cluster every step is "not done" with its commands; a broken form names
//! its fields; step 1 then step 2 (run in the background, log streamed as `setup-log`, end as
//! `setup-step-finished`) create the token, the namespaces and the Secret; the progress is
//! saved; helm missing answers the values file and the commands; step 5 without an operator
//! ends with the offline checks, and a long wait is stopped with `cancel_operation` of gpu's setup
//! (a second run meanwhile is refused); and a context that may not create namespaces is caught
//! by the preflight.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::Api;
use osmo_admin_test_cluster::{HelmSandbox, TestCluster};
use osmo_sim::{Dialect, SimConfig, Simulator};
use serde_json::{json, Value};
use tauri::async_runtime::block_on;

use crate::TestApp;

static CLUSTER: OnceLock<TestCluster> = OnceLock::new();

fn cluster() -> &'static TestCluster {
    CLUSTER.get_or_init(|| {
        block_on(TestCluster::start()).unwrap_or_else(|e| panic!("starting the test cluster: {e}"))
    })
}

/// A complete form (camelCase, as the UI sends it).
pub fn plan_json(backend: &str, url: &str) -> Value {
    let resources = json!({"cpuRequest": "1", "memoryRequest": "1Gi", "memoryLimit": "1Gi"});
    json!({
        "backendName": backend,
        "operatorNamespace": "osmo-operator",
        "workflowNamespace": "osmo-workflows",
        "secretName": "osmo-operator-token",
        "secretKey": "token",
        "tokenName": format!("{backend}-operator-token"),
        "tokenOwner": null,
        "tokenExpiresAt": (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string(),
        "imageTag": "6.0.0",
        "imagePullSecret": "",
        "serviceUrl": url,
        "listener": resources,
        "worker": resources,
        "helmPath": "helm",
        "chartVersion": "1.4.0",
        "chartRepoUrl": "https://helm.ngc.nvidia.com/nvidia/osmo",
        "release": "osmo-operator",
        "onlineTimeoutSecs": 5,
        "scheduler": null,
        "schedulerDescription": "Scheduler settings from the backend setup"
    })
}

fn app_with(kubeconfig: &std::path::Path) -> TestApp {
    let kube_env = osmo_admin_app::KubeEnv {
        kubeconfig: Some(kubeconfig.as_os_str().to_owned()),
        home: None,
    };
    TestApp::start_with(tempfile::tempdir().unwrap(), kube_env)
}

/// Signs the app in to `sim` in development mode as session `lab`.
fn sign_in(app: &TestApp, url: &str) {
    let id = app
        .invoke("add_service", json!({"name": "lab", "url": url}))
        .unwrap();
    app.invoke(
        "sign_in_development",
        json!({"service": id.as_str().unwrap(), "user": "ana"}),
    )
    .unwrap();
}

fn first_context(app: &TestApp) -> String {
    let contexts = app.invoke("list_contexts", json!({})).unwrap();
    contexts["contexts"][0]["name"].as_str().unwrap().to_owned()
}

/// Runs `step` and waits for its `setup-step-finished`.
fn run_step(
    app: &TestApp,
    finished: &Arc<Mutex<Vec<Value>>>,
    plan: &Value,
    context: &str,
    step: &str,
    confirmation: Option<&str>,
) -> Value {
    let started = app
        .invoke(
            "run_setup_step",
            json!({"plan": plan, "service": "lab", "context": context, "step": step, "confirmation": confirmation}),
        )
        .unwrap();
    assert_eq!(started["outcome"], "started", "{started}");
    assert_eq!(
        started["operation"],
        json!({"kind": "setup", "backend": {"service": "lab", "backend": "gpu"}})
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let end = {
            let mut seen = finished.lock().unwrap();
            let end = seen.iter().find(|e| e["step"] == step).cloned();
            seen.retain(|e| e["step"] != step);
            end
        };
        if let Some(end) = end {
            return end;
        }
        assert!(Instant::now() < deadline, "step {step} did not finish");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_fresh_cluster_is_checked_then_steps_1_and_2_create_the_token_namespaces_and_secret() {
    let cluster = cluster();
    let sim = block_on(Simulator::start(SimConfig::new(Dialect::V6_0))).unwrap();
    let helm = HelmSandbox::new().unwrap();
    let app = app_with(cluster.kubeconfig_path());
    sign_in(&app, &sim.base_url());
    let context = first_context(&app);
    let logs = app.listen("setup-log");
    let finished = app.listen("setup-step-finished");

    let answer = app
        .invoke(
            "setup_defaults",
            json!({"service": "lab", "backend": "gpu"}),
        )
        .unwrap();
    // Step 4's form: the 6.0/6.1 fields, starting from the guide's KAI settings.
    assert_eq!(answer["dialect"], "6.0/6.1");
    let fields: Vec<&str> = answer["schedulerFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "scheduler_type",
            "scheduler_name",
            "coscheduling",
            "scheduler_timeout"
        ]
    );
    assert_eq!(answer["plan"]["scheduler"], answer["kaiPreset"]);
    assert_eq!(answer["kaiPreset"]["schedulerType"], "kai");
    let defaults = answer["plan"].clone();
    assert_eq!(defaults["backendName"], "gpu");
    assert_eq!(defaults["operatorNamespace"], "osmo-operator");
    assert_eq!(
        defaults["serviceUrl"].as_str().unwrap(),
        sim.base_url().trim_end_matches('/')
    );
    let mut plan = defaults;
    plan["operatorNamespace"] = json!("ipc-setup-op");
    plan["workflowNamespace"] = json!("ipc-setup-wf");
    plan["release"] = json!("ipc-setup");
    plan["helmPath"] = json!(helm.helm_path());
    plan["onlineTimeoutSecs"] = json!(5);

    // A broken form names its fields; nothing is contacted.
    let mut broken = plan.clone();
    broken["imageTag"] = json!("6.0 beta");
    broken["listener"]["cpuRequest"] = json!("");
    broken["scheduler"]["schedulerType"] = json!("default");
    broken["scheduler"]["coscheduling"] = json!(true);
    broken["schedulerDescription"] = json!(" ");
    let answer = app
        .invoke(
            "check_setup",
            json!({"plan": broken, "service": "lab", "context": context}),
        )
        .unwrap();
    assert_eq!(answer["outcome"], "invalid", "{answer}");
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "imageTag",
            "listener.cpuRequest",
            "schedulerDescription",
            "scheduler.coscheduling"
        ]
    );

    let checked = app
        .invoke(
            "check_setup",
            json!({"plan": plan, "service": "lab", "context": context}),
        )
        .unwrap();
    assert_eq!(checked["outcome"], "checked", "{checked}");
    assert_eq!(checked["preflight"]["ready"], true, "{checked}");
    assert!(!checked["preflight"]["checks"]
        .as_array()
        .unwrap()
        .is_empty());
    let steps = checked["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    for step in steps {
        assert_eq!(step["status"], "not_done", "{step}");
        assert!(step["whatItWillDo"].as_str().is_some(), "{step}");
        assert!(!step["commands"].as_array().unwrap().is_empty(), "{step}");
    }
    assert!(steps[1]["commands"][0]
        .as_str()
        .unwrap()
        .contains("kubectl create namespace ipc-setup-op"));
    assert!(checked["valuesFile"]
        .as_str()
        .unwrap()
        .ends_with("setup/lab/gpu-values.yaml"));

    let end = run_step(&app, &finished, &plan, &context, "token", None);
    assert_eq!(end["result"]["outcome"], "done", "{end}");
    let end = run_step(&app, &finished, &plan, &context, "cluster", None);
    assert_eq!(end["result"]["outcome"], "done", "{end}");

    let client = block_on(cluster.client()).unwrap();
    let namespaces: Api<Namespace> = Api::all(client.clone());
    for ns in ["ipc-setup-op", "ipc-setup-wf"] {
        assert!(
            block_on(namespaces.get_opt(ns)).unwrap().is_some(),
            "{ns} missing"
        );
    }
    let secrets: Api<Secret> = Api::namespaced(client, "ipc-setup-op");
    let secret = block_on(secrets.get("osmo-operator-token")).unwrap();
    let value = String::from_utf8(secret.data.unwrap()["token"].0.clone()).unwrap();
    assert!(!value.trim().is_empty());

    // The log streamed both steps, and never the token.
    let lines = logs.lock().unwrap().clone();
    for step in ["token", "cluster"] {
        assert!(
            lines
                .iter()
                .any(|l| l["step"] == step && l["backend"]["backend"] == "gpu"),
            "no log of {step}: {lines:?}"
        );
    }
    let all = serde_json::to_string(&lines).unwrap();
    assert!(!all.contains(value.trim()), "a log line holds the token");

    // The progress is saved (no token in it) and says what is next.
    let progress = app
        .invoke(
            "setup_progress",
            json!({"backend": {"service": "lab", "backend": "gpu"}}),
        )
        .unwrap();
    assert_eq!(progress["nextStep"], "operator", "{progress}");
    assert_eq!(progress["plan"]["operatorNamespace"], "ipc-setup-op");
    assert_eq!(
        progress["session"], "lab",
        "resuming picks the same session"
    );
    assert_eq!(progress["context"], json!(context), "and the same context");
    assert!(!progress.to_string().contains(value.trim()));
    assert_eq!(
        app.invoke(
            "setup_progress",
            json!({"backend": {"service": "lab", "backend": "other"}})
        )
        .unwrap(),
        Value::Null
    );

    // Steps 1 and 2 are done now; running step 2 again changes nothing.
    let checked = app
        .invoke(
            "check_setup",
            json!({"plan": plan, "service": "lab", "context": context}),
        )
        .unwrap();
    assert_eq!(checked["steps"][1]["status"], "done", "{checked}");
    let end = run_step(&app, &finished, &plan, &context, "cluster", None);
    assert_eq!(end["result"]["outcome"], "already_done", "{end}");

    // Without helm: the values file and the exact commands.
    let mut no_helm = plan.clone();
    no_helm["helmPath"] = json!("/nonexistent/bin/helm");
    let end = run_step(&app, &finished, &no_helm, &context, "operator", None);
    let result = &end["result"];
    assert_eq!(result["outcome"], "helm_missing", "{end}");
    assert!(result["valuesFile"]
        .as_str()
        .unwrap()
        .ends_with("gpu-values.yaml"));
    let commands = result["commands"].as_array().unwrap();
    assert!(commands.iter().any(|c| c
        .as_str()
        .unwrap()
        .starts_with("helm upgrade --install ipc-setup")));

    // The values file can be saved in any existing folder (absolute paths only); a file already
    // there is replaced only when the user confirmed, and no folder is made.
    let path = app.dir.path().join("values.yaml");
    std::fs::write(&path, "mine").unwrap();
    let save = |replace: bool| {
        app.invoke(
            "save_values_file",
            json!({"service": "lab", "plan": plan, "path": path.display().to_string(), "replace": replace}),
        )
    };
    let shown = path.display().to_string();
    assert_eq!(
        save(false).unwrap(),
        json!({"outcome": "exists", "path": shown})
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    assert_eq!(
        save(true).unwrap(),
        json!({"outcome": "saved", "path": shown})
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("backendName: gpu"), "{text}");
    assert!(!text.contains(value.trim()));
    let nowhere = app.dir.path().join("out/values.yaml");
    assert!(app
        .invoke(
            "save_values_file",
            json!({"service": "lab", "plan": plan, "path": nowhere.display().to_string(), "replace": false}),
        )
        .is_err());
    assert!(!app.dir.path().join("out").exists());
    let mut outside = plan.clone();
    outside["backendName"] = json!("../../escape");
    let refused = app
        .invoke(
            "save_values_file",
            json!({"service": "lab", "plan": outside, "path": null, "replace": false}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "{refused}");

    // Step 5 never sees the backend (no operator): after the wait, the offline checks.
    let mut short = plan.clone();
    short["onlineTimeoutSecs"] = json!(1);
    let end = run_step(&app, &finished, &short, &context, "online", None);
    let result = &end["result"];
    assert_eq!(result["outcome"], "not_online", "{end}");
    assert!(!result["diagnosis"]["checks"].as_array().unwrap().is_empty());

    // A long wait is stopped by name; a second run of the backend is refused meanwhile.
    let mut long = plan.clone();
    long["onlineTimeoutSecs"] = json!(120);
    let args = json!({"plan": long, "service": "lab", "context": context, "step": "online"});
    let started = app.invoke("run_setup_step", args.clone()).unwrap();
    assert_eq!(started["outcome"], "started", "{started}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !logs.lock().unwrap().iter().any(|l| {
        l["step"] == "online"
            && l["text"]
                .as_str()
                .unwrap()
                .starts_with("Waiting up to 120 s")
    }) {
        assert!(Instant::now() < deadline, "step 5 did not start waiting");
        std::thread::sleep(Duration::from_millis(100));
    }
    let refused = app.invoke("run_setup_step", args).unwrap_err();
    assert_eq!(refused["code"], "conflict", "{refused}");
    assert_eq!(
        app.invoke(
            "cancel_operation",
            json!({"operation": {"kind": "setup", "backend": {"service": "lab", "backend": "gpu"}}})
        )
        .unwrap(),
        json!(true)
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let end = loop {
        let end = finished
            .lock()
            .unwrap()
            .iter()
            .find(|e| e["step"] == "online")
            .cloned();
        if let Some(end) = end {
            break end;
        }
        assert!(Instant::now() < deadline, "step 5 did not stop");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(end["result"]["outcome"], "failed", "{end}");
    assert_eq!(end["result"]["error"]["code"], "cancelled", "{end}");
}

#[test]
fn a_context_that_may_not_create_namespaces_is_caught_by_the_preflight() {
    let cluster = cluster();
    let sim = block_on(Simulator::start(SimConfig::new(Dialect::V6_0))).unwrap();
    let user = block_on(cluster.add_user("setup-viewer")).unwrap();
    block_on(cluster.bind_cluster_role(&user, "view", None)).unwrap();
    let app = app_with(user.kubeconfig_path());
    sign_in(&app, &sim.base_url());
    let context = first_context(&app);
    assert_eq!(context, "setup-viewer");
    let mut plan = plan_json("gpu", &sim.base_url());
    plan["operatorNamespace"] = json!("ipc-viewer-op");
    plan["workflowNamespace"] = json!("ipc-viewer-wf");
    let checked = app
        .invoke(
            "check_setup",
            json!({"plan": plan, "service": "lab", "context": context}),
        )
        .unwrap();
    assert_eq!(checked["outcome"], "checked", "{checked}");
    let preflight = &checked["preflight"];
    assert_eq!(preflight["ready"], false, "{preflight}");
    let missing: Vec<&str> = preflight["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(
        missing.iter().any(|m| m.contains("create namespaces")),
        "{missing:?}"
    );
    let create_ns = preflight["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["verb"] == "create" && c["resource"] == "namespaces")
        .unwrap();
    assert_eq!(create_ns["allowed"], false);
}

#[test]
fn a_backend_that_reports_online_in_step_5_is_linked_to_its_context_and_namespace() {
    let cluster = cluster();
    let sim = block_on(Simulator::start(
        SimConfig::new(Dialect::V6_0).backend(osmo_sim::SeedBackend::new("gpu").keep_alive()),
    ))
    .unwrap();
    let app = app_with(cluster.kubeconfig_path());
    sign_in(&app, &sim.base_url());
    let context = first_context(&app);
    let logs = app.listen("setup-log");
    let finished = app.listen("setup-step-finished");
    let mut plan = plan_json("gpu", &sim.base_url());
    plan["operatorNamespace"] = json!("ipc-online-op");
    let linked = |app: &TestApp| {
        app.invoke("list_contexts", json!({})).unwrap()["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["backend"] == "gpu")
            .cloned()
    };
    assert!(linked(&app).is_none(), "not linked before setup");

    let end = run_step(&app, &finished, &plan, &context, "online", None);
    assert!(
        ["done", "already_done"].contains(&end["result"]["outcome"].as_str().unwrap()),
        "{end}"
    );
    let link = linked(&app).expect("linked once online");
    assert_eq!(link["context"], context.as_str());
    assert_eq!(link["operatorNamespace"], "ipc-online-op");
    assert!(logs.lock().unwrap().iter().any(|l| l["step"] == "online"
        && l["text"]
            .as_str()
            .unwrap()
            .starts_with("Linked gpu to context")));

    // A second run finds the link and leaves it as it is.
    let mut moved = plan.clone();
    moved["operatorNamespace"] = json!("elsewhere-op");
    run_step(&app, &finished, &moved, &context, "online", None);
    assert_eq!(linked(&app).unwrap()["operatorNamespace"], "ipc-online-op");
}
