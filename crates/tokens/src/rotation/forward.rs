//! The forward steps of a [`Rotation`], and reconciling a resumed one with the cluster.

use std::time::Duration;

use osmo_admin_core::kill_point::{self, When};
use osmo_admin_osmo_client::CancellationToken;

use super::cluster;
use super::{Phase, Rotation, Status, Step};
use crate::create::{create_valid, delete, ensure_owner, TokenRef};
use crate::error::{is_gone, TokensError};
use crate::inventory::TokenKind;
use crate::within::within;

type Outcome = Result<(Phase, String), TokensError>;

impl Rotation {
    pub(super) async fn forward(&mut self, cancel: &CancellationToken) -> Result<(), TokensError> {
        match self.journal.status {
            Status::Completed => return Ok(()),
            Status::RolledBack => {
                return Err(TokensError::State(
                    "This rotation was rolled back; start a new one.".into(),
                ))
            }
            _ => {}
        }
        if self.journal.direction == super::Direction::RollingBack {
            return Err(TokensError::State(
                "This rotation is being rolled back; retry the roll back to finish it.".into(),
            ));
        }
        if self.needs_reconcile {
            self.reconcile(cancel).await?;
        }
        for step in Step::FORWARD {
            if self.journal.reached.is_some_and(|r| r >= step) {
                continue;
            }
            self.begin(step)?;
            kill_point::reached("rotation", &step, When::Start);
            let outcome = self.forward_step(step, cancel).await;
            self.end(step, outcome)?;
        }
        self.journal.status = Status::Completed;
        self.new_value = None;
        self.save()
    }

    /// After a resume: the new value is never journaled, so a rotation that stopped after
    /// creating the token and before the Secret held it creates the token again (the leftover is
    /// deleted first). Whether the Secret was written is read from its rotation annotation.
    async fn reconcile(&mut self, cancel: &CancellationToken) -> Result<(), TokensError> {
        let created = self.journal.reached.is_some_and(|r| r >= Step::CreateToken);
        let written = self.journal.reached.is_some_and(|r| r >= Step::WriteSecret);
        if created && !written {
            let limits = self.limits(cancel);
            let state = cluster::read(&self.client, &self.journal.plan.secret, &limits).await?;
            self.journal.reached = if state.rotation() == Some(self.journal.id.as_str()) {
                Some(Step::WriteSecret)
            } else {
                None
            };
            self.save()?;
        }
        self.needs_reconcile = false;
        Ok(())
    }

    fn new_ref(&self) -> TokenRef {
        TokenRef {
            owner: self.journal.new_token.owner.clone(),
            name: self.journal.new_token.name.clone(),
        }
    }

