//! Round trip through the reversible vault: anonymize, let a simulated model
//! echo, reorder and invent placeholders, restore.

use palisade::pii::{PiiConfig, Vault};
use palisade::{Action, Category, Finding, Guard, GuardError, Input, Pipeline, Profile, Stage};

fn pii() -> palisade::pii::PiiGuard {
    PiiConfig::default().build(Profile::Input).unwrap()
}

/// Placeholders in `text` (`[...]` tokens).
fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        let Some(j) = rest[i..].find(']') else { break };
        out.push(rest[i..i + j + 1].to_string());
        rest = &rest[i + j + 1..];
    }
    out
}

#[test]
fn round_trip_restores_exactly_the_originals() {
    let guard = pii();
    let mut vault = Vault::new();
    let prompt = "Mail jane.doe@example.com and bob@example.org, call +44 20 7946 0958; \
                  jane.doe@example.com again.";
    let anon = vault.anonymize(&guard, prompt);
    for value in ["jane.doe@example.com", "bob@example.org", "+44 20 7946 0958"] {
        assert!(!anon.contains(value), "{anon}");
    }
    let issued = placeholders(&anon);
    assert_eq!(issued.len(), 4);
    // Equal values share a placeholder; each carries the vault's nonce.
    assert_eq!(issued[0], issued[3]);
    assert!(issued.iter().all(|p| p.contains(vault.nonce())));
    assert_eq!(vault.len(), 3);

    // The simulated model reorders, repeats, invents and alters placeholders.
    let nonce = vault.nonce().to_string();
    let answer = format!(
        "Done: {phone} then {b} and {a}, {a}. Also [EMAIL_1], [EMAIL_{nonce}_9], \
         [EMAIL_{nonce}_1 ] and [EMAIL_0000beef_1].",
        a = issued[0],
        b = issued[1],
        phone = issued[2],
    );
    let restored = vault.restore(&answer);
    assert_eq!(
        restored,
        format!(
            "Done: +44 20 7946 0958 then bob@example.org and jane.doe@example.com, jane.doe@example.com. \
             Also [EMAIL_1], [EMAIL_{nonce}_9], [EMAIL_{nonce}_1 ] and [EMAIL_0000beef_1]."
        )
    );
}

#[test]
fn nonces_differ_between_vaults() {
    let a = Vault::new();
    let b = Vault::new();
    assert_ne!(a.nonce(), b.nonce());
    assert_eq!(a.nonce().len(), 8);
}

#[test]
fn placeholders_of_another_vault_are_not_restored() {
    let guard = pii();
    let mut first = Vault::new();
    let anon = first.anonymize(&guard, "mail jane.doe@example.com");
    let second = Vault::new();
    assert_eq!(second.restore(&anon), anon);
    assert_eq!(first.restore(&anon), "mail jane.doe@example.com");
}

/// A stand-in secrets guard: flags `sk-test-` tokens as secrets.
struct FakeSecrets;

impl Guard for FakeSecrets {
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        if let Some(i) = input.text().find("sk-test-") {
            let end = input.text()[i..]
                .find(char::is_whitespace)
                .map_or(input.text().len(), |e| i + e);
            findings.push(Finding::new(Category::Secret, "api_key", "t.key", i..end).with_action(Action::Sanitize));
        }
        Ok(())
    }
}

#[test]
fn secrets_never_enter_the_vault() {
    let pipeline = Pipeline::builder()
        .stage(Stage::new(pii()))
        .stage(Stage::new(FakeSecrets))
        .build();
    let mut vault = Vault::new();
    let anon = vault.anonymize(&pipeline, "key sk-test-abcdef123456 for jane.doe@example.com");
    assert!(!anon.contains("sk-test-"));
    assert!(anon.contains("[API_KEY]"), "{anon}");
    assert_eq!(vault.len(), 1);
    let restored = vault.restore(&anon);
    assert!(!restored.contains("sk-test-"));
    assert!(restored.contains("jane.doe@example.com"));
}

#[test]
fn vault_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Vault>();
    check::<palisade::pii::PiiGuard>();
}
