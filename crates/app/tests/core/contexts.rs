//! Linking a backend to its cluster's context: refused, naming what is wrong and saving nothing,
//! for a context no kubeconfig file defines and for an operator namespace that is not a valid
//! name; a good link is kept in the settings and listed for its service and backend only.

use osmo_admin_app::contexts;
use osmo_admin_app::KubeEnv;
use osmo_admin_core::{BackendRef, ErrorCode};

use crate::TestCore;

const KUBECONFIG: &str = r#"apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: lab-ctx
  context:
    cluster: lab
    user: lab
current-context: lab-ctx
users:
- name: lab
  user:
    token: not-a-real-token
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_backend_refuses_an_unknown_context_and_a_bad_namespace_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".kube")).unwrap();
    std::fs::write(home.join(".kube/config"), KUBECONFIG).unwrap();
    let kube_env = KubeEnv {
        kubeconfig: None,
        home: Some(home),
    };
    let t = TestCore::start_with(dir, kube_env).await;
    let core = &t.core;
    let gpu = BackendRef::new("lab", "gpu-east");
    let settings_file = core.paths.settings_file();
    let saved = || std::fs::read_to_string(&settings_file).unwrap_or_default();

    let unknown = contexts::link_backend(core, gpu.clone(), "nope".into(), None).unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound, "{unknown:?}");
    assert!(unknown.message.contains("nope"), "{}", unknown.message);

    let bad = contexts::link_backend(
        core,
        gpu.clone(),
        "lab-ctx".into(),
        Some("Osmo_Operator".into()),
    )
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput, "{bad:?}");
    assert!(
        bad.message.starts_with("operatorNamespace "),
        "the field is named: {}",
        bad.message
    );
    assert!(bad.message.contains("Osmo_Operator"), "{}", bad.message);
    assert!(contexts::list(core).links.is_empty());
    assert!(!saved().contains("gpu-east"), "nothing saved: {}", saved());

    let view = contexts::link_backend(core, gpu.clone(), "lab-ctx".into(), Some("osmo-op".into()))
        .unwrap();
    assert_eq!(view.links.len(), 1, "{:?}", view.links);
    let link = &view.links[0];
    assert!(link.is_for(&gpu));
    assert!(!link.is_for(&BackendRef::new("other", "gpu-east")));
    assert_eq!(
        (link.context(), link.operator_namespace()),
        ("lab-ctx", "osmo-op")
    );
    assert!(saved().contains("osmo-op"), "{}", saved());

    // Unlinking the same backend of another service leaves this link alone.
    let view = contexts::unlink_backend(core, BackendRef::new("other", "gpu-east")).unwrap();
    assert_eq!(view.links.len(), 1, "{:?}", view.links);
    let view = contexts::unlink_backend(core, gpu).unwrap();
    assert!(view.links.is_empty(), "{:?}", view.links);
}
