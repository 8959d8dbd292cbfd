//! A structural scan of a GeoJSON document: finds where each feature's text begins and ends
//! without building a JSON tree, so features can be parsed one by one, in parallel, with byte
//! offsets for every message.

use std::ops::Range;

use memchr::memchr2;

/// The top level of a GeoJSON document, as byte ranges into it.
#[derive(Debug, PartialEq)]
pub(crate) struct ScannedDocument {
    /// The top-level `type` member, decoded.
    pub type_name: Option<String>,
    /// Text of the top-level `crs` member, if present.
    pub crs: Option<Range<usize>>,
    /// One range per element of `features`, or one range holding the whole document when it is
    /// a single Feature or geometry.
    pub objects: Vec<Range<usize>>,
    /// True when the document is a FeatureCollection.
    pub is_collection: bool,
}

/// Where and why the scan stopped.
#[derive(Debug, PartialEq)]
pub(crate) struct ScanError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was wrong.
    pub kind: ScanErrorKind,
}

/// The kinds of structural problem.
#[derive(Debug, PartialEq)]
pub(crate) enum ScanErrorKind {
    /// The document holds nothing but white space.
    Empty,
    /// A byte that cannot stand here.
    Unexpected { expected: &'static str, found: u8 },
    /// The text ends inside a value; `feature` is the element of `features` it ends in.
    Truncated { feature: Option<usize> },
    /// A member name that is not valid JSON text.
    BadKey,
    /// Text after the closing brace.
    TrailingText,
    /// `features` holds something other than an array.
    FeaturesNotArray {
        /// What it holds ("an object", "a string", …).
        found: &'static str,
    },
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, kind: ScanErrorKind) -> ScanError {
        ScanError { offset: self.pos, kind }
    }

    fn unexpected_or_end(&self, expected: &'static str, feature: Option<usize>) -> ScanError {
        match self.peek() {
            Some(found) => self.error(ScanErrorKind::Unexpected { expected, found }),
            None => self.error(ScanErrorKind::Truncated { feature }),
        }
    }

    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), ScanError> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected_or_end(expected, None))
        }
    }

    /// Moves past a string whose opening quote is at `pos`.
    fn skip_string(&mut self, feature: Option<usize>) -> Result<(), ScanError> {
        let mut at = self.pos + 1;
        loop {
            match memchr2(b'"', b'\\', &self.bytes[at.min(self.bytes.len())..]) {
                Some(i) if self.bytes[at + i] == b'\\' => at += i + 2,
                Some(i) => {
                    self.pos = at + i + 1;
                    return Ok(());
                }
                None => {
                    self.pos = self.bytes.len();
                    return Err(self.error(ScanErrorKind::Truncated { feature }));
                }
            }
        }
    }

    /// Moves past one JSON value of any kind and returns its range. Only structure is checked;
    /// the value's own syntax is left to the parser that reads it.
    fn skip_value(&mut self, feature: Option<usize>) -> Result<Range<usize>, ScanError> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            None => return Err(self.error(ScanErrorKind::Truncated { feature })),
            Some(b'"') => self.skip_string(feature)?,
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                loop {
                    match self.bytes.get(self.pos) {
                        None => return Err(self.error(ScanErrorKind::Truncated { feature })),
                        Some(b'"') => {
                            self.skip_string(feature)?;
                            continue;
                        }
                        Some(b'{' | b'[') => depth += 1,
                        Some(b'}' | b']') => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                break;
                            }
                        }
                        Some(_) => {}
                    }
                    self.pos += 1;
                }
            }
            Some(b',' | b'}' | b']' | b':') => return Err(self.unexpected_or_end("a value", feature)),
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
            }
        }
        Ok(start..self.pos)
    }

    fn key(&mut self) -> Result<String, ScanError> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(self.unexpected_or_end("a member name in quotes", None));
        }
        let start = self.pos;
        self.skip_string(None)?;
        serde_json::from_slice::<String>(&self.bytes[start..self.pos]).map_err(|_| ScanError {
            offset: start,
            kind: ScanErrorKind::BadKey,
        })
    }
}

