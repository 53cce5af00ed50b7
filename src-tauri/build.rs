fn main() {
    // tauri-build resolves paths against the repository root; our capabilities live in
    // src-tauri/capabilities (see docs/tauri-notes.md).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(&["store_summary"])),
    )
    .expect("failed to run tauri-build");
}
