//! The workbench driven through egui_kittest: the real app state, real clicks, hovers and typing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mahalleh::text::match_key;
use mahalleh::ui::Workbench;
use mahalleh::ui::i18n::Language;
use mahalleh::ui::map::MapScene;

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson")
}

fn workbench(path: &Path) -> Workbench {
    let layer = common::load(path).unwrap();
    let mut bench = Workbench::default();
    bench.lang = Language::En;
    bench.set_scene(MapScene::new(Arc::new(layer)));
    bench
}

fn harness(bench: Workbench) -> Harness<'static, Workbench> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_context_setup(mahalleh::ui::fonts::install_fonts)
        .build_ui_state(|ui, bench: &mut Workbench| bench.ui(ui), bench);
    harness.run_steps(3);
    harness
}

/// A harness whose frames are 1/60 s apart, as on screen, for what depends on time between
/// frames (double clicks, the camera settling); [`harness`]'s steps are a quarter second.
fn realtime_harness(bench: Workbench) -> Harness<'static, Workbench> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(mahalleh::ui::fonts::install_fonts)
        .build_ui_state(|ui, bench: &mut Workbench| bench.ui(ui), bench);
    harness.run_steps(3);
    harness
}

fn district_named(bench: &Workbench, name_en: &str) -> usize {
    let layer = &bench.scene.as_ref().unwrap().layer;
    layer
        .districts
        .iter()
        .position(|d| d.properties["name_en"] == name_en)
        .unwrap()
}

/// The screen position of a district's label anchor.
fn screen_pos_of(bench: &Workbench, district: usize) -> Pos2 {
    let scene = bench.scene.as_ref().unwrap();
    let rect = bench.map.last_rect.unwrap();
    bench
        .map
        .camera
        .screen_from_map(rect, scene.layer.drawing().districts[district].label_anchor_m)
}

/// A file as the window system hands a dropped one to egui.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `path` on the window and runs one frame.
fn drop_file(harness: &mut Harness<'_, Workbench>, path: &Path) {
    let file: egui::DroppedFileHandle = Arc::new(Dropped(path.to_path_buf()));
    harness.input_mut().dropped_files.push(file);
    harness.run_steps(1);
}

/// Presses (or releases) the primary button at `pos`, then runs one frame.
fn button_at(harness: &mut Harness<'_, Workbench>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    let button = Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    };
    harness.event_modifiers(button, modifiers);
    harness.run_steps(1);
}

fn click_at(harness: &mut Harness<'_, Workbench>, pos: Pos2, modifiers: Modifiers) {
    harness.event(Event::PointerMoved(pos));
    harness.run_steps(1);
    button_at(harness, pos, true, modifiers);
    button_at(harness, pos, false, modifiers);
    // Step past the double-click window so the next click is a click of its own.
    harness.run_steps(30);
}

/// Presses the primary button at `from` and moves to `to` in ten steps, keeping it down.
fn press_and_move(harness: &mut Harness<'_, Workbench>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    harness.event(Event::PointerMoved(from));
    harness.run_steps(1);
    button_at(harness, from, true, modifiers);
    for k in 1..=10 {
        harness.event_modifiers(Event::PointerMoved(from + (to - from) * (k as f32 / 10.0)), modifiers);
        harness.run_steps(1);
    }
}

/// Releases the primary button at `pos` and lets the app settle.
fn release_at(harness: &mut Harness<'_, Workbench>, pos: Pos2, modifiers: Modifiers) {
    button_at(harness, pos, false, modifiers);
    harness.run_steps(2);
}

#[test]
fn hovering_a_district_shows_its_tooltip() {
    let mut harness = harness(workbench(&sample_path()));
    let eskan = district_named(harness.state(), "Eskan");
    let pos = screen_pos_of(harness.state(), eskan);
    harness.hover_at(pos);
    harness.run_steps(60);
    assert_eq!(harness.state().map.hovered, Some(eskan));
    // In English the district is named in English, in the list and the tooltip, and the
    // tooltip gives the Persian name the file labels by.
    assert!(
        harness.query_all_by_label("Eskan").count() >= 2,
        "the English name in the list and the tooltip"
    );
    assert!(
        harness.query_by_label("Persian name").is_some() && harness.query_by_label("اسکان").is_some(),
        "the Persian name in the tooltip"
    );
}

#[test]
fn clicking_a_list_row_selects_and_flies_to_the_district() {
    let mut harness = harness(workbench(&sample_path()));
    let koshtargah = district_named(harness.state(), "Koshtargah");
    let before = harness.state().map.camera;
    harness.get_by_label("Koshtargah").click();
    harness.run_steps(60);
    let bench = harness.state();
    assert_eq!(bench.selection.iter().copied().collect::<Vec<_>>(), [koshtargah]);
    let d = &bench.scene.as_ref().unwrap().layer.drawing().districts[koshtargah];
    let centre = [
        (d.bbox_m[0][0] + d.bbox_m[1][0]) / 2.0,
        (d.bbox_m[0][1] + d.bbox_m[1][1]) / 2.0,
    ];
    let cam = bench.map.camera;
    assert!(
        (cam.center_m[0] - centre[0]).abs() < 1.0 && (cam.center_m[1] - centre[1]).abs() < 1.0,
        "{cam:?}"
    );
    assert!(
        cam.m_per_point < before.m_per_point / 4.0,
        "zoomed in: {} vs {}",
        cam.m_per_point,
        before.m_per_point
    );
    // With its neighbours around it: the district fills at most about half the view.
    let rect = bench.map.last_rect.unwrap();
    let [[x0, y0], [x1, y1]] = d.bbox_m;
    let share_w = (x1 - x0) / cam.m_per_point / f64::from(rect.width());
    let share_h = (y1 - y0) / cam.m_per_point / f64::from(rect.height());
    assert!(
        share_w.max(share_h) < 0.6 && share_w.max(share_h) > 0.3,
        "{share_w} x {share_h}"
    );
    // The attribute panel shows the district's properties, nested or not.
    assert!(harness.query_by_label("marginal").is_some());
}

