//! The non-secret settings.

use osmo_admin_app::settings::{self, LeftOutSecretsOutcome, SettingsDto, SettingsView};

command! {
    fn get_settings(core) -> SettingsView {
        Ok(settings::get(core))
    }
}

command! {
    fn update_settings(core, settings: SettingsDto) -> SettingsView {
        settings::update(core, settings)
    }
}

command! {
    fn dismiss_settings_notice(core) -> SettingsView {
        Ok(settings::dismiss_notice(core))
    }
}

command! {
    fn settle_left_out_secrets(core, ids: Vec<String>, remove: bool) -> LeftOutSecretsOutcome {
        settings::settle_left_out_secrets(core, ids, remove).await
    }
}