/// Scans a whole document: the top-level members, and the extent of each feature.
pub(crate) fn scan_document(bytes: &[u8]) -> Result<ScannedDocument, ScanError> {
    let mut c = Cursor { bytes, pos: 0 };
    c.skip_ws();
    if c.peek().is_none() {
        return Err(c.error(ScanErrorKind::Empty));
    }
    let doc_start = c.pos;
    if c.peek() != Some(b'{') {
        return Err(c.unexpected_or_end("'{' (a GeoJSON object)", None));
    }
    c.pos += 1;
    let mut doc = ScannedDocument {
        type_name: None,
        crs: None,
        objects: Vec::new(),
        is_collection: false,
    };
    let mut features: Option<Vec<Range<usize>>> = None;
    c.skip_ws();
    if c.peek() == Some(b'}') {
        c.pos += 1;
    } else {
        loop {
            let key = c.key()?;
            c.expect(b':', "':' after a member name")?;
            c.skip_ws();
            match key.as_str() {
                "features" if c.peek() == Some(b'[') => features = Some(scan_array(&mut c)?),
                "features" => {
                    let found = match c.peek() {
                        Some(b'{') => "an object",
                        Some(b'"') => "a string",
                        Some(b'n') => "null",
                        Some(b't' | b'f') => "a boolean",
                        _ => "a number",
                    };
                    return Err(c.error(ScanErrorKind::FeaturesNotArray { found }));
                }
                "type" => {
                    let range = c.skip_value(None)?;
                    doc.type_name = serde_json::from_slice::<String>(&bytes[range]).ok();
                }
                "crs" => doc.crs = Some(c.skip_value(None)?),
                _ => {
                    c.skip_value(None)?;
                }
            }
            c.skip_ws();
            match c.peek() {
                Some(b',') => c.pos += 1,
                Some(b'}') => {
                    c.pos += 1;
                    break;
                }
                _ => return Err(c.unexpected_or_end("',' or '}'", None)),
            }
        }
    }
    let doc_end = c.pos;
    c.skip_ws();
    if c.peek().is_some() {
        return Err(c.error(ScanErrorKind::TrailingText));
    }
    match (doc.type_name.as_deref(), features) {
        (Some("FeatureCollection"), Some(list)) => {
            doc.is_collection = true;
            doc.objects = list;
        }
        (Some("FeatureCollection"), None) => doc.is_collection = true,
        _ => doc.objects = std::iter::once(doc_start..doc_end).collect(),
    }
    Ok(doc)
}

/// Features arrays shorter than this are scanned on one thread.
const PARALLEL_SCAN_BYTES: usize = 4 << 20;

/// The elements of the array whose `[` is at the cursor. A long array is scanned in two halves
/// at once: the second from a guessed element start past the middle (a `{` after `}` and `,`),
/// the first until it reaches that point. The guess is only used when the first half's scan
/// finds an element starting exactly there (scanning from a true element start is the same
/// whichever thread does it); otherwise the first scan just goes on to the end.
fn scan_array(c: &mut Cursor<'_>) -> Result<Vec<Range<usize>>, ScanError> {
    c.pos += 1;
    let guess = (c.bytes.len() - c.pos > PARALLEL_SCAN_BYTES && rayon::current_num_threads() > 1)
        .then(|| element_start_after(c.bytes, c.pos + (c.bytes.len() - c.pos) / 2))
        .flatten();
    match guess {
        Some(guess) => scan_in_halves(c, guess),
        None => scan_elements(c, None).map(|(items, _)| items),
    }
}

