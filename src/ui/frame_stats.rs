//! Frame timing for `--frame-stats PATH`: how long frames take while the user is interacting.

use std::path::PathBuf;
use std::time::Instant;

/// Frames further apart than this are idle gaps (the app waits for input), not slow frames.
const IDLE_GAP_S: f64 = 0.25;
/// A frame within this time of the last input event counts as a frame of interaction.
const INTERACTION_S: f64 = 0.1;

/// What the map did in a frame, to tell which frames are slow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FrameKind {
    /// The camera moved: coarse detail, no labels, pictures shifted or scaled.
    #[default]
    Moving,
    /// The camera rests, not yet settled: drawn as while it moves.
    Resting,
    /// The camera has settled: full detail and labels.
    Settled,
    /// The district image was drawn again (at rest, after the camera settled).
    ImageRedrawn,
    /// The camera moved or rests, and the map as last drawn in full was shown shifted or
    /// scaled, with the strips it left uncovered drawn.
    FromSnapshot,
}

impl FrameKind {
    const ALL: [Self; 5] = [
        Self::Moving,
        Self::Resting,
        Self::Settled,
        Self::ImageRedrawn,
        Self::FromSnapshot,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Moving => "moving",
            Self::Resting => "resting",
            Self::Settled => "settled",
            Self::ImageRedrawn => "image_redrawn",
            Self::FromSnapshot => "from_snapshot",
        }
    }
}

/// Recorded frame times.
pub struct FrameStats {
    path: PathBuf,
    last_frame: Option<Instant>,
    last_input: Option<Instant>,
    /// Milliseconds between consecutive busy frames: the whole frame, including painting and the
    /// buffer swap, as the user sees it.
    intervals_ms: Vec<f64>,
    /// eframe's own measure of each frame's CPU time (painting included, buffer swap excluded).
    cpu_ms: Vec<f64>,
    /// What each frame of `intervals_ms` did.
    kinds: Vec<FrameKind>,
    /// What each frame of `cpu_ms` did.
    cpu_kinds: Vec<FrameKind>,
    /// What the frame being drawn does, once it says.
    current_kind: FrameKind,
    /// How many frames the last written summary counted.
    written_at: usize,
}

impl FrameStats {
    /// Records to be written to `path` at exit (and every 500 frames).
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            last_frame: None,
            last_input: None,
            intervals_ms: Vec::new(),
            cpu_ms: Vec::new(),
            kinds: Vec::new(),
            cpu_kinds: Vec::new(),
            current_kind: FrameKind::default(),
            written_at: 0,
        }
    }

    /// Notes what the frame being drawn does (the time until the next frame starts is its).
    pub fn frame_kind(&mut self, kind: FrameKind) {
        self.current_kind = kind;
    }

    /// Notes the start of a frame; `cpu_s` is eframe's CPU time of the previous frame,
    /// `image_redrawn` whether that frame drew the district image again, and `interacting`
    /// whether this frame has input (pointer moves, wheel, keys, a held button). Only frames
    /// during or just after interaction are counted.
    pub fn frame_started(&mut self, cpu_s: Option<f32>, image_redrawn: bool, interacting: bool) {
        let previous_kind = if image_redrawn {
            FrameKind::ImageRedrawn
        } else {
            self.current_kind
        };
        let now = Instant::now();
        if interacting {
            self.last_input = Some(now);
        }
        let recent_input = self
            .last_input
            .is_some_and(|t| now.duration_since(t).as_secs_f64() < INTERACTION_S);
        if let Some(last) = self.last_frame {
            let gap = now.duration_since(last).as_secs_f64();
            if gap < IDLE_GAP_S && recent_input {
                self.intervals_ms.push(gap * 1000.0);
                self.kinds.push(previous_kind);
                if let Some(cpu) = cpu_s {
                    self.cpu_ms.push(f64::from(cpu) * 1000.0);
                    self.cpu_kinds.push(previous_kind);
                }
            }
        }
        self.last_frame = Some(now);
    }

    /// The summary: `{frames, p50_ms, p95_ms, max_ms, cpu_p50_ms, cpu_p95_ms, by_kind}`, where
    /// `by_kind` has the same of each [`FrameKind`]'s frames.
    pub fn summary(&self) -> serde_json::Value {
        let (p50, p95, max) = percentiles(&self.intervals_ms);
        let (cpu50, cpu95, _) = percentiles(&self.cpu_ms);
        let mut by_kind = serde_json::Map::new();
        for kind in FrameKind::ALL {
            let of_kind = |values: &[f64], kinds: &[FrameKind]| -> Vec<f64> {
                values
                    .iter()
                    .zip(kinds)
                    .filter(|(_, k)| **k == kind)
                    .map(|(ms, _)| *ms)
                    .collect()
            };
            let intervals = of_kind(&self.intervals_ms, &self.kinds);
            let (p50, p95, max) = percentiles(&intervals);
            let (cpu50, cpu95, _) = percentiles(&of_kind(&self.cpu_ms, &self.cpu_kinds));
            by_kind.insert(
                kind.name().into(),
                serde_json::json!({
                    "frames": intervals.len(), "p50_ms": p50, "p95_ms": p95, "max_ms": max,
                    "cpu_p50_ms": cpu50, "cpu_p95_ms": cpu95,
                }),
            );
        }
        serde_json::json!({
            "frames": self.intervals_ms.len(),
            "p50_ms": p50, "p95_ms": p95, "max_ms": max,
            "cpu_p50_ms": cpu50, "cpu_p95_ms": cpu95,
            "by_kind": by_kind,
            "measure": "time between back-to-back frames (continuous repaint, no vsync) during and up to 100 ms after input events",
        })
    }

    /// True once every 500 counted frames: time to write the summary again.
    pub fn due_for_write(&self) -> bool {
        !self.intervals_ms.is_empty()
            && self.intervals_ms.len().is_multiple_of(500)
            && self.written_at != self.intervals_ms.len()
    }

    /// Writes the summary as JSON.
    pub fn write(&mut self) -> std::io::Result<()> {
        self.written_at = self.intervals_ms.len();
        std::fs::write(&self.path, self.summary().to_string())
    }
}

fn percentiles(values: &[f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let round = |x: f64| (x * 100.0).round() / 100.0;
    (round(at(0.5)), round(at(0.95)), round(v[v.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_known_values() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentiles(&v), (51.0, 95.0, 100.0));
        assert_eq!(percentiles(&[]), (0.0, 0.0, 0.0));
    }

    #[test]
    fn each_interval_counts_for_the_frame_it_timed() {
        let mut stats = FrameStats::new(PathBuf::from("unused.json"));
        stats.frame_started(None, false, true);
        stats.frame_kind(FrameKind::Resting);
        stats.frame_started(None, false, true);
        stats.frame_kind(FrameKind::Moving);
        // The moving frame drew the district image again: that is what it counts as.
        stats.frame_started(None, true, true);
        stats.frame_kind(FrameKind::Settled);
        stats.frame_started(None, false, true);
        let by_kind = &stats.summary()["by_kind"];
        let frames = |k: &str| by_kind[k]["frames"].as_u64().unwrap();
        assert_eq!(
            [
                frames("resting"),
                frames("image_redrawn"),
                frames("settled"),
                frames("moving")
            ],
            [1, 1, 1, 0]
        );
    }
}
