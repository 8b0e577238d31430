//! The roll-back steps of a [`Rotation`]: restore the previous value into the Secret, restart
//! the operator again, delete the new token. Each is idempotent, so a failed or interrupted roll
//! back is retried from where it stopped.

use osmo_admin_osmo_client::CancellationToken;

use super::cluster;
use super::{Direction, Phase, Rotation, Status, Step};
use crate::create::{delete, token_exists, TokenRef};
use crate::error::{is_gone, TokensError};
use crate::inventory::TokenKind;
use crate::within::within;
use crate::Limits;

type Outcome = Result<(Phase, String), TokensError>;

impl Rotation {
    pub(super) async fn backward(&mut self, cancel: &CancellationToken) -> Result<(), TokensError> {
        let finished = "The rotation finished: the backend uses the new token and the old one is handled; there is nothing to roll back.";
        match self.journal.status {
            Status::RolledBack => return Ok(()),
            Status::Completed => return Err(TokensError::State(finished.into())),
            _ => {}
        }
        if self.journal.reached == Some(Step::DeleteOldToken) {
            return Err(TokensError::State(finished.into()));
        }
        if self.journal.direction == Direction::Forward {
            self.check_old_token_exists(cancel).await?;
            self.journal.direction = Direction::RollingBack;
            self.save()?;
        }
        for step in Step::ROLL_BACK {
            if self.journal.rolled_back.contains(&step) {
                continue;
            }
            self.begin(step)?;
            let outcome = self.backward_step(step, cancel).await;
            self.end(step, outcome)?;
        }
        self.journal.status = Status::RolledBack;
        self.new_value = None;
        self.save()
    }

    /// Refuses to put back an old token the service no longer has (the backend would go offline).
    async fn check_old_token_exists(&self, cancel: &CancellationToken) -> Result<(), TokensError> {
        let Some(old) = self.journal.plan.old_token.clone() else {
            return Ok(());
        };
        let limits = self.limits(cancel);
        let session = self.session.clone();
        let exists = within(
            &limits,
            "list the old token's owner's tokens",
            token_exists(&session, &old, cancel),
        )
        .await?;
        if exists {
            Ok(())
        } else {
            Err(TokensError::State(format!(
                "The old token {old} no longer exists in OSMO, so putting it back would take the backend offline. Retry the rotation instead."
            )))
        }
    }

    async fn backward_step(&mut self, step: Step, cancel: &CancellationToken) -> Outcome {
        let limits: Limits = self.limits(cancel);
        let plan = self.journal.plan.clone();
        match step {
            Step::RestoreSecret => {
                let changed = cluster::restore(
                    &self.client,
                    &plan.secret,
                    &limits,
                    &self.journal.id,
                    plan.old_token.as_ref(),
                )
                .await?;
                self.journal.secret_restored |= changed;
                Ok(if changed {
                    (
                        Phase::Finished,
                        format!("Secret {} holds the previous token again.", plan.secret),
                    )
                } else {
                    (Phase::Skipped, format!("Secret {} was not changed by this rotation; it still holds the previous token.", plan.secret))
                })
            }
            Step::RestartAgain => {
                if !self.journal.secret_restored && self.journal.restarted_at.is_none() {
                    return Ok((Phase::Skipped, "The operator was not restarted and its secret is unchanged: no restart needed.".into()));
                }
                let (at, names) = cluster::restart(
                    &self.client,
                    &plan.secret.namespace,
                    &plan.deployments,
                    &limits,
                    true,
                )
                .await?;
                self.journal.restarted_at = Some(at);
                Ok((
                    Phase::Finished,
                    format!(
                        "Restarted {} so the operator reads the previous token.",
                        list_or_none(&names)
                    ),
                ))
            }
            Step::DeleteNewToken => {
                self.new_value = None;
                if !self.journal.create_attempted {
                    return Ok((Phase::Skipped, "The new token was never created.".into()));
                }
                let new = TokenRef {
                    owner: self.journal.new_token.owner.clone(),
                    name: self.journal.new_token.name.clone(),
                };
                let session = self.session.clone();
                match within(
                    &limits,
                    "delete the new token",
                    delete(&session, &new, TokenKind::Service, cancel),
                )
                .await
                {
                    Ok(()) => Ok((Phase::Finished, format!("Deleted the new token {new}."))),
                    Err(TokensError::Osmo(e)) if is_gone(&e) => Ok((
                        Phase::Skipped,
                        format!("The new token {new} did not exist."),
                    )),
                    Err(e) => Err(e),
                }
            }
            other => Err(TokensError::State(format!(
                "{other:?} is not a roll-back step."
            ))),
        }
    }
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "no Deployment (none found)".into()
    } else {
        names.join(", ")
    }
}
