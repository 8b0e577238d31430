//! The IPC commands, one module per domain concept (mirrored in `ui/src/features/`).
//! Each command is thin: parse, call the library, map to a DTO.

pub mod about;
pub mod browser;
pub mod contexts;
pub mod dashboard;
pub mod sandbox;
pub mod scheduler;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod tokens;
