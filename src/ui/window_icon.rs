//! The program's icon in the window's title bar and the taskbar: `assets/icon/mahalleh.png`
//! (drawn from `mahalleh.svg`; the Windows program file carries `mahalleh.ico`, see `build.rs`).

/// The icon as PNG bytes, inside the program.
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon/mahalleh.png");

/// The icon as the window system takes it; `None` (the platform's default icon) if it cannot be
/// decoded, which only a damaged build could cause.
pub fn window_icon() -> Option<egui::IconData> {
    let image = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png).ok()?;
    let rgba = image.to_rgba8();
    Some(egui::IconData {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_decodes_with_its_pin_and_transparent_corners() {
        let icon = window_icon().unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        let pixel = |x: usize, y: usize| {
            let i = (y * 256 + x) * 4;
            [icon.rgba[i], icon.rgba[i + 1], icon.rgba[i + 2], icon.rgba[i + 3]]
        };
        // A corner outside the rounded square is transparent; the pin's body is orange and its
        // eye white.
        assert_eq!(pixel(1, 1)[3], 0);
        assert_eq!(pixel(128, 112), [0xf0, 0x7f, 0x3c, 0xff]);
        assert_eq!(pixel(128, 78), [0xff, 0xff, 0xff, 0xff]);
    }
}
