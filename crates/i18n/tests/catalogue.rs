//! The catalogue is complete: every message exists in every language, with
//! the same variables, every key the code uses exists, and none is left
//! unused. Adding a sentence in one language only fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast;
use rempart_i18n::{FILES, Lang};

/// Message id → the variables it references, for one language.
type Messages = BTreeMap<String, BTreeSet<String>>;

fn variables_of_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            variables_of_expression(expression, out);
        }
    }
}

fn variables_of_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => variables_of_inline(i, out),
        ast::Expression::Select { selector, variants } => {
            variables_of_inline(selector, out);
            for v in variants {
                variables_of_pattern(&v.value, out);
            }
        }
    }
}

fn variables_of_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => variables_of_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                variables_of_inline(a, out);
            }
            for a in &arguments.named {
                variables_of_inline(&a.value, out);
            }
        }
        _ => {}
    }
}

/// Every message of `lang`; a file that does not parse, or a message
/// defined twice, fails the test.
fn messages(lang: Lang) -> Messages {
    let mut all = Messages::new();
    for (l, file, text) in FILES {
        if *l != lang {
            continue;
        }
        let resource = fluent_syntax::parser::parse(*text)
            .unwrap_or_else(|(_, errors)| panic!("{file} does not parse: {errors:?}"));
        for entry in &resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let value = m
                        .value
                        .as_ref()
                        .unwrap_or_else(|| panic!("{file}: {} has no text", m.id.name));
                    let mut vars = BTreeSet::new();
                    variables_of_pattern(value, &mut vars);
                    let previous = all.insert(m.id.name.to_owned(), vars);
                    assert!(previous.is_none(), "{file}: {} is defined twice", m.id.name);
                }
                ast::Entry::Junk { content } => panic!("{file}: cannot read {content:?}"),
                _ => {}
            }
        }
    }
    all
}

#[test]
fn every_message_exists_in_every_language_with_the_same_variables() {
    let english = messages(Lang::En);
    assert!(english.len() > 50, "{} messages", english.len());
    for lang in Lang::ALL {
        let other = messages(lang);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
        assert!(extra.is_empty(), "only in {lang}, not in en: {extra:?}");
        for (key, vars) in &english {
            assert_eq!(
                &other[key], vars,
                "{key}: the variables differ between en and {lang}"
            );
        }
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_key_the_code_uses_exists_and_every_message_is_used() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sources(&crates, &mut files);
    // t!(LANG, then the key …), LANG an expression without commas, and
    // say!(then the key …); keys
    // have a dash, so that an example key without one in a comment is not taken.
    let call = regex::Regex::new(r#"\b(?:t!\(\s*[^,;"]+?,|say!\()\s*"([a-z0-9]+(?:-[a-z0-9]+)+)""#)
        .expect("valid regex");
    let english = messages(Lang::En);
    let mut used = BTreeSet::new();
    let mut unknown = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        for c in call.captures_iter(&text) {
            let key = c[1].to_owned();
            if !english.contains_key(&key) {
                unknown.push(format!("{}: {key}", file.display()));
            }
            used.insert(key);
        }
    }
    assert!(used.len() > 20, "the scan found {} keys", used.len());
    assert!(
        unknown.is_empty(),
        "keys used but not in the catalogue: {unknown:#?}"
    );
    let unused: Vec<_> = english.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn every_file_of_the_catalogue_is_built_in() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut on_disk = Vec::new();
    for lang in std::fs::read_dir(&locales).expect("locales folder") {
        let lang = lang.expect("entry").path();
        for file in std::fs::read_dir(&lang).expect("a language's folder") {
            let file = file.expect("entry").path();
            if file.extension().is_some_and(|e| e == "ftl") {
                let rel = file.strip_prefix(&locales).expect("under locales");
                on_disk.push(rel.display().to_string());
            }
        }
    }
    on_disk.sort();
    let mut built: Vec<String> = FILES
        .iter()
        .map(|(_, path, _)| (*path).to_owned())
        .collect();
    built.sort();
    assert_eq!(on_disk, built, "locales/ and FILES differ");
}
