//! The TypeScript view of the IPC, rendered into `ui/src/ipc/bindings.gen.ts`: every type a
//! command or event carries (found by walking the Rust types from the command signatures and
//! the event payloads), a `Commands` map of each command's arguments and result, and an `Events`
//! map of each event's payload. All of it follows from `commands/list.rs`, the `command!`
//! declarations and the core's `app_events!` list.
//!
//! The file is committed; `tests/ipc` fails when it differs from [`render`]'s output.
//! Regenerate with `UPDATE_BINDINGS=1 cargo test --test ipc bindings`.

use std::collections::BTreeMap;

use osmo_admin_app::events::{event_types, visit_event_payloads};
use osmo_admin_app::IpcError;
use osmo_admin_core::ErrorCode;
use ts_rs::{Config, TypeVisitor, TS};

/// Where the generated file lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/ipc/bindings.gen.ts";

/// One argument of a command, as the UI sends it.
pub struct Arg {
    /// As Tauri expects it from JavaScript (camelCase).
    name: String,
    ts: String,
    optional: bool,
    declare: fn(&mut Declarations),
}

impl Arg {
    pub fn new<T: TS + 'static>(rust_name: &str) -> Self {
        Self {
            name: camel_case(rust_name),
            ts: T::name(&Config::default()),
            optional: T::IS_OPTION,
            declare: Declarations::visit::<T>,
        }
    }
}

/// A command's name, arguments and result type.
pub struct Signature {
    pub name: &'static str,
    args: Vec<Arg>,
    result: String,
    declare_result: fn(&mut Declarations),
}

impl Signature {
    pub fn new<R: TS + 'static>(name: &'static str, args: Vec<Arg>) -> Self {
        Self {
            name,
            args,
            result: R::name(&Config::default()),
            declare_result: Declarations::visit::<R>,
        }
    }

    fn args_ts(&self) -> String {
        if self.args.is_empty() {
            return "Record<string, never>".into();
        }
        let fields: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                let mark = if a.optional { "?" } else { "" };
                format!("{}{mark}: {}", a.name, a.ts)
            })
            .collect();
        format!("{{ {} }}", fields.join("; "))
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Every declarable type reached from the roots, by TypeScript name.
#[derive(Default)]
pub struct Declarations {
    cfg: Config,
    decls: BTreeMap<String, String>,
}

impl Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        TypeVisitor::visit::<T>(self);
    }
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            let name = T::ident(&self.cfg);
            if self.decls.contains_key(&name) {
                return;
            }
            self.decls.insert(name, T::decl(&self.cfg));
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// The whole generated file.
pub fn render() -> String {
    let cfg = Config::default();
    let signatures = crate::commands::signatures();
    let mut declarations = Declarations::default();
    declarations.visit::<ErrorCode>();
    declarations.visit::<IpcError>();
    for signature in &signatures {
        for arg in &signature.args {
            (arg.declare)(&mut declarations);
        }
        (signature.declare_result)(&mut declarations);
    }
    visit_event_payloads(&mut declarations);

    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit.\n\
         // Regenerate: UPDATE_BINDINGS=1 cargo test --test ipc bindings\n\n",
    );
    for decl in declarations.decls.values() {
        out.push_str("export ");
        out.push_str(decl);
        out.push_str("\n\n");
    }
    out.push_str("/** Every command, with its arguments and its result. Failures reject with an `IpcError`. */\n");
    out.push_str("export type Commands = {\n");
    for signature in &signatures {
        out.push_str(&format!(
            "  {}: {{ args: {}; result: {} }};\n",
            signature.name,
            signature.args_ts(),
            signature.result
        ));
    }
    out.push_str("};\n\n");
    out.push_str("/** Every event the core sends, with its payload. */\n");
    out.push_str("export type Events = {\n");
    for (name, payload) in event_types(&cfg) {
        out.push_str(&format!("  \"{name}\": {payload};\n"));
    }
    out.push_str("};\n\n");
    out.push_str("export const ERROR_CODES: readonly ErrorCode[] = [");
    let codes: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|code| serde_json::to_string(code).unwrap_or_default())
        .collect();
    out.push_str(&codes.join(", "));
    out.push_str("];\n");
    out
}

/// The command names in the generated map, for the tests that check the handler and capability.
pub fn command_names() -> impl Iterator<Item = &'static str> {
    crate::commands::NAMES.iter().copied()
}