#[test]
fn searching_a_persian_substring_filters_the_list() {
    let mut harness = harness(workbench(&sample_path()));
    // The district list's search field, the last text field (the status bar's scale field comes first).
    let text_input = egui::accesskit::Role::TextInput;
    harness.get_all_by_role(text_input).last().unwrap().focus();
    harness.run_steps(1);
    harness.get_all_by_role(text_input).last().unwrap().type_text("آباد");
    harness.run_steps(3);
    let bench = harness.state();
    let scene = bench.scene.as_ref().unwrap();
    let needle = match_key("آباد");
    let expected = scene.search_keys().iter().filter(|k| k.contains(&needle)).count();
    assert!(expected >= 10 && expected < scene.layer.districts.len(), "{expected}");
    assert!(
        harness
            .query_by_label(&format!("{expected} / {}", scene.layer.districts.len()))
            .is_some()
    );
    // Found by its Persian name, listed by its English one.
    assert!(harness.query_by_label("Hassanabad").is_some());
    assert!(
        harness.query_by_label("Koshtargah").is_none(),
        "a name without آباد is filtered out"
    );
}

#[test]
fn clicking_the_map_selects_and_shift_click_adds() {
    let mut harness = harness(workbench(&sample_path()));
    let fahadan = district_named(harness.state(), "Fahadan");
    let eskan = district_named(harness.state(), "Eskan");
    let (a, b) = (
        screen_pos_of(harness.state(), fahadan),
        screen_pos_of(harness.state(), eskan),
    );
    click_at(&mut harness, a, Modifiers::NONE);
    assert_eq!(harness.state().selection.iter().copied().collect::<Vec<_>>(), [fahadan]);
    click_at(&mut harness, b, Modifiers::SHIFT);
    let mut both = vec![fahadan, eskan];
    both.sort();
    assert_eq!(harness.state().selection.iter().copied().collect::<Vec<_>>(), both);
    assert!(harness.query_by_label("2 districts selected").is_some());
}

#[test]
fn load_warnings_are_listed_and_clicking_one_finds_the_feature() {
    let mut harness = harness(workbench(&common::fixture("mixed.geojson")));
    assert!(harness.state().show_warnings);
    harness
        // Counted from 1 in the window: the file's fourth feature (index 3).
        .get_by_label_contains("feature 4 of the file, line 11: part 1 crosses itself near")
        .click();
    harness.run_steps(40);
    let bench = harness.state();
    let bowtie = bench
        .scene
        .as_ref()
        .unwrap()
        .layer
        .districts
        .iter()
        .position(|d| d.feature_index == 3)
        .unwrap();
    assert_eq!(bench.selection.iter().copied().collect::<Vec<_>>(), [bowtie]);
}

/// The Persian interface says why a feature was warned about or skipped in Persian, counting
/// from 1 in Persian digits, with the position's hemispheres named.
#[test]
fn load_warnings_and_skips_read_in_persian() {
    let mut bench = workbench(&common::fixture("mixed.geojson"));
    bench.lang = Language::Fa;
    let mut harness = harness(bench);
    harness.run_steps(2);
    let crossing = harness.get_by_label_contains("عارضه‌ی ۴ در پرونده، خط ۱۱: بخش ۱ نزدیک");
    // A label keeps its text as its value.
    let text = crossing.value().unwrap_or_default();
    assert!(text.contains("° شمالی") && text.contains("خودش را قطع می‌کند"), "{text}");
    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
    let report = &harness.state().scene.as_ref().unwrap().layer.report;
    assert!(!report.skipped.is_empty(), "the fixture has skipped features");
    let english: Vec<String> = report.skipped.iter().map(|s| s.reason.to_string()).collect();
    // Only the rows in view are laid out: at least the first skipped one is.
    let rows: Vec<String> = harness
        .query_all_by_label_contains("— کنار گذاشته")
        .map(|node| node.value().unwrap_or_default())
        .collect();
    assert!(!rows.is_empty());
    for text in rows {
        assert!(text.starts_with("× عارضه‌ی "), "{text}");
        assert!(
            !english.iter().any(|e| text.contains(e.as_str())),
            "{text}: an English reason"
        );
    }
}

