//! Build script: Tauri's code generation, only when the desktop window is compiled in.
fn main() {
    #[cfg(feature = "desktop")]
    tauri_build::build();
}
