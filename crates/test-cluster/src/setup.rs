//! Small setup helpers for the objects tests need before the code under test runs
//! (the guide's step 2: `kubectl create namespace ...`, `kubectl create secret generic ...`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{ObjectMeta, PostParams};
use kube::Api;

use crate::{Error, TestCluster};

impl TestCluster {
    /// Creates namespace `name` (as cluster-admin). Fails with a 409 [`Error::Kube`] if it exists.
    pub async fn create_namespace(&self, name: &str) -> Result<Namespace, Error> {
        let namespace = Namespace {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        Ok(Api::<Namespace>::all(self.client().await?)
            .create(&PostParams::default(), &namespace)
            .await?)
    }

    /// Creates an Opaque Secret like `kubectl create secret generic NAME -n NAMESPACE --from-literal=K=V ...`.
    pub async fn create_secret(
        &self,
        namespace: &str,
        name: &str,
        data: &[(&str, &str)],
    ) -> Result<Secret, Error> {
        let secret = Secret {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            type_: Some("Opaque".into()),
            string_data: Some(
                data.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ..Default::default()
        };
        Ok(Api::<Secret>::namespaced(self.client().await?, namespace)
            .create(&PostParams::default(), &secret)
            .await?)
    }
}
