//! The equivalent commands of each step, for the record (osmo-api.md §2, product.md §5): what an
//! admin would type to do the same by hand. Secret values appear as `<redacted>`.

use osmo_admin_osmo_client::Dialect;

use super::{Setup, StepId};

/// Quotes `word` for a POSIX shell when needed.
fn sh(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@,+<>".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn line(words: &[&str]) -> String {
    words.iter().map(|w| sh(w)).collect::<Vec<_>>().join(" ")
}

/// helm's argument lists for step 3: repo add, repo update, upgrade --install.
pub(crate) fn helm_args(setup: &Setup) -> Vec<Vec<String>> {
    let p = &setup.plan;
    let h = &p.helm;
    let values = setup.values_path().display().to_string();
    let mut upgrade: Vec<String> = [
        "upgrade",
        "--install",
        &h.release,
        &h.chart,
        "-f",
        &values,
        "--version",
        &h.version,
        "--namespace",
        &p.operator_namespace,
    ]
    .map(str::to_owned)
    .to_vec();
    if let Some(kubeconfig) = &h.kubeconfig {
        upgrade.extend(["--kubeconfig".into(), kubeconfig.display().to_string()]);
    }
    upgrade.extend(["--kube-context".into(), setup.context.name.clone()]);
    vec![
        vec![
            "repo".into(),
            "add".into(),
            h.repo_name.clone(),
            h.repo_url.clone(),
        ],
        vec!["repo".into(), "update".into()],
        upgrade,
    ]
}

pub(crate) fn commands(setup: &Setup, step: StepId) -> Vec<String> {
    let p = &setup.plan;
    let t = &p.token;
    match step {
        StepId::Token => match (setup.session.dialect(), &t.owner) {
            (Dialect::V6_2, Some(owner)) => vec![
                format!(
                    "osmo user create {} --roles {}",
                    sh(owner),
                    t.roles.iter().map(|r| sh(r)).collect::<Vec<_>>().join(" ")
                ),
                token_set(setup, &["--user", owner]),
            ],
            _ => vec![token_set(setup, &["--service"])],
        },
        StepId::Cluster => vec![
            line(&["kubectl", "create", "namespace", &p.operator_namespace]),
            line(&["kubectl", "create", "namespace", &p.workflow_namespace]),
            format!(
                "{} --from-literal={}=<redacted>",
                line(&[
                    "kubectl",
                    "create",
                    "secret",
                    "generic",
                    &p.secret_name,
                    "-n",
                    &p.operator_namespace
                ]),
                sh(&p.secret_key)
            ),
        ],
        StepId::Operator => helm_args(setup)
            .into_iter()
            .map(|args| {
                format!(
                    "helm {}",
                    args.iter().map(|a| sh(a)).collect::<Vec<_>>().join(" ")
                )
            })
            .collect(),
        StepId::Scheduler => vec![format!(
            "{} --file scheduler_settings.json --description {}",
            line(&["osmo", "config", "update", "BACKEND", &p.backend_name]),
            sh(&p.scheduler.description)
        )],
        StepId::Online => vec![line(&[
            "osmo",
            "config",
            "show",
            "BACKEND",
            &p.backend_name,
        ])],
    }
}

fn token_set(setup: &Setup, who: &[&str]) -> String {
    let t = &setup.plan.token;
    let mut words = vec![
        "osmo",
        "token",
        "set",
        &t.name,
        "--expires-at",
        &t.expires_at,
        "--description",
        &t.description,
    ];
    words.extend(who);
    let mut s = line(&words);
    s.push_str(" --roles");
    for r in &t.roles {
        s.push(' ');
        s.push_str(&sh(r));
    }
    s.push_str(" -t json");
    s
}

#[cfg(test)]
mod tests {
    use super::sh;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(sh("osmo-operator"), "osmo-operator");
        assert_eq!(sh("Backend Operator Token"), "'Backend Operator Token'");
        assert_eq!(sh("it's"), r"'it'\''s'");
        assert_eq!(sh(""), "''");
    }
}
