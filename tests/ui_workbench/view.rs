//! Where the map looks: a typed or picked scale, and zoom to the selection.

use super::*;
use egui::accesskit::Role;
use mahalleh::ui::frame_stats::FrameKind;

/// Replaces the scale field's text and presses Enter.
fn type_scale(harness: &mut Harness<'_, Workbench>, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, "Scale").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(Role::TextInput, "Scale").type_text(text);
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    // Past the camera's flight.
    harness.run_steps(6);
}

#[test]
fn a_typed_scale_is_the_scale_the_map_shows_and_bad_text_moves_nothing() {
    let mut harness = harness(workbench(&sample_path()));
    type_scale(&mut harness, "1:10,000");
    let bench = harness.state();
    let n = bench.map.scale_denominator();
    assert!((n - 10_000.0).abs() < 1.0, "1:{n}");
    // At 1/96 inch per point and the view's latitude: ground metres per point.
    let [x, y] = bench.map.camera.center_m;
    let lat = mahalleh::map::lon_lat_from_mercator(x, y)[1];
    let ground_m_per_point = bench.map.camera.m_per_point * lat.to_radians().cos();
    assert!(
        (ground_m_per_point - 10_000.0 * 0.0254 / 96.0).abs() < 1e-3,
        "{ground_m_per_point}"
    );
    assert!(
        harness.query_all_by_value("1:10,000").next().is_some(),
        "the field shows the new scale"
    );

    // Persian digits are read too.
    type_scale(&mut harness, "۱:۲۵۰۰");
    assert!((harness.state().map.scale_denominator() - 2_500.0).abs() < 1.0);

    let camera = harness.state().map.camera;
    type_scale(&mut harness, "big");
    assert_eq!(harness.state().map.camera, camera, "no scale, no move");
    assert_eq!(harness.state().scale_edit.as_deref(), Some("big"));
    assert!(
        harness.query_all_by_value("big").next().is_some(),
        "the text stays to be corrected"
    );
}

#[test]
fn zoom_to_selection_shows_all_selected_districts_and_offices() {
    let mut harness = harness(workbench(&sample_path()));
    let whole = harness.state().map.camera;
    let eskan = district_named(harness.state(), "Eskan");
    let koshtargah = district_named(harness.state(), "Koshtargah");
    harness.state_mut().selection = BTreeSet::from([eskan, koshtargah]);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::J);
    harness.run_steps(6);
    let bench = harness.state();
    let rect = bench.map.last_rect.unwrap();
    let [lo, hi] = bench.map.camera.visible_m(rect);
    let layer = Arc::clone(&bench.scene.as_ref().unwrap().layer);
    let drawing = layer.drawing();
    for d in [eskan, koshtargah] {
        let [a, b] = drawing.districts[d].bbox_m;
        assert!(
            lo[0] <= a[0] && lo[1] <= a[1] && b[0] <= hi[0] && b[1] <= hi[1],
            "district {d} in view"
        );
    }
    assert!(
        bench.map.camera.m_per_point < whole.m_per_point,
        "closer than the whole layer"
    );
    // With a selected office far to the east of both, the view takes it in too.
    let office_at = [54.60, 31.90];
    harness.state_mut().plan.place_office(office_at, "East".into()).unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::J);
    harness.run_steps(6);
    let bench = harness.state();
    let [lo, hi] = bench.map.camera.visible_m(rect);
    let office_m = mahalleh::map::mercator_from_lon_lat(office_at[0], office_at[1]);
    assert!((lo[0]..=hi[0]).contains(&office_m[0]) && (lo[1]..=hi[1]).contains(&office_m[1]));
    let [a, _] = drawing.districts[eskan].bbox_m;
    assert!(lo[0] <= a[0], "Eskan still in view");

    // Nothing selected: the view stays.
    let camera = bench.map.camera;
    harness.state_mut().selection.clear();
    harness.state_mut().plan.selected_offices.clear();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::J);
    harness.run_steps(6);
    assert_eq!(harness.state().map.camera, camera);
}

/// While the camera moves, and until it has rested a moment, the map is drawn coarse and without
/// district labels (software GL keeps up with a person's wheel clicks that way); once it has
/// settled the labels come back.
#[test]
fn district_labels_wait_until_the_camera_settles() {
    let mut harness = realtime_harness(workbench(&sample_path()));
    harness.run_steps(20);
    let shown = harness.state().map.district_labels_shown;
    assert!(shown >= 3, "the sample's districts are named at rest ({shown})");
    assert_eq!(harness.state().map.frame_kind, FrameKind::Settled);

    harness.state_mut().map.camera.m_per_point *= 0.8;
    harness.run_steps(1);
    assert_eq!(harness.state().map.frame_kind, FrameKind::Moving);
    assert_eq!(harness.state().map.district_labels_shown, 0);
    harness.run_steps(2);
    assert_eq!(
        harness.state().map.frame_kind,
        FrameKind::Resting,
        "rested, not yet settled"
    );
    assert_eq!(harness.state().map.district_labels_shown, 0);

    harness.run_steps(20);
    assert_eq!(harness.state().map.frame_kind, FrameKind::Settled);
    assert!(harness.state().map.district_labels_shown > 0);
}