/// [`scan_array`]'s two scans, the second from `guess`; the cursor is past the `[`.
fn scan_in_halves(c: &mut Cursor<'_>, guess: usize) -> Result<Vec<Range<usize>>, ScanError> {
    let mut tail_cursor = Cursor {
        bytes: c.bytes,
        pos: guess,
    };
    let (head, tail) = rayon::join(
        || scan_elements(c, Some(guess)),
        || scan_elements(&mut tail_cursor, None).map(|(items, _)| (items, tail_cursor.pos)),
    );
    let (head, stopped_at_guess) = head?;
    if !stopped_at_guess {
        return Ok(head);
    }
    // The guess was an element start: the tail's scan is the rest of the array.
    let before = head.len();
    match tail {
        Ok((tail, end)) => {
            c.pos = end;
            let mut items = head;
            items.extend(tail);
            Ok(items)
        }
        Err(mut e) => {
            if let ScanErrorKind::Truncated { feature: Some(f) } = &mut e.kind {
                *f += before;
            }
            Err(e)
        }
    }
}

/// Scans array elements from the cursor (at the first element or at `]`), to the
/// array's end; or, with `stop_at`, until the next element would start there, leaving the
/// cursor on it. True when it stopped there.
fn scan_elements(c: &mut Cursor<'_>, stop_at: Option<usize>) -> Result<(Vec<Range<usize>>, bool), ScanError> {
    let mut items = Vec::new();
    c.skip_ws();
    if c.peek() == Some(b']') {
        c.pos += 1;
        return Ok((items, false));
    }
    loop {
        c.skip_ws();
        if Some(c.pos) == stop_at {
            return Ok((items, true));
        }
        items.push(c.skip_value(Some(items.len()))?);
        c.skip_ws();
        match c.peek() {
            Some(b',') => c.pos += 1,
            Some(b']') => {
                c.pos += 1;
                return Ok((items, false));
            }
            _ => return Err(c.unexpected_or_end("',' or ']' between features", Some(items.len()))),
        }
    }
}

