#!/usr/bin/env bash
# Frame times of the real window under Xvfb (Mesa software GL), with real X mouse events:
# drags and wheel zooms over the map, then Ctrl+Q. Prints the app's --frame-stats JSON, once per
# wheel pace: clicks 0.02 s apart (a fast flick) and 0.15 s apart (a person zooming step by step,
# which lets the camera settle between clicks). Set PACES to run other paces.
#
#   benches/frame_times.sh FILE.geojson [seconds-of-panning]
#
# Needs xvfb, xdotool (apt-get install xvfb xdotool) and a release build (cargo build --release).
set -euo pipefail
file=${1:?usage: benches/frame_times.sh FILE.geojson [seconds]}
seconds=${2:-6}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/mahalleh"
for pace in ${PACES:-0.02 0.15}; do
stats=$(mktemp --suffix=.json)
export file seconds bin stats pace
xvfb-run -a -s "-screen 0 1700x1100x24" bash -c '
  ${WRAP:-} "$bin" "$file" --window-size ${SIZE:-1600x1000} --frame-stats "$stats" &
  app=$!
  for _ in $(seq 1 100); do
    wid=$(xdotool search --name "^mahalleh" 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    sleep 0.2
  done
  [ -n "$wid" ] || { echo "no window appeared" >&2; kill $app; exit 1; }
  sleep ${WAIT:-3}
  xdotool windowmove "$wid" 0 0 windowfocus "$wid"
  xdotool getwindowgeometry "$wid" >&2
  # One xdotool process per gesture, so spawning the event generator does not compete with the app.
  drag_right=$(for i in $(seq 1 40); do printf "mousemove_relative -- 6 3 sleep 0.008 "; done)
  drag_left=$(for i in $(seq 1 40); do printf "mousemove_relative -- -6 -3 sleep 0.008 "; done)
  wheel_in=$(for i in $(seq 1 6); do printf "click 4 sleep $pace "; done)
  wheel_out=$(for i in $(seq 1 6); do printf "click 5 sleep $pace "; done)
  end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do
    xdotool mousemove 800 500 mousedown 1 $drag_right mouseup 1 $wheel_in mousedown 1 $drag_left mouseup 1 $wheel_out
  done
  xdotool key ctrl+q
  for _ in $(seq 1 50); do kill -0 $app 2>/dev/null || break; sleep 0.2; done
  # A drag that moved an office leaves unsaved changes, and Ctrl+Q then asks first; the
  # statistics are written every 500 frames as well, so stop the app and report those.
  if kill -0 $app 2>/dev/null; then echo "Ctrl+Q asked about unsaved changes; stopping the app" >&2; kill $app; fi
'
echo "wheel clicks $pace s apart:"
cat "$stats"
echo
rm -f "$stats"
done
