//! The app in a real window under Xvfb with Mesa's software OpenGL, driven by X events: what the
//! egui test harness cannot reach (it draws without OpenGL), such as the map's picture held for
//! motion. Skips with a message without `xvfb-run` and `xdotool` (Debian: xvfb xdotool).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// Whether `tool` is on the PATH; says what to install when it is not.
fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipping: {tool} is not available (Debian: xvfb xdotool)");
    }
    found
}

/// Opens the sample map, drags it, quits with Ctrl+Q; exit codes 3 and 4 say the window never
/// appeared or never closed.
const DRAG_SCRIPT: &str = r#"
"$BIN" "$MAP" --window-size 900x700 --frame-stats "$STATS" &
app=$!
for _ in $(seq 1 150); do
  wid=$(xdotool search --name '^mahalleh' 2>/dev/null | head -1 || true)
  [ -n "$wid" ] && break
  sleep 0.2
done
[ -n "$wid" ] || { kill $app; exit 3; }
sleep 2
xdotool windowmove "$wid" 0 0 windowfocus "$wid" mousemove 450 350 mousedown 1
for _ in $(seq 1 30); do xdotool mousemove_relative -- 4 2; sleep 0.01; done
xdotool mouseup 1
sleep 0.5
xdotool key ctrl+q
for _ in $(seq 1 100); do kill -0 $app 2>/dev/null || exit 0; sleep 0.2; done
kill $app
exit 4
"#;

#[test]
fn a_dragged_map_is_drawn_from_its_picture_in_a_real_window() {
    if !(have("xvfb-run") && have("xdotool")) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("mahalleh-real-window-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stats = dir.join("frames.json");
    let map = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1000x800x24", "bash", "-c", DRAG_SCRIPT])
        .env("BIN", env!("CARGO_BIN_EXE_mahalleh"))
        .env("MAP", &map)
        .env("STATS", &stats)
        // Remembered windows, recent files and recovery files stay in the test's own folder.
        .env("HOME", &dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .unwrap();
    let said = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{:?}: {said}", out.status.code());
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(&stats).unwrap()).unwrap();
    let frames = |kind: &str| summary["by_kind"][kind]["frames"].as_u64().unwrap_or(0);
    // A drag of 30 moves: the first frames copy the map, the rest show that copy shifted and draw
    // only the strip it leaves. A look that changed every frame would draw every one in full.
    assert!(
        frames("from_snapshot") >= 10,
        "frames shown from the map's picture: {summary}"
    );
    assert!(
        frames("moving") < frames("from_snapshot"),
        "more frames drawn in full than from the picture: {summary}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
