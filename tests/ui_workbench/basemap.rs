//! The basemap in the window: dropped in, drawn from its tiles under translucent fills, its
//! attribution in the status bar, hidden from the menu, undone; a damaged file is a message.

use super::*;
use egui::accesskit::Role;
use mahalleh::basemap::TileId;

/// An MBTiles file of solid tiles over the sample map (zooms 9 to 12), with an attribution.
fn sample_basemap() -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-basemap.mbtiles");
    let mut tiles = Vec::new();
    let [x, y] = mahalleh::map::mercator_from_lon_lat(54.2, 32.05);
    for z in 9..=12 {
        let centre = TileId::at_m(z, [x, y]);
        let reach = 1 << (z - 9);
        for tx in centre.x.saturating_sub(reach)..=centre.x + reach {
            for ty in centre.y.saturating_sub(reach)..=centre.y + reach {
                tiles.push((
                    TileId::new(z, tx, ty).unwrap(),
                    common::png_of(256, 256, [90, 140, 200, 255]),
                ));
            }
        }
    }
    common::write_mbtiles(&path, "png", "<b>&copy; Test tiles</b>", &tiles);
    path
}

/// Runs frames until the reader thread has delivered the view's tiles (or gives up).
fn wait_for_tiles(harness: &mut Harness<'_, Workbench>) {
    step_until(harness, 200, 10, "the basemap's tiles arriving", |h| {
        h.state()
            .map
            .basemap
            .as_ref()
            .is_some_and(|t| t.loaded() > 0 && t.waiting() == 0)
    });
}

#[test]
fn a_dropped_basemap_draws_under_translucent_fills_and_undoes() {
    let mut harness = harness(workbench(&sample_path()));
    assert!(harness.state().map.district_colors.iter().all(|c| c[3] == 255));
    let basemap = sample_basemap();
    drop_file(&mut harness, &basemap);
    assert_eq!(
        harness.state().plan.plan.basemap.as_ref().map(|b| b.source.clone()),
        Some(mahalleh::model::BasemapSource::File { path: basemap.clone() })
    );
    wait_for_tiles(&mut harness);
    let tiles = harness.state().map.basemap.as_ref().unwrap();
    assert_eq!((tiles.info.min_zoom, tiles.info.max_zoom), (9, 12));
    assert!(tiles.tile_errors.1 == 0, "{:?}", tiles.tile_errors);
    assert!(harness.state().map.show_basemap);
    // The attribution, as plain text, in the status bar.
    harness.get_by_label_contains("© Test tiles");
    // Fills are 55 % opaque over it (premultiplied).
    let alpha = (255.0_f32 * mahalleh::model::DEFAULT_DISTRICTS_OPACITY).round() as u8;
    assert!(harness.state().map.district_colors.iter().all(|c| c[3] == alpha));

    // View → Basemap → Show the basemap: hidden, fills opaque again, and the plan says so.
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Basemap").click();
    harness.run_steps(2);
    harness.get_by_label("Show the basemap").click();
    harness.run_steps(2);
    let bench = harness.state();
    assert!(!bench.plan.plan.basemap.as_ref().unwrap().visible);
    assert!(!bench.map.show_basemap);
    assert!(bench.map.district_colors.iter().all(|c| c[3] == 255));
    assert!(
        harness.query_by_label_contains("© Test tiles").is_none(),
        "no attribution when hidden"
    );

    // Undo twice: shown again, then no basemap at all.
    harness.key_press(egui::Key::Escape);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().map.show_basemap);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let bench = harness.state();
    assert_eq!(bench.plan.plan.basemap, None);
    assert!(bench.map.basemap.is_none());
    assert!(bench.map.district_colors.iter().all(|c| c[3] == 255));
}

#[test]
fn a_damaged_basemap_is_a_message_and_the_map_stays() {
    let mut harness = harness(workbench(&sample_path()));
    let bad = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-damaged.pmtiles");
    std::fs::write(&bad, b"PMTiles\x03 cut short").unwrap();
    drop_file(&mut harness, &bad);
    harness.run_steps(2);
    let bench = harness.state();
    assert!(bench.map.basemap.is_none());
    let (source, reason) = bench.basemap_menu.problem.clone().unwrap();
    assert_eq!(source, mahalleh::model::BasemapSource::File { path: bad.clone() });
    assert!(reason.contains("header"), "{reason}");
    harness.get_by_label_contains("The basemap did not open");
    // Fills stay opaque: there is nothing under them.
    assert!(harness.state().map.district_colors.iter().all(|c| c[3] == 255));
    assert!(harness.state().scene.is_some());
}

