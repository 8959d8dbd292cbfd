//! Build script: on Windows targets (GNU toolchain), puts `assets/icon/mahalleh.ico` into the
//! program file as its icon, through the mingw-w64 resource compiler. Elsewhere it does nothing.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icon/mahalleh.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "windows" {
        return;
    }
    if var("CARGO_CFG_TARGET_ENV") != "gnu" {
        println!("cargo:warning=the program icon is only embedded with the GNU (mingw-w64) toolchain");
        return;
    }
    let manifest = PathBuf::from(var("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(var("OUT_DIR"));
    let icon = manifest.join("assets/icon/mahalleh.ico");
    let rc = out.join("mahalleh.rc");
    let object = out.join("mahalleh-icon.o");
    let icon_text = icon.to_string_lossy().replace('\\', "/");
    if let Err(e) = std::fs::write(&rc, format!("1 ICON \"{icon_text}\"\n")) {
        println!("cargo:warning=no program icon: cannot write {} ({e})", rc.display());
        return;
    }
    // Cross builds use the target's prefixed tool; a native mingw-w64 install calls it `windres`.
    let windres = match std::env::var("WINDRES") {
        Ok(tool) => tool,
        Err(_) if var("HOST") != var("TARGET") => format!("{}-w64-mingw32-windres", var("CARGO_CFG_TARGET_ARCH")),
        Err(_) => "windres".to_string(),
    };
    let made = Command::new(&windres)
        .arg(&rc)
        .args(["-O", "coff", "-o"])
        .arg(&object)
        .status();
    match made {
        Ok(status) if status.success() => {
            println!("cargo:rustc-link-arg-bins={}", object.display());
        }
        Ok(status) => println!("cargo:warning=no program icon: {windres} failed ({status})"),
        Err(e) => println!("cargo:warning=no program icon: cannot run {windres} ({e}); set WINDRES"),
    }
}
