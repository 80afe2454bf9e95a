//! Rendering snapshots (insta): the human report of each rule over its fixture folder, for
//! reviewing wording in pull requests, and the SARIF and JSON of the first rule's fixtures.
//! What is flagged is decided by the fixture annotations, not by these snapshots.

mod support;

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("backlint")
        .expect("binary")
        .current_dir(support::repo_root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "backlint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"in \d+\.\d+s", "in [TIME]"),
        (
            r#""(semanticVersion|version)": "\d+\.\d+\.\d+[^"]*""#,
            r#""$1": "[VERSION]""#,
        ),
        (r#""uri": "file:///[^"]*""#, r#""uri": "file:///[ROOT]/""#),
    ]
}

#[test]
fn human_output_of_each_rule_over_its_fixtures() {
    for (rule, _) in backlint_rules::all() {
        let id = rule.id();
        let dir = format!("fixtures/{id}");
        let out = run(&[
            "scan",
            &dir,
            "--select",
            id,
            "--preview",
            "--color",
            "never",
        ]);
        insta::with_settings!({ filters => filters(), snapshot_suffix => id }, {
            insta::assert_snapshot!("human", out);
        });
    }
}

#[test]
fn sarif_of_jwt_in_local_storage_fixtures() {
    let out = run(&["scan", "fixtures/jwt-in-local-storage", "--format", "sarif"]);
    insta::with_settings!({ filters => filters() }, {
        insta::assert_snapshot!("sarif", out);
    });
}

#[test]
fn json_of_jwt_in_local_storage_fixtures() {
    let out = run(&["scan", "fixtures/jwt-in-local-storage", "--format", "json"]);
    insta::with_settings!({ filters => filters() }, {
        insta::assert_snapshot!("json", out);
    });
}
