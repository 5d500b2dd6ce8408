//! Every public item's documentation holds an example (a ```` ``` ```` block),
//! as the project brief promises; the doc tests then compile and run them.
//!
//! The scanner reads `src/**/*.rs` as text, line by line, instead of parsing
//! Rust. That keeps it small, and it is enough because the build enforces the
//! rest:
//!
//! - `cargo fmt --check`: a block opened by a line at indentation N closes
//!   with a line that is exactly `}` at indentation N. Test modules and trait
//!   bodies are delimited that way.
//! - `#![warn(unreachable_pub)]` with clippy's `-D warnings`: a plain `pub`
//!   item that code outside the crate cannot reach (inside a private module
//!   and not re-exported, or a method of a private type) does not build. So
//!   every `pub` item found here is public API; `lib_keeps_unreachable_pub`
//!   checks that the lint stays on.
//!
//! Items found: `pub fn|struct|enum|trait|type|const|static|union` (any
//! indentation, so inherent methods and associated items count; not
//! `pub(crate)`, `pub(super)` or `pub(in …)`), and the `fn`, `type` and
//! `const` items of a `pub trait`. Trait impl methods carry no `pub` and are
//! skipped. Skipped too: `#[cfg(test)]` items and modules, inline or in their
//! own file. The doc comment is the run of `///` lines, attributes and plain
//! comments right above the item.
//!
//! Limits: enum variants, struct fields and modules are not checked (they
//! are documented, `#![deny(missing_docs)]`, but need no example of their
//! own); `#[doc = …]` and `/** */` docs are not read (the crate uses
//! neither on items); a multi-line string whose line is a lone `}` at the
//! indentation of an enclosing test module or trait would end it early.

use std::fs;
use std::path::{Path, PathBuf};

/// A public item whose documentation has no example.
#[derive(Debug, PartialEq)]
struct Missing {
    line: usize,
    kind: &'static str,
    name: String,
}

const KINDS: [&str; 8] = ["fn", "struct", "enum", "trait", "type", "const", "static", "union"];

/// Leading spaces of a line.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `(kind, name)` when `rest` (the line after `pub ` or inside a trait)
/// declares an item, skipping qualifiers such as `const fn` or `unsafe`.
fn item(rest: &str) -> Option<(&'static str, String)> {
    let mut words = rest.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let next_is_fn = words.peek().is_some_and(|n| *n == "fn");
        if matches!(word, "unsafe" | "async" | "extern" | "\"C\"") || (word == "const" && next_is_fn) {
            continue;
        }
        let kind = KINDS.into_iter().find(|k| *k == word)?;
        let name: String = words
            .next()?
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        return (!name.is_empty()).then_some((kind, name));
    }
    None
}

/// The line index of the `}` that closes a block opened at `lines[start]`,
/// or `start` when that line opens no block.
fn block_end(lines: &[&str], start: usize) -> usize {
    let open = lines[start].trim_end();
    if !open.ends_with('{') {
        return start;
    }
    let depth = indent(open);
    (start + 1..lines.len())
        .find(|&i| indent(lines[i]) == depth && lines[i].trim() == "}")
        .unwrap_or(lines.len() - 1)
}