#[test]
fn an_online_basemap_is_typed_checked_and_credited() {
    let mut harness = harness(workbench(&sample_path()));
    let open_menu = |harness: &mut Harness<'_, Workbench>| {
        if harness.query_by_label("Use").is_none() {
            harness.get_by_label("View").click();
            harness.run_steps(2);
            harness.get_by_label("Basemap").click();
            harness.run_steps(2);
        }
    };
    let url_field = "Online tiles (the XYZ address of a server you may use):";
    open_menu(&mut harness);
    harness.get_by_role_and_label(Role::TextInput, url_field).focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, url_field)
        .type_text("https://t.example.org/{z}/{x}.png");
    harness.run_steps(1);
    harness.get_by_label("Use").click();
    harness.run_steps(2);
    assert_eq!(harness.state().plan.plan.basemap, None, "no {{y}}: not taken");
    harness.get_by_label_contains("has no {y}");

    // A real template (to a port nothing answers on): taken, credited, its tiles failing in
    // the status bar rather than anywhere else.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png");
    open_menu(&mut harness);
    harness.get_by_role_and_label(Role::TextInput, url_field).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, url_field)
        .type_text(&url);
    harness.get_by_role_and_label(Role::TextInput, "Attribution:").focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Attribution:")
        .type_text("© Test server");
    harness.run_steps(1);
    harness.get_by_label("Use").click();
    harness.run_steps(2);
    let source = harness.state().plan.plan.basemap.as_ref().unwrap().source.clone();
    assert_eq!(
        source,
        mahalleh::model::BasemapSource::Online {
            url,
            attribution: "© Test server".into(),
            max_zoom: mahalleh::model::DEFAULT_ONLINE_MAX_ZOOM,
        }
    );
    harness.key_press(egui::Key::Escape);
    harness.get_by_label_contains("© Test server");
    for _ in 0..300 {
        harness.run_steps(1);
        if harness
            .state()
            .map
            .basemap
            .as_ref()
            .is_some_and(|t| t.tile_errors.1 > 0)
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The status bar is drawn before the map that counted them: one more frame.
    harness.run_steps(1);
    harness.get_by_label_contains("tiles could not be read");
}

#[test]
fn online_tiles_fill_the_view_each_fetched_once() {
    let (address, seen) = common::serve_tiles();
    let mut harness = harness(workbench(&sample_path()));
    let template = format!("{address}/tiles/{{z}}/{{x}}/{{y}}.png");
    // Its own cache folder, so tiles an earlier run fetched are not read instead.
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ui-tiles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    harness.state_mut().basemap_menu.tile_cache = Some(cache.clone());
    let basemap = mahalleh::model::Basemap::online(template.as_str(), "© Local server");
    harness
        .state_mut()
        .plan
        .submit(mahalleh::model::Command::SetBasemap(Some(basemap)));
    wait_for_tiles(&mut harness);
    let loaded = harness.state().map.basemap.as_ref().unwrap().loaded();
    let paths: Vec<String> = seen.lock().unwrap().iter().map(|(p, _)| p.clone()).collect();
    let distinct: BTreeSet<&String> = paths.iter().collect();
    assert!(loaded >= 4, "{loaded} tiles");
    assert_eq!(distinct.len(), paths.len(), "a tile fetched twice: {paths:?}");
    assert!(paths.len() >= loaded);
    assert!(cache.exists(), "tiles kept in the cache");
    harness.get_by_label_contains("© Local server");
}

#[test]
fn a_dropped_vector_basemap_is_drawn_into_tiles_with_no_error() {
    let mut harness = harness(workbench(&sample_path()));
    let fixture = common::fixture("yazd-vector.mbtiles");
    drop_file(&mut harness, &fixture);
    // The sample's view lies around the fixture's few tiles: zoom to them.
    let [x, y] = mahalleh::map::mercator_from_lon_lat(54.3626, 31.8926);
    harness.state_mut().map.camera.center_m = [x, y];
    harness.state_mut().map.camera.m_per_point = 2.0;
    wait_for_tiles(&mut harness);
    let tiles = harness.state().map.basemap.as_ref().unwrap();
    assert_eq!(tiles.info.format, mahalleh::basemap::TileFormat::Vector);
    assert_eq!(tiles.info.drawn_max_zoom(), 20);
    assert_eq!(tiles.tile_errors, (None, 0));
    assert!(harness.state().map.show_basemap);
    assert!(
        harness.query_by_label_contains("vector").is_none(),
        "no message about vector tiles"
    );
}
