//! The files a context's kubeconfig names (certificate authority, client certificate and key, token
//! file), read by the app and put inline before kube-rs sees the configuration.
//!
//! kube-rs would read them itself, with no check: a FIFO blocks it forever and `/dev/zero` fills
//! memory. Here each is read as a regular file of bounded size ([`crate::pointed_file`]); the caller
//! runs this on a blocking thread under the call's time limit. A token file is trimmed of surrounding
//! whitespace, as kubectl does (a token file ending in a newline is usual).
//!
//! Non-goals: re-reading a token file that rotates (a client is rebuilt when its context changes).

use std::path::Path;

use base64::Engine as _;
use kube::config::Kubeconfig;

use crate::pointed_file::read_pointed_file;
use crate::Error;

/// Replaces every file reference in `kubeconfig` with the file's contents.
pub(crate) fn inline_file_references(kubeconfig: &mut Kubeconfig) -> Result<(), Error> {
    let encode = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
    for cluster in kubeconfig
        .clusters
        .iter_mut()
        .filter_map(|c| c.cluster.as_mut())
    {
        if let Some(path) = cluster.certificate_authority.take() {
            if cluster.certificate_authority_data.is_none() {
                let bytes = read(&path, "read the certificate authority file")?;
                cluster.certificate_authority_data = Some(encode(bytes));
            }
        }
    }
    for user in kubeconfig
        .auth_infos
        .iter_mut()
        .filter_map(|u| u.auth_info.as_mut())
    {
        if let Some(path) = user.client_certificate.take() {
            if user.client_certificate_data.is_none() {
                let bytes = read(&path, "read the client certificate file")?;
                user.client_certificate_data = Some(encode(bytes));
            }
        }
        if let Some(path) = user.client_key.take() {
            if user.client_key_data.is_none() {
                let bytes = read(&path, "read the client key file")?;
                user.client_key_data = Some(encode(bytes).into());
            }
        }
        if let Some(path) = user.token_file.take() {
            if user.token.is_none() {
                let bytes = read(&path, "read the token file")?;
                let text = String::from_utf8(bytes).map_err(|_| Error::Io {
                    action: "read the token file",
                    path: path.clone().into(),
                    source: std::io::Error::other("it is not text: point to the token itself"),
                })?;
                user.token = Some(text.trim().to_string().into());
            }
        }
    }
    Ok(())
}

fn read(path: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    read_pointed_file(Path::new(path), what)
}