#[test]
fn a_long_warnings_list_lays_out_only_the_rows_in_view() {
    // 2,000 bow-ties: one warning each.
    let features: Vec<String> = (0..2000)
        .map(|k| {
            let x = 54.0 + f64::from(k % 50) * 0.01;
            let y = 31.0 + f64::from(k / 50) * 0.01;
            format!(
                r#"{{"type":"Feature","properties":{{"name":"b{k}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{}],[{},{y}],[{x},{}],[{x},{y}]]]}}}}"#,
                x + 0.008,
                y + 0.008,
                x + 0.008,
                y + 0.008
            )
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("mahalleh-warnings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bowties.geojson");
    std::fs::write(
        &path,
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")),
    )
    .unwrap();
    let harness = harness(workbench(&path));
    assert_eq!(
        harness.state().scene.as_ref().unwrap().layer.report.warnings.len(),
        2000
    );
    assert!(
        harness
            .query_by_label_contains("feature 1 of the file, line 1: part 1 crosses itself")
            .is_some()
    );
    assert!(
        harness.query_by_label_contains("feature 2000 of the file").is_none(),
        "rows out of view are not laid out"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn keyboard_zoom_and_home() {
    let mut harness = harness(workbench(&sample_path()));
    let start = harness.state().map.camera;
    harness.key_press(egui::Key::Plus);
    harness.run_steps(40);
    let zoomed = harness.state().map.camera;
    assert!(
        (zoomed.m_per_point - start.m_per_point / 2.0).abs() < 1e-6 * start.m_per_point,
        "{zoomed:?}"
    );
    harness.key_press(egui::Key::Home);
    harness.run_steps(40);
    let home = harness.state().map.camera;
    assert!(
        (home.m_per_point - start.m_per_point).abs() < 1e-6 * start.m_per_point,
        "{home:?} vs {start:?}"
    );
}

#[test]
fn a_bad_file_shows_an_error_and_keeps_the_layer() {
    let mut bench = workbench(&sample_path());
    let ctx = egui::Context::default();
    bench.open(common::fixture("truncated.geojson"), &ctx);
    let mut harness = harness(bench);
    for _ in 0..200 {
        harness.run_steps(1);
        if harness.state().load.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let bench = harness.state();
    assert!(
        bench
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("the file ends too early"),
        "{:?}",
        bench.error
    );
    assert_eq!(
        bench.scene.as_ref().unwrap().layer.districts.len(),
        59,
        "the old layer stays"
    );
    assert!(harness.query_by_label_contains("the file ends too early").is_some());
}

#[test]
fn placing_dragging_and_undoing_an_office() {
    let mut harness = harness(workbench(&sample_path()));
    let eskan = district_named(harness.state(), "Eskan");
    let at = screen_pos_of(harness.state(), eskan);
    harness.get_by_label("Place office").click();
    harness.run_steps(2);
    click_at(&mut harness, at, Modifiers::NONE);
    {
        let bench = harness.state();
        assert_eq!(bench.plan.plan.offices.len(), 1, "a click in place mode adds an office");
        let office = &bench.plan.plan.offices[0];
        let layer = &bench.scene.as_ref().unwrap().layer;
        assert_eq!(layer.district_at(office.lon_lat[0], office.lon_lat[1]), Some(eskan));
        assert_eq!(bench.plan.coverage.summary.offices, 1);
        assert!(bench.plan.coverage.districts[eskan].covered_fraction > 0.2);
    }
    // Listed with its district.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Offices")
        .click();
    harness.run_steps(2);
    assert!(harness.query_by_label("New office — Eskan").is_some());

    // Drag it west in select mode: the indicators follow while dragging, one undo step after.
    harness.get_by_label("Select").click();
    harness.run_steps(2);
    let reached_before = harness.state().plan.coverage.summary.population_reached;
    let hassanabad = district_named(harness.state(), "Hassanabad");
    let to = screen_pos_of(harness.state(), hassanabad);
    press_and_move(&mut harness, at, to, Modifiers::NONE);
    let during = harness.state().plan.coverage.districts[hassanabad].covered_fraction;
    assert!(harness.state().plan.drag.is_some(), "still dragging");
    assert!(during > 0.2, "coverage follows the drag: {during}");
    release_at(&mut harness, to, Modifiers::NONE);
    {
        let bench = harness.state();
        let office = &bench.plan.plan.offices[0];
        let layer = &bench.scene.as_ref().unwrap().layer;
        assert_eq!(
            layer.district_at(office.lon_lat[0], office.lon_lat[1]),
            Some(hassanabad)
        );
        assert_ne!(bench.plan.coverage.summary.population_reached, reached_before);
        assert_eq!(bench.plan.coverage.districts[eskan].covered_fraction, 0.0);
    }
    // Undo the move, then the placing: the office is gone.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let back = harness.state().plan.plan.offices[0].lon_lat;
    let layer = harness.state().scene.as_ref().unwrap().layer.clone();
    assert_eq!(layer.district_at(back[0], back[1]), Some(eskan));
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().plan.plan.offices.is_empty());
    assert_eq!(harness.state().plan.coverage.summary.offices, 0);
    // And redo brings it back.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().plan.plan.offices.len(), 1);
}

/// The bug this guards against: the editor kept a copy of the whole office from before a drag and
/// committed it when a field was edited, so the office jumped back. Each field is its own command.
#[test]
fn editing_an_office_right_after_dragging_it_keeps_the_drag() {
    use egui::accesskit::Role;
    use mahalleh::model::OfficeStatus;
    let mut harness = harness(workbench(&sample_path()));
    let eskan = district_named(harness.state(), "Eskan");
    let hassanabad = district_named(harness.state(), "Hassanabad");
    let at = screen_pos_of(harness.state(), eskan);
    harness.get_by_label("Place office").click();
    harness.run_steps(2);
    click_at(&mut harness, at, Modifiers::NONE);
    harness.get_by_label("Select").click();
    harness.run_steps(2);
    // The editor is showing (the new office is selected) before the drag starts.
    assert!(harness.query_by_role_and_label(Role::TextInput, "Name").is_some());
    let id = harness.state().plan.plan.offices[0].id;
    let to = screen_pos_of(harness.state(), hassanabad);
    press_and_move(&mut harness, at, to, Modifiers::NONE);
    // While dragging, the panel shows where the office is being taken.
    let shown = harness.state().plan.shown_lon_lat(id).unwrap();
    let coordinates = format!("{:.5}, {:.5}", shown[1], shown[0]);
    assert!(
        harness.query_by_label(&coordinates).is_some(),
        "the editor follows the drag: {coordinates}"
    );
    release_at(&mut harness, to, Modifiers::NONE);
    let dragged_to = harness.state().plan.plan.office(id).unwrap().lon_lat;
    let layer = harness.state().scene.as_ref().unwrap().layer.clone();
    assert_eq!(layer.district_at(dragged_to[0], dragged_to[1]), Some(hassanabad));

    // Rename: type, then leave the field with Enter.
    harness.get_by_role_and_label(Role::TextInput, "Name").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("دفتر حسن‌آباد");
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let office = harness.state().plan.plan.office(id).unwrap().clone();
    assert_eq!(office.name, "دفتر حسن‌آباد");
    assert_eq!(office.lon_lat, dragged_to, "renaming keeps the drag");

    // Status through the combo box.
    harness.get_by_role_and_label(Role::ComboBox, "Status").click();
    harness.run_steps(2);
    harness.get_by_label("Approved").click();
    harness.run_steps(2);
    let office = harness.state().plan.plan.office(id).unwrap().clone();
    assert_eq!(office.status, OfficeStatus::Approved);
    assert_eq!(office.lon_lat, dragged_to, "a new status keeps the drag");
    assert_eq!(
        harness.state().plan.history.undo_steps(),
        4,
        "place, move, rename, status: one step each and nothing else"
    );

    // Undo walks back one field at a time.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let office = harness.state().plan.plan.office(id).unwrap().clone();
    assert_eq!(
        (office.status, office.name.as_str(), office.lon_lat),
        (OfficeStatus::Proposed, "دفتر حسن‌آباد", dragged_to)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let office = harness.state().plan.plan.office(id).unwrap().clone();
    assert_eq!((office.name.as_str(), office.lon_lat), ("New office", dragged_to));
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let back = harness.state().plan.plan.office(id).unwrap().lon_lat;
    assert_eq!(layer.district_at(back[0], back[1]), Some(eskan));
}

/// Longitude/latitude under a screen position of the map.
fn lon_lat_at(bench: &Workbench, pos: Pos2) -> [f64; 2] {
    let [x, y] = bench.map.camera.map_from_screen(bench.map.last_rect.unwrap(), pos);
    mahalleh::map::lon_lat_from_mercator(x, y)
}

#[test]
fn selecting_several_offices_and_moving_and_deleting_them_together() {
    let mut harness = harness(workbench(&sample_path()));
    let centre = harness.state().map.last_rect.unwrap().center();
    // A and C close together on the left, B away on the right.
    let at_a = centre + egui::vec2(-120.0, 0.0);
    let at_c = centre + egui::vec2(-60.0, 50.0);
    let at_b = centre + egui::vec2(160.0, -90.0);
    let [a, b, c] = [at_a, at_b, at_c].map(|p| {
        let lon_lat = lon_lat_at(harness.state(), p);
        harness.state_mut().plan.place_office(lon_lat, "office".into()).unwrap()
    });
    harness.state_mut().plan.selected_offices.clear();
    harness.run_steps(2);

    // Click selects one, Shift+click adds, Shift+click again takes it out.
    click_at(&mut harness, at_a, Modifiers::NONE);
    assert_eq!(harness.state().plan.selected_offices, BTreeSet::from([a]));
    click_at(&mut harness, at_b, Modifiers::SHIFT);
    assert_eq!(harness.state().plan.selected_offices, BTreeSet::from([a, b]));
    assert!(harness.query_by_label("2 offices selected").is_some());
    click_at(&mut harness, at_b, Modifiers::SHIFT);
    assert_eq!(harness.state().plan.selected_offices, BTreeSet::from([a]));
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(
        harness.state().plan.selected_offices.is_empty(),
        "Escape clears the selection"
    );

    // Shift+drag a box around A and C from an empty spot: the map does not pan.
    let camera_before = harness.state().map.camera;
    let (box_from, box_to) = (centre + egui::vec2(-160.0, -30.0), centre + egui::vec2(-20.0, 90.0));
    press_and_move(&mut harness, box_from, box_to, Modifiers::SHIFT);
    assert!(
        harness.state().plan.box_select.is_some(),
        "the box is drawn while dragging"
    );
    release_at(&mut harness, box_to, Modifiers::SHIFT);
    assert_eq!(harness.state().plan.selected_offices, BTreeSet::from([a, c]));
    assert_eq!(harness.state().map.camera, camera_before);

    // Dragging A moves A and C by the same amount, as one undo step; B stays.
    let before = harness.state().plan.plan.clone();
    let shift = egui::vec2(80.0, 60.0);
    press_and_move(&mut harness, at_a, at_a + shift, Modifiers::NONE);
    release_at(&mut harness, at_a + shift, Modifiers::NONE);
    let bench = harness.state();
    let moved = |id| bench.plan.plan.office(id).unwrap().lon_lat;
    let screen = |lon_lat: [f64; 2]| {
        bench.map.camera.screen_from_map(
            bench.map.last_rect.unwrap(),
            mahalleh::map::mercator_from_lon_lat(lon_lat[0], lon_lat[1]),
        )
    };
    assert!(
        (screen(moved(a)) - (at_a + shift)).length() < 1.0,
        "A under the pointer"
    );
    assert!((screen(moved(c)) - (at_c + shift)).length() < 1.0, "C moved with it");
    assert_eq!(moved(b), before.office(b).unwrap().lon_lat);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().plan.plan, before, "one undo puts both back");

    // Delete removes the selection in one step; undo brings both back.
    harness.key_press(egui::Key::Delete);
    harness.run_steps(2);
    let left: Vec<_> = harness.state().plan.plan.offices.iter().map(|o| o.id).collect();
    assert_eq!(left, vec![b]);
    assert_eq!(harness.state().plan.coverage.summary.offices, 1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().plan.plan, before);
}

#[test]
fn saving_and_reopening_a_plan() {
    let mut bench = workbench(&sample_path());
    bench.map.camera = mahalleh::ui::map::Camera {
        center_m: mahalleh::map::mercator_from_lon_lat(54.36, 31.91),
        m_per_point: 3.5,
    };
    bench.plan.place_office([54.37, 31.9], "دفتر مرکزی".into()).unwrap();
    bench.plan.apply(mahalleh::model::Command::SetRadius(650.0)).unwrap();
    assert!(bench.plan.dirty);
    let dir = std::env::temp_dir().join(format!("mahalleh-ui-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.mahalleh");
    bench.save_plan_to(path.clone()).unwrap();
    assert!(!bench.plan.dirty);
    let mut other = workbench(&sample_path());
    other.open_plan(path, &egui::Context::default());
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(other.plan.plan, bench.plan.plan);
    assert_eq!(other.plan.coverage, bench.plan.coverage);
    // The view comes back too.
    let (a, b) = (other.map.camera, bench.map.camera);
    assert!((a.m_per_point / b.m_per_point - 1.0).abs() < 1e-9, "{a:?} vs {b:?}");
    assert!((a.center_m[0] - b.center_m[0]).abs() < 1e-3 && (a.center_m[1] - b.center_m[1]).abs() < 1e-3);
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut bench = workbench(&sample_path());
    assert_eq!(bench.title(), "mahalleh — yazd-neighbourhoods.geojson");
    bench.plan.place_office([54.37, 31.9], "A".into()).unwrap();
    assert!(bench.title().ends_with(" *"), "{}", bench.title());
    let mut harness = harness(bench);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(3);
    assert!(!harness.state().wants_to_close(), "unsaved work: not yet");
    assert!(harness.state().confirm_quit);
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(!harness.state().confirm_quit && !harness.state().wants_to_close());
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(3);
    harness.get_by_label("Quit without saving").click();
    harness.run_steps(3);
    assert!(harness.state().wants_to_close());
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back() {
    let dir = std::env::temp_dir().join(format!("mahalleh-recovery-{}", std::process::id()));
    let recovery = dir.join("recovery.mahalleh");
    let mut bench = workbench(&sample_path());
    bench.recovery_path = Some(recovery.clone());
    bench.autosave_every_s = 0.05;
    bench.plan.place_office([54.3, 31.93], "حسن‌آباد".into()).unwrap();
    let mut first = harness(bench);
    first.run_steps(10);
    assert!(recovery.exists(), "autosaved");
    drop(first);

    // The next start offers it back.
    let mut next = workbench(&sample_path());
    next.recovery_path = Some(recovery.clone());
    next.recovery_offer = Some(recovery.clone());
    let mut harness = harness(next);
    harness.get_by_label("Restore").click();
    harness.run_steps(3);
    let restored = harness.state();
    assert_eq!(restored.plan.plan.offices.len(), 1);
    assert_eq!(restored.plan.plan.offices[0].name, "حسن‌آباد");
    assert!(
        restored.plan.dirty && restored.plan.path.is_none(),
        "restored work is still unsaved"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_layout_dialog_edits_the_plan_and_previews_the_page() {
    let mut bench = workbench(&sample_path());
    bench.plan.place_office([54.37, 31.9], "دفتر مرکزی".into()).unwrap();
    let mut harness = harness(bench);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Print layout…").click();
    harness.run_steps(2);
    assert!(harness.state().layout_dialog.open);
    // Type a title; it becomes the plan's when the field is left (Enter).
    harness.get_by_label("Title").focus();
    harness.run_steps(1);
    harness.get_by_label("Title").type_text("دفاتر یزد");
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let layout = harness.state().plan.plan.layout.clone().expect("a layout in the plan");
    assert_eq!(layout.title, "دفاتر یزد");
    assert!(harness.state().plan.dirty);
    // Portrait A4 is one click each, one undo step each.
    harness.get_by_label("Portrait").click();
    harness.run_steps(2);
    let layout = harness.state().plan.plan.layout.clone().unwrap();
    assert_eq!(layout.orientation, mahalleh::model::layout::Orientation::Portrait);
    // The preview arrives from its thread with the page's shape (A3 portrait: 297 × 420).
    let mut size = None;
    for _ in 0..200 {
        harness.run_steps(1);
        size = harness
            .state()
            .layout_dialog
            .preview_size
            .filter(|[w, h]| h > w && !harness.state().layout_dialog.busy());
        if size.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let [w, h] = size.expect("a portrait preview within 5 s");
    assert!((f64::from(h) / f64::from(w) - 420.0 / 297.0).abs() < 0.01, "{w} x {h}");
    // Undo takes back the orientation, then the title.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let layout = harness.state().plan.plan.layout.clone().unwrap();
    assert_eq!(layout.orientation, mahalleh::model::layout::Orientation::Landscape);
    assert_eq!(layout.title, "دفاتر یزد");
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(
        harness
            .state()
            .plan
            .plan
            .layout
            .as_ref()
            .map_or("", |l| l.title.as_str()),
        ""
    );
    assert_eq!(
        harness.state().layout_dialog.edited().map(|l| l.title.as_str()),
        Some("")
    );
}

/// Runs frames, `pause_ms` apart, until `done` holds (then two more, so what just appeared is
/// laid out where clicks will go), for at most `tries` frames; else fails saying `what`.
fn step_until(
    harness: &mut Harness<'_, Workbench>,
    tries: usize,
    pause_ms: u64,
    what: &str,
    done: impl Fn(&Harness<'_, Workbench>) -> bool,
) {
    for _ in 0..tries {
        harness.run_steps(1);
        if done(harness) {
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(pause_ms));
    }
    panic!("{what} did not happen");
}

/// Runs frames until the suggest panel's search has ended (at most 60 s).
fn wait_for_suggestion(harness: &mut Harness<'_, Workbench>) {
    step_until(harness, 2400, 25, "the suggestion", |h| !h.state().suggest.busy());
}

#[test]
fn suggesting_sites_and_accepting_them_as_proposed_offices() {
    use mahalleh::model::{Command, OfficeEdit, OfficeStatus};
    let mut bench = workbench(&sample_path());
    // An approved office stays where it is and counts among the chosen.
    let id = bench.plan.place_office([54.37, 31.9], "approved".into()).unwrap();
    bench
        .plan
        .apply(Command::EditOffice(id, OfficeEdit::Status(OfficeStatus::Approved)))
        .unwrap();
    bench.suggest.new_sites = 3;
    let mut harness = harness(bench);
    harness.get_by_label("Suggest sites…").click();
    harness.run_steps(2);
    assert!(harness.state().suggest.open);
    harness.get_by_label("Most residents within the radius").click();
    harness.run_steps(1);
    harness.get_by_label("Suggest").click();
    harness.run_steps(1);
    assert!(harness.state().suggest.busy(), "the search runs in the background");
    wait_for_suggestion(&mut harness);
    let result = harness.state().suggest.result.clone().expect("an answer");
    assert_eq!(result.sites.len(), 3);
    assert_eq!(result.kept, 1);
    assert!(result.after.within_radius > result.before.within_radius);
    assert!(result.sites.iter().all(|s| s.contribution > 0.0), "{:?}", result.sites);
    // The answer in plain words: the indicators' own figure first, the search's weighted one
    // said to be weighted.
    harness.get_by_label_contains("Population reached: ");
    harness.get_by_label_contains(
        "In the search's own weighted terms (residents at demand points, marginal residents ×2)",
    );
    // Three numbered violet diamonds wait on the map.
    let marks = harness.state().suggest.marks(&harness.state().plan, Language::En);
    assert_eq!(
        marks.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    // Accept the first: it becomes a proposed office named for the suggestion (the list adds the
    // district; the name does not repeat it).
    harness.get_all_by_label("Accept").next().unwrap().click();
    harness.run_steps(2);
    let offices = &harness.state().plan.plan.offices;
    assert_eq!(offices.len(), 2);
    assert_eq!(offices[1].status, OfficeStatus::Proposed);
    assert_eq!(offices[1].name, "Suggestion 1");
    assert_eq!(offices[1].lon_lat, result.sites[0].lon_lat);
    assert_eq!(
        harness.state().suggest.marks(&harness.state().plan, Language::En).len(),
        2
    );
    // Accept all takes the other two in one step; the indicators then show what the answer
    // promised, to the digit. One undo takes both back.
    harness.get_by_label("Accept all").click();
    harness.run_steps(2);
    assert_eq!(harness.state().plan.plan.offices.len(), 4);
    let shown = harness.state().plan.coverage.summary.clone();
    assert_eq!(shown, result.indicators_after);
    let promised = Language::En
        .numbers()
        .percent(result.indicators_after.population_share.unwrap(), 1);
    assert!(
        harness.query_by_label(&promised).is_some(),
        "the indicator panel shows {promised}"
    );
    harness.get_by_label_contains(&format!(
        "Population reached: {}",
        Language::En
            .numbers()
            .percent(result.indicators_before.population_share.unwrap(), 1)
    ));
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().plan.plan.offices.len(), 2);
    assert_eq!(
        harness.state().suggest.marks(&harness.state().plan, Language::En).len(),
        2
    );
    // Discard drops the answer and its marks.
    harness.get_by_label("Discard").click();
    harness.run_steps(2);
    assert!(harness.state().suggest.result.is_none());
    assert!(
        harness
            .state()
            .suggest
            .marks(&harness.state().plan, Language::En)
            .is_empty()
    );
    assert_eq!(harness.state().plan.plan.offices.len(), 2, "accepted offices stay");
}

#[test]
fn a_suggestion_can_be_cancelled_and_the_window_keeps_working() {
    let mut bench = workbench(&sample_path());
    // A fine grid of candidates makes a long search.
    bench.suggest.candidates = mahalleh::ui::suggest_panel::CandidateKind::Grid;
    bench.suggest.grid_spacing_m = 100.0;
    bench.suggest.open = true;
    let mut harness = harness(bench);
    harness.get_by_label("Suggest").click();
    harness.run_steps(2);
    assert!(harness.state().suggest.busy());
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(!harness.state().suggest.busy());
    harness.get_by_label("The search was cancelled.");
    assert!(harness.state().suggest.result.is_none());
    // The panel can search again at once.
    harness.state_mut().suggest.candidates = mahalleh::ui::suggest_panel::CandidateKind::DistrictCentres;
    harness.get_by_label("Suggest").click();
    harness.run_steps(1);
    wait_for_suggestion(&mut harness);
    assert_eq!(harness.state().suggest.result.as_ref().map(|r| r.sites.len()), Some(5));
    // Another layer drops suggestions made for this one's districts.
    let layer = common::load(&sample_path()).unwrap();
    harness.state_mut().set_scene(MapScene::new(Arc::new(layer)));
    assert!(harness.state().suggest.result.is_none());
}

#[test]
fn a_map_without_opengl_says_so_in_the_status_bar() {
    let bench = workbench(&sample_path());
    bench.map.gl.lock().unwrap().failure = Some("map shader did not compile: test".into());
    let harness = harness(bench);
    harness.get_by_label("Map drawn without OpenGL (slower)");
}

#[test]
fn selected_offices_can_be_kept_in_a_suggestion() {
    let mut bench = workbench(&sample_path());
    let id = bench.plan.place_office([54.37, 31.9], "proposed".into()).unwrap();
    bench.suggest.new_sites = 2;
    bench.suggest.open = true;
    let mut harness = harness(bench);
    assert_eq!(
        harness
            .state()
            .plan
            .selected_offices
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        [id]
    );
    harness.get_by_label("Keep the selected offices too (1)").click();
    harness.run_steps(1);
    harness.get_by_label("Suggest").click();
    harness.run_steps(1);
    wait_for_suggestion(&mut harness);
    let result = harness.state().suggest.result.clone().unwrap();
    assert_eq!(result.kept, 1, "the selected proposed office stays");
    assert_eq!(result.sites.len(), 2);
    assert!(result.sites.iter().all(|s| s.lon_lat != [54.37, 31.9]));
}

/// The sample with an unsaved office, on a desktop without its own file dialogs.
fn unsaved_without_native_dialogs() -> Workbench {
    use mahalleh::ui::file_dialog::{DialogKind, FileDialogs};
    let mut bench = workbench(&sample_path());
    bench.files = FileDialogs::new(DialogKind::Egui);
    bench.plan.place_office([54.37, 31.9], "دفتر".into()).unwrap();
    bench
}

/// Where the desktop has no file-chooser portal (this machine, every server), saving, "Save and
/// quit" and exports must still work: through the dialog drawn in the window. Quitting waits for
/// the save.
#[test]
fn save_and_quit_without_a_native_dialog_saves_through_the_window_dialog_first() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::By;
    use mahalleh::ui::file_dialog::FilePurpose;
    let dir = std::env::temp_dir().join(format!("mahalleh-save-quit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("طرح یزد");
    let mut harness = harness(unsaved_without_native_dialogs());
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(3);
    harness.get_by_label("Save and quit").click();
    harness.run_steps(3);
    assert_eq!(harness.state().files.purpose(), Some(FilePurpose::SavePlanThenQuit));
    assert!(!harness.state().wants_to_close(), "not before the plan is saved");
    // The dialog suggests a name beside the districts; type another place instead.
    let name = harness.get(By::new().role(Role::TextInput).label("File name:"));
    assert_eq!(name.value().as_deref(), Some("yazd-neighbourhoods.mahalleh"));
    name.focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "File name:")
        .type_text(&target.to_string_lossy());
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    let saved = target.with_extension("mahalleh");
    let doc = mahalleh::io::load_plan(&saved).expect("the plan was written");
    assert_eq!(doc.plan.offices[0].name, "دفتر");
    assert!(!harness.state().plan.dirty);
    assert!(harness.state().wants_to_close(), "saved, so the window may close");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Cancelling the window's dialog during "Save and quit" quits nothing.
#[test]
fn cancelling_the_save_of_save_and_quit_keeps_the_window() {
    let mut harness = harness(unsaved_without_native_dialogs());
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(3);
    harness.get_by_label("Save and quit").click();
    harness.run_steps(3);
    assert!(harness.state().files.is_open());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Cancel")
        .click();
    harness.run_steps(3);
    assert!(!harness.state().files.is_open());
    assert!(!harness.state().wants_to_close() && harness.state().plan.dirty);
}

/// Ctrl+S on a plan opened from a file writes that file, with no dialog at all.
#[test]
fn ctrl_s_on_an_opened_plan_saves_it_in_place() {
    use mahalleh::ui::file_dialog::{DialogKind, FileDialogs};
    let dir = std::env::temp_dir().join(format!("mahalleh-ctrl-s-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.mahalleh");
    let mut first = workbench(&sample_path());
    first.plan.place_office([54.37, 31.9], "A".into()).unwrap();
    first.save_plan_to(path.clone()).unwrap();
    let mut bench = workbench(&sample_path());
    bench.files = FileDialogs::new(DialogKind::Egui);
    bench.open_plan(path.clone(), &egui::Context::default());
    bench.plan.place_office([54.38, 31.91], "B".into()).unwrap();
    let mut harness = harness(bench);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    assert!(!harness.state().files.is_open(), "no dialog");
    assert!(!harness.state().plan.dirty);
    let doc = mahalleh::io::load_plan(&path).unwrap();
    assert_eq!(doc.plan.offices.len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs frames until no layer is loading (at most 20 s).
fn wait_for_load(harness: &mut Harness<'_, Workbench>) {
    for _ in 0..800 {
        harness.run_steps(1);
        if harness.state().load.is_none() {
            harness.run_steps(2);
            if harness.state().load.is_none() {
                return;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the layer did not load within 20 s");
}

/// Writes a plan naming `districts` (relative to the plan) with `label_field`, and returns its path.
fn write_plan(dir: &Path, districts: &str, label_field: Option<&str>) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("plan.mahalleh");
    let label = label_field.map_or(String::new(), |f| format!(r#","label_field":"{f}""#));
    let text = format!(
        r#"{{"format":"mahalleh-plan","schema_version":1,"districts":{{"path":"{districts}"{label}}},
        "radius_m":700,"offices":[{{"id":1,"name":"اسکان","lon_lat":[54.43,31.94]}}],"next_office_id":2}}"#
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_plan_whose_layer_cannot_open_keeps_naming_its_own_layer() {
    let dir = std::env::temp_dir().join(format!("mahalleh-missing-layer-{}", std::process::id()));
    let plan_path = write_plan(&dir, "gone/districts.geojson", None);
    let mut harness = harness(workbench(&sample_path()));
    harness.state_mut().open_plan(plan_path, &egui::Context::default());
    harness.run_steps(1);
    wait_for_load(&mut harness);
    let bench = harness.state();
    assert!(
        bench.scene.is_none(),
        "the sample is not shown under this plan's offices"
    );
    let problem = bench.layer_problem.clone().expect("the failure is shown");
    assert!(problem.source.path.ends_with("gone/districts.geojson"));
    assert!(
        harness
            .query_by_label("The plan's district layer could not be opened")
            .is_some()
    );
    // Saving keeps the plan's own districts, not what the window showed before.
    let saved = dir.join("saved.mahalleh");
    harness.state_mut().save_plan_to(saved.clone()).unwrap();
    let doc = mahalleh::io::load_plan(&saved).unwrap();
    assert!(doc.plan.districts.unwrap().path.ends_with("gone/districts.geojson"));
    assert_eq!(doc.plan.offices.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_window_labels_districts_by_the_plans_label_field() {
    let dir = std::env::temp_dir().join(format!("mahalleh-label-field-{}", std::process::id()));
    let plan_path = write_plan(&dir, &sample_path().to_string_lossy(), Some("name_en"));
    let mut bench = Workbench::default();
    bench.lang = Language::En;
    let mut harness = harness(bench);
    harness.state_mut().open_plan(plan_path, &egui::Context::default());
    harness.run_steps(1);
    wait_for_load(&mut harness);
    let bench = harness.state();
    let eskan = district_named(bench, "Eskan");
    let layer = &bench.scene.as_ref().expect("the plan's layer is shown").layer;
    assert_eq!(layer.label(eskan), "Eskan");
    assert!(harness.query_by_label("Fahadan").is_some(), "the list uses it too");
    assert!(!harness.state().plan.dirty, "showing the plan is no edit");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn suggestions_can_be_limited_to_one_city_and_keep_proposed_offices() {
    let mut bench = workbench(&sample_path());
    let koshtargah = district_named(&bench, "Koshtargah");
    let at = bench.scene.as_ref().unwrap().layer.drawing().districts[koshtargah].label_anchor_lon_lat;
    bench.plan.place_office(at, "دفتر کشتارگاه".into()).unwrap();
    bench.suggest.new_sites = 2;
    let mut harness = harness(bench);
    harness.get_by_label("Suggest sites…").click();
    harness.run_steps(2);
    harness.get_by_label("Keep proposed offices too (1)").click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Only in")
        .click();
    harness.run_steps(2);
    // The entry's accessible text is in visual order (the bidi layout egui is given).
    harness.get_by_label_contains("(city)میبد").click();
    harness.run_steps(2);
    harness.get_by_label("Suggest").click();
    harness.run_steps(1);
    wait_for_suggestion(&mut harness);
    let result = harness.state().suggest.result.clone().expect("an answer");
    assert_eq!(result.kept, 1, "the proposed office stays");
    let layer = harness.state().scene.as_ref().unwrap().layer.clone();
    for site in &result.sites {
        let d = site.district.expect("in a district");
        assert_eq!(layer.districts[d].properties["city"], "میبد", "{}", layer.label(d));
    }
    // Far from the office in Yazd, and said so by nothing: no "next to" line.
    assert!(harness.query_by_label_contains("from the plan's office").is_none());
}

/// A district clicked on the map is brought into view in the list.
#[test]
fn the_list_scrolls_to_a_district_selected_on_the_map() {
    use egui::accesskit::Role;
    let mut harness = harness(workbench(&sample_path()));
    // The last district in file order is below the list's fold at the start.
    let last = harness.state().scene.as_ref().unwrap().layer.districts.len() - 1;
    let label = harness
        .state()
        .scene
        .as_ref()
        .unwrap()
        .layer
        .label_in(last, Language::En)
        .into_owned();
    assert!(
        harness.query_by_role_and_label(Role::Button, &label).is_none(),
        "«{label}» starts out of the list's view"
    );
    let at = screen_pos_of(harness.state(), last);
    click_at(&mut harness, at, Modifiers::NONE);
    assert_eq!(harness.state().selection.iter().copied().collect::<Vec<_>>(), [last]);
    harness.run_steps(2);
    assert!(
        harness.query_by_role_and_label(Role::Button, &label).is_some(),
        "«{label}» is scrolled into the list's view"
    );
}

/// The Persian interface writes numbers in Persian digits with Persian separators, in lists,
/// indicators and the attribute panel alike.
#[test]
fn the_persian_interface_writes_numbers_in_persian_digits() {
    let mut bench = workbench(&sample_path());
    bench.lang = Language::Fa;
    let eskan = district_named(&bench, "Eskan");
    bench.select(Some(eskan), false);
    let mut harness = harness(bench);
    harness.run_steps(2);
    assert!(harness.query_by_label("۵۹ / ۵۹").is_some(), "the list's count");
    // Persian names in Persian, where English names are shown in English.
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::Button, "کشتارگاه")
            .is_some()
    );
    assert!(harness.query_by_label("Koshtargah").is_none());
    assert!(harness.query_by_label("۰ / ۵").is_some(), "marginal districts reached");
    let row = harness.state().scene.as_ref().unwrap().layer.districts[eskan].feature_index + 1;
    let row = mahalleh::text::persian_digits(&row.to_string());
    assert!(
        harness.query_by_label(&format!("عارضه‌ی {row} در پرونده")).is_some(),
        "the feature's place in the file, counted from 1"
    );
    let population = harness.state().scene.as_ref().unwrap().layer.districts[eskan].properties["population"]
        .as_u64()
        .unwrap();
    let shown = Language::Fa.numbers().count(population);
    assert!(shown.contains('٬') || population < 1000, "{shown}");
    assert!(harness.query_by_label(&shown).is_some(), "the population as {shown}");
}

/// Files that ask which layer or coordinate system.
#[path = "ui_workbench/read_questions.rs"]
mod read_questions;

#[path = "ui_workbench/thematic.rs"]
mod thematic;

#[path = "ui_workbench/joins.rs"]
mod joins;

#[path = "ui_workbench/measure.rs"]
mod measure;

#[path = "ui_workbench/basemap.rs"]
mod basemap;

#[path = "ui_workbench/view.rs"]
mod view;

#[path = "ui_workbench/layers.rs"]
mod layers;