/// Public items of one source file without an example, and the names of the
/// `#[cfg(test)] mod name;` modules it declares (their files are skipped).
fn scan(source: &str) -> (Vec<Missing>, Vec<String>) {
    let lines: Vec<&str> = source.lines().collect();
    let mut missing = Vec::new();
    let mut test_mods = Vec::new();
    // Indentation of the `pub trait` being read and the line that closes it.
    let mut in_trait: Option<(usize, usize)> = None;
    // The doc comment and attributes read since the last item or statement.
    let mut has_example = false;
    let mut cfg_test = false;
    let mut open_attribute = 0i32;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let text = line.trim();
        if in_trait.is_some_and(|(_, end)| i >= end) {
            in_trait = None;
        }
        if open_attribute > 0 || text.starts_with("#[") {
            open_attribute += text.matches('[').count() as i32 - text.matches(']').count() as i32;
            cfg_test |= text.starts_with("#[cfg(test)]");
            i += 1;
            continue;
        }
        if let Some(doc) = text.strip_prefix("///") {
            has_example |= doc.trim_start().starts_with("```");
            i += 1;
            continue;
        }
        if text.starts_with("//") {
            i += 1;
            continue;
        }
        if cfg_test {
            if let Some(name) = text.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
                test_mods.push(name.to_string());
            }
            i = block_end(&lines, i);
        } else {
            let found = match text.strip_prefix("pub ") {
                Some(rest) => item(rest),
                None => match in_trait {
                    Some((depth, _)) if indent(line) == depth + 4 => item(text),
                    _ => None,
                },
            };
            if let Some((kind, name)) = found {
                if !has_example {
                    missing.push(Missing {
                        line: i + 1,
                        kind,
                        name,
                    });
                }
                if kind == "trait" {
                    in_trait = Some((indent(line), block_end(&lines, i)));
                }
            }
        }
        has_example = false;
        cfg_test = false;
        i += 1;
    }
    (missing, test_mods)
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files a `#[cfg(test)] mod name;` in `file` may live in.
fn module_files(file: &Path, name: &str) -> [PathBuf; 2] {
    let stem = file.file_stem().unwrap();
    let dir = if stem == "mod" || stem == "lib" || stem == "main" {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    };
    [dir.join(format!("{name}.rs")), dir.join(name).join("mod.rs")]
}

#[test]
fn every_public_item_has_an_example() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort(); // a stable report
    let scans: Vec<_> = files.iter().map(|f| scan(&fs::read_to_string(f).unwrap())).collect();
    let test_files: Vec<PathBuf> = files
        .iter()
        .zip(&scans)
        .flat_map(|(file, (_, mods))| mods.iter().flat_map(|m| module_files(file, m)))
        .collect();
    let mut report = String::new();
    let mut items = 0;
    for (file, (missing, _)) in files.iter().zip(&scans) {
        if test_files.contains(file) {
            continue;
        }
        let shown = file.strip_prefix(src.parent().unwrap()).unwrap().display();
        for m in missing {
            items += 1;
            report.push_str(&format!("\n  {shown}:{} {} {}", m.line, m.kind, m.name));
        }
    }
    assert!(
        report.is_empty(),
        "{items} public items have no example (a ``` block in their doc comment):{report}"
    );
}

#[test]
fn lib_keeps_unreachable_pub() {
    // The scanner takes every `pub` item for public API; this lint is what
    // makes that true (see the module documentation).
    let lib = include_str!("../src/lib.rs");
    assert!(lib.contains("#![warn(unreachable_pub)]") || lib.contains("#![deny(unreachable_pub)]"));
}

#[test]
fn scanner_finds_what_it_should() {
    let source = r#"
/// Documented.
///
/// ```
/// assert!(true);
/// ```
#[derive(Debug)]
pub struct WithExample;

/// No example.
#[must_use]
pub const fn bare() -> u8 { 1 }

pub(crate) fn internal() {}

/// A trait.
///
/// ```
/// ```
pub trait Shape {
    /// No example.
    fn area(&self) -> f32;

    /// Example.
    ///
    /// ```
    /// ```
    fn name(&self) -> &str {
        fn inner() {}
        "shape"
    }
}

impl Shape for WithExample {
    fn area(&self) -> f32 {
        0.0
    }
}

impl WithExample {
    /// No example.
    pub const LIMIT: usize = 3;
}

#[cfg(test)]
mod tests {
    pub fn helper() {}
}

#[cfg(test)]
mod more_tests;
"#;
    let (missing, test_mods) = scan(source);
    let found: Vec<_> = missing.iter().map(|m| (m.kind, m.name.as_str())).collect();
    assert_eq!(found, [("fn", "bare"), ("fn", "area"), ("const", "LIMIT")]);
    assert_eq!(test_mods, ["more_tests"]);
    assert_eq!(
        module_files(Path::new("src/pii/mod.rs"), "tests")[0],
        Path::new("src/pii/tests.rs")
    );
    assert_eq!(
        module_files(Path::new("src/limits.rs"), "tests")[0],
        Path::new("src/limits/tests.rs")
    );
}
