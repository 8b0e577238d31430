//! The IPC commands, one module per domain concept (mirrored in `crates/app/src/` and
//! `ui/src/features/`). Each is declared once with [`command!`]: a `#[tauri::command]` that
//! converts at the edge and calls one use case of the core, plus its TypeScript signature. The
//! handler list, the permissions (`build.rs`), the capability and the `Commands` map of the
//! generated bindings all come from the one list in `list.rs`.

/// Declares a command: `fn name(core[, app: App], arg: Type, ...) -> Result { body }`. The body
/// sees `core: &AppCore` (and `app: AppHandle<R>` when asked for) and returns
/// `Result<Result, IpcError>`. Every command makes sure the core's events reach this app.
/// Next to the command it declares `name::signature()`, its TypeScript arguments and result.
macro_rules! command {
    ($(#[$doc:meta])* fn $name:ident($core:ident, $app:ident: App $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[tauri::command(async)]
        // The arguments are the command's named IPC fields (the app handle and state besides).
        #[allow(clippy::too_many_arguments)]
        pub async fn $name<R: tauri::Runtime>(
            $app: tauri::AppHandle<R>,
            $core: tauri::State<'_, osmo_admin_app::AppCore>,
            $($arg: $ty),*
        ) -> Result<$ret, osmo_admin_app::IpcError> {
            let $core: &osmo_admin_app::AppCore = &$core;
            $crate::events::connect(&$app, $core);
            $body
        }

        pub mod $name {
            #[allow(unused_imports)]
            use super::*;

            pub fn signature() -> $crate::bindings::Signature {
                $crate::bindings::Signature::new::<$ret>(
                    stringify!($name),
                    vec![$($crate::bindings::Arg::new::<$ty>(stringify!($arg))),*],
                )
            }
        }
    };
    // Without the app handle in the body: the same, with the handle unnamed there.
    ($(#[$doc:meta])* fn $name:ident($core:ident $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block) => {
        command! {
            $(#[$doc])*
            fn $name($core, app: App $(, $arg: $ty)*) -> $ret $body
        }
    };
}

pub mod about;
pub mod browser;
pub mod contexts;
pub mod dashboard;
pub mod history;
pub mod pools;
pub mod sandbox;
pub mod scheduler;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod tokens;

/// Expands the command list (`list.rs`) into the handler and the signatures.
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        /// The invoke handler of every command.
        pub fn invoke_handler<R: tauri::Runtime>(
        ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$command),*]
        }

        /// Every command's name, in the list's order.
        pub const NAMES: &[&str] = &[$(stringify!($command)),*];

        /// Every command's TypeScript signature, in the list's order.
        pub fn signatures() -> Vec<crate::bindings::Signature> {
            vec![$($module::$command::signature()),*]
        }
    };
}

include!("list.rs");
