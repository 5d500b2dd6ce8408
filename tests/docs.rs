//! The README's policy examples and the shipped example policy parse and
//! build, so the documentation cannot drift from the code.

use palisade::Policy;

fn toml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```toml") => current = Some(String::new()),
            (Some(_), l) if l.starts_with("```") => blocks.extend(current.take()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn readme_policies_parse_and_build() {
    let readme = include_str!("../README.md");
    let blocks = toml_blocks(readme);
    assert!(blocks.len() >= 2, "README has policy examples");
    for block in blocks {
        let policy = Policy::from_toml(&block).unwrap_or_else(|e| panic!("{e}\n{block}"));
        policy.build().unwrap_or_else(|e| panic!("{e}\n{block}"));
    }
}

#[test]
fn example_policy_parses_and_builds() {
    let policy = Policy::from_toml(include_str!("../examples/policy.toml")).unwrap();
    policy.build().unwrap();
}