    async fn forward_step(&mut self, step: Step, cancel: &CancellationToken) -> Outcome {
        let limits = self.limits(cancel);
        let plan = self.journal.plan.clone();
        let session = self.session.clone();
        match step {
            Step::CreateToken => {
                let new = self.new_ref();
                if self.journal.create_attempted {
                    // An earlier attempt may have created it and its value is lost: replace it.
                    match within(
                        &limits,
                        "delete the leftover new token",
                        delete(&session, &new, TokenKind::Service, cancel),
                    )
                    .await
                    {
                        Err(TokensError::Osmo(e)) if is_gone(&e) => {}
                        other => other?,
                    }
                }
                let valid = self.journal.new_token.clone();
                let user_created = within(
                    &limits,
                    "check the service account",
                    ensure_owner(&session, &valid, cancel),
                )
                .await?;
                self.journal.user_created |= user_created;
                self.journal.create_attempted = true;
                self.save()?;
                let value = within(
                    &limits,
                    "create the new token",
                    create_valid(&session, &valid, cancel),
                )
                .await?;
                kill_point::reached("rotation", &step, When::AfterEffect);
                self.new_value = Some(value);
                Ok((
                    Phase::Finished,
                    format!(
                        "Created token {new}, valid until {} (UTC).",
                        valid.expires_on
                    ),
                ))
            }
            Step::WriteSecret => {
                let value = self.new_value.as_ref().ok_or_else(|| {
                    TokensError::State(
                        "The new token's value is not known any more; retry to create it again."
                            .into(),
                    )
                })?;
                let new = self.new_ref();
                cluster::write_new(
                    &self.client,
                    &plan.secret,
                    &limits,
                    &self.journal.id,
                    value,
                    &new,
                )
                .await?;
                kill_point::reached("rotation", &step, When::AfterEffect);
                self.new_value = None;
                Ok((
                    Phase::Finished,
                    format!(
                        "Secret {} holds the new token; the previous value is kept under key {}.",
                        plan.secret,
                        plan.secret.previous_key()
                    ),
                ))
            }
            Step::RestartOperator => {
                let (at, names) = cluster::restart(
                    &self.client,
                    &plan.secret.namespace,
                    &plan.deployments,
                    &limits,
                    false,
                )
                .await?;
                kill_point::reached("rotation", &step, When::AfterEffect);
                self.journal.restarted_at = Some(at);
                Ok((
                    Phase::Finished,
                    format!(
                        "Restarted {} at {} (UTC).",
                        names.join(", "),
                        at.format("%H:%M:%S")
                    ),
                ))
            }
            Step::WaitForHeartbeat => {
                let seen = self.wait_for_heartbeat(cancel).await;
                if seen.is_ok() {
                    kill_point::reached("rotation", &step, When::AfterEffect);
                }
                seen
            }
            Step::DeleteOldToken => {
                let message = match (&plan.old_token, plan.delete_old) {
                    (Some(old), true) => match within(
                        &limits,
                        "delete the old token",
                        delete(&session, old, TokenKind::Service, cancel),
                    )
                    .await
                    {
                        Ok(()) => format!("Deleted the old token {old}."),
                        Err(TokensError::Osmo(e)) if is_gone(&e) => {
                            format!("The old token {old} was already gone.")
                        }
                        Err(e) => return Err(e),
                    },
                    (Some(old), false) => format!(
                        "Kept the old token {old}, as asked; it stays valid until it expires."
                    ),
                    (None, _) => "No old token was named, so none was deleted.".to_owned(),
                };
                // Before `<key>.previous` is dropped: the old token is gone, the journal and
                // the Secret do not say so yet.
                kill_point::reached("rotation", &step, When::AfterEffect);
                cluster::forget_previous(&self.client, &plan.secret, &limits, &self.journal.id)
                    .await?;
                Ok((Phase::Finished, message))
            }
            other => Err(TokensError::State(format!(
                "{other:?} is not a forward step."
            ))),
        }
    }

    /// Polls the backend until its `last_heartbeat` is newer than the restart.
    async fn wait_for_heartbeat(&mut self, cancel: &CancellationToken) -> Outcome {
        let plan = &self.journal.plan;
        let since = self
            .journal
            .restarted_at
            .ok_or_else(|| TokensError::State("The operator was not restarted yet.".into()))?
            .naive_utc();
        let deadline = tokio::time::Instant::now() + plan.heartbeat_timeout;
        let limits = self.limits(cancel);
        let (mut last, mut read_error) = ("none".to_owned(), String::new());
        loop {
            let read = within(&limits, "read the backend", async {
                self.session
                    .get_backend(&plan.backend, cancel)
                    .await
                    .map_err(TokensError::osmo)
            })
            .await;
            match read {
                Ok(backend) => match backend.last_heartbeat {
                    Some(t) if t > since => {
                        return Ok((
                            Phase::Finished,
                            format!(
                                "Backend {} heartbeated at {} (UTC), after the restart.",
                                plan.backend,
                                t.format("%H:%M:%S")
                            ),
                        ));
                    }
                    Some(t) => {
                        last = format!("{} UTC", t.format("%Y-%m-%d %H:%M:%S"));
                        read_error.clear();
                    }
                    None => read_error.clear(),
                },
                Err(TokensError::Cancelled) => return Err(TokensError::Cancelled),
                Err(e) => read_error = format!("; the last read failed: {e}"),
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(TokensError::NoHeartbeat {
                    backend: plan.backend.clone(),
                    seconds: plan.heartbeat_timeout.as_secs(),
                    last: format!("{last}{read_error}"),
                });
            }
            let pause = plan.poll_interval.max(Duration::from_millis(50));
            tokio::select! {
                () = cancel.cancelled() => return Err(TokensError::Cancelled),
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
}