/// The first `{` at or after `from` that follows a `}` and a `,` (white space between allowed):
/// where an element of an array of objects may start.
fn element_start_after(bytes: &[u8], from: usize) -> Option<usize> {
    let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut at = from;
    while let Some(i) = memchr::memchr(b'{', &bytes[at.min(bytes.len())..]) {
        let open = at + i;
        let mut before = bytes[..open].iter().rev().skip_while(|b| is_ws(b));
        if before.next() == Some(&b',') && before.find(|b| !is_ws(b)) == Some(&b'}') {
            return Some(open);
        }
        at = open + 1;
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
/// The members of the JSON object at the start of `bytes`: each key with its value's byte range.
/// `None` when `bytes` is not an object. Iterative, so any nesting depth is fine.
pub(crate) fn object_members(bytes: &[u8]) -> Option<Vec<(String, Range<usize>)>> {
    let mut c = Cursor { bytes, pos: 0 };
    c.skip_ws();
    if c.peek() != Some(b'{') {
        return None;
    }
    c.pos += 1;
    let mut members = Vec::new();
    c.skip_ws();
    if c.peek() == Some(b'}') {
        return Some(members);
    }
    loop {
        let key = c.key().ok()?;
        c.expect(b':', "':'").ok()?;
        let range = c.skip_value(None).ok()?;
        members.push((key, range));
        c.skip_ws();
        match c.peek() {
            Some(b',') => c.pos += 1,
            Some(b'}') => return Some(members),
            _ => return None,
        }
    }
}

pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// 1-based lines of many byte offsets, in one pass. `offsets` must be sorted.
pub(crate) fn lines_of_sorted(bytes: &[u8], offsets: &[usize]) -> Vec<usize> {
    let mut lines = Vec::with_capacity(offsets.len());
    let (mut line, mut at) = (1usize, 0usize);
    for &offset in offsets {
        let offset = offset.clamp(at, bytes.len());
        line += memchr::memchr_iter(b'\n', &bytes[at..offset]).count();
        at = offset;
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(src: &'a str, doc: &ScannedDocument) -> Vec<&'a str> {
        doc.objects.iter().map(|r| &src[r.clone()]).collect()
    }

    #[test]
    fn finds_features_with_tricky_strings() {
        let src = r#"{"features": [ {"a": "x]}\"{"}, {"b": [1, [2]]} ], "type": "FeatureCollection", "crs": null}"#;
        let doc = scan_document(src.as_bytes()).unwrap();
        assert!(doc.is_collection);
        assert_eq!(texts(src, &doc), vec![r#"{"a": "x]}\"{"}"#, r#"{"b": [1, [2]]}"#]);
        assert_eq!(&src[doc.crs.unwrap()], "null");
    }

    #[test]
    fn single_feature_is_one_object() {
        let src = " {\"type\":\"Feature\",\"geometry\":null}\n";
        let doc = scan_document(src.as_bytes()).unwrap();
        assert!(!doc.is_collection);
        assert_eq!(texts(src, &doc), vec!["{\"type\":\"Feature\",\"geometry\":null}"]);
    }

    #[test]
    fn truncation_names_the_feature() {
        let src = r#"{"type":"FeatureCollection","features":[{"a":1},{"b":[1,2"#;
        let err = scan_document(src.as_bytes()).unwrap_err();
        assert_eq!(err.kind, ScanErrorKind::Truncated { feature: Some(1) });
        assert_eq!(err.offset, src.len());
    }

    #[test]
    fn rejects_non_objects_and_trailing_text() {
        assert_eq!(scan_document(b"  ").unwrap_err().kind, ScanErrorKind::Empty);
        let err = scan_document(b"\x89PNG").unwrap_err();
        assert!(matches!(err.kind, ScanErrorKind::Unexpected { found: 0x89, .. }));
        assert_eq!(scan_document(b"{} x").unwrap_err().kind, ScanErrorKind::TrailingText);
        let err = scan_document(br#"{"type": "FeatureCollection" "features": []}"#).unwrap_err();
        assert_eq!(err.offset, 29);
    }

    #[test]
    fn a_scan_in_halves_is_the_scan_in_one_whatever_the_guess() {
        let features: Vec<String> = (0..40)
            .map(|i| match i % 4 {
                0 => format!(r#"{{"type":"Feature","properties":{{"n":"}},{{ [{i}] \" }} , {{"}},"geometry":null}}"#),
                1 => format!(
                    r#" {{ "type" : "Feature", "properties": {{"list":[{{"a":1}}, {{"b":{i}}}]}}, "geometry": null }}"#
                ),
                _ => format!(r#"{{"type":"Feature","properties":{{"i":{i}}},"geometry":null}}"#),
            })
            .collect();
        let whole = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",\n")
        );
        let truncated = &whole[..whole.len() * 3 / 4];
        for text in [whole.as_str(), truncated] {
            let bytes = text.as_bytes();
            let open = text.find('[').expect("the features array");
            let serial = {
                let mut c = Cursor { bytes, pos: open + 1 };
                scan_elements(&mut c, None).map(|(items, _)| (items, c.pos))
            };
            let mut guesses = 0;
            for guess in open + 1..bytes.len() {
                let mut c = Cursor { bytes, pos: open + 1 };
                let halves = scan_in_halves(&mut c, guess).map(|items| (items, c.pos));
                assert_eq!(halves, serial, "guess at {guess}");
                guesses += 1;
            }
            assert!(guesses > 1000);
        }
        let starts = element_start_after(whole.as_bytes(), 0).expect("a guess");
        assert!(whole[starts..].starts_with('{') && whole[..starts].trim_end().ends_with(','));
    }

    #[test]
    fn lines_and_columns() {
        let text = "ab\nپc\nd".as_bytes();
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 5), (2, 2));
        assert_eq!(lines_of_sorted(text, &[0, 3, 6, 7]), vec![1, 2, 2, 3]);
    }
}
