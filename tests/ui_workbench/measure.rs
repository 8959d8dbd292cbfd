//! The measure tool: clicks add points instead of selecting, the readout shows the geodesic
//! length and area of what was clicked, a double-click ends the path without zooming, and
//! Backspace and Escape take points back.

use super::*;
use mahalleh::analysis::measure;
use mahalleh::text::Numbers;

#[test]
fn measuring_a_path_and_an_area_through_three_neighbourhoods() {
    // Frames 1/60 s apart, so that two clicks can fall in egui's 0.3 s double-click window.
    let mut harness = realtime_harness(workbench(&sample_path()));
    let names = ["Eskan", "Hassanabad", "Koshtargah"];
    let districts = names.map(|n| district_named(harness.state(), n));
    let points = districts.map(|d| screen_pos_of(harness.state(), d));
    harness.get_by_label("Measure").click();
    harness.run_steps(2);
    for p in &points[..2] {
        click_at(&mut harness, *p, Modifiers::NONE);
    }
    let camera = harness.state().map.camera;
    // A double-click on the last point adds it and ends the path; the map does not zoom.
    harness.event(Event::PointerMoved(points[2]));
    harness.run_steps(1);
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(Event::PointerButton {
                pos: points[2],
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
        harness.run_steps(1);
    }
    harness.run_steps(30);
    let bench = harness.state();
    assert_eq!(bench.map.camera, camera, "the double-click was the tool's");
    assert!(bench.measure.finished, "{:?}", bench.measure);
    assert!(bench.selection.is_empty(), "measuring selects nothing");
    assert!(bench.plan.plan.offices.is_empty());
    let vertices = bench.measure.vertices_lon_lat.clone();
    assert_eq!(vertices.len(), 3, "two clicks and the double-click's first click");
    let layer = &bench.scene.as_ref().unwrap().layer;
    for (v, d) in vertices.iter().zip(districts) {
        assert_eq!(
            layer.district_at(v[0], v[1]),
            Some(d),
            "each point where it was clicked"
        );
    }
    let expected = measure(&vertices);
    // Eskan to Koshtargah across the sample's city: kilometres, not metres or thousands of km.
    assert!(
        (1_000.0..30_000.0).contains(&expected.length_m),
        "{}",
        expected.length_m
    );
    let length = Numbers::Latin.length(expected.length_m);
    assert!(harness.query_by_label(&length).is_some(), "readout shows {length}");

    harness.get_by_label("Area").click();
    harness.run_steps(2);
    assert!(expected.area_m2 > 10_000.0, "{}", expected.area_m2);
    let area = Numbers::Latin.area(expected.area_m2);
    assert!(harness.query_by_label(&area).is_some(), "readout shows {area}");
    assert!(
        harness
            .query_by_label(&Numbers::Latin.length(expected.perimeter_m))
            .is_some()
    );

    // Backspace takes the last point back, Escape clears; the next click starts afresh.
    harness.key_press(egui::Key::Backspace);
    harness.run_steps(2);
    assert_eq!(harness.state().measure.vertices_lon_lat.len(), 2);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().measure.vertices_lon_lat.is_empty());
    click_at(&mut harness, points[0], Modifiers::NONE);
    assert_eq!(harness.state().measure.vertices_lon_lat.len(), 1);

    // Back in select mode a click selects again and the path is not drawn.
    harness.get_by_label("Select").click();
    harness.run_steps(2);
    click_at(&mut harness, points[1], Modifiers::NONE);
    assert_eq!(harness.state().selection, BTreeSet::from([districts[1]]));
    assert!(
        harness.query_by_label("Distance").is_none(),
        "the readout goes with the tool"
    );
}
