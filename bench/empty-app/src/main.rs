//! The baseline of the benchmark: a Tauri 2 window and a static page, nothing of the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .unwrap_or_else(|err| {
            eprintln!("the empty Tauri app could not start: {err}");
            std::process::exit(1);
        });
}
