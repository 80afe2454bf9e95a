//! `invalid-suppression`: a `backlint-ignore` comment that names no rule, names a rule that
//! does not exist, or is a `backlint-ignore-file` after code. Such a comment (or such an id in
//! it) silences nothing, so the finding it was written for is still reported: this rule says
//! why.

use backlint_engine::{FileCtx, Rule, Sink, SuppressionComment, SuppressionProblem};

pub struct InvalidSuppression;

impl InvalidSuppression {
    pub const ID: &'static str = "invalid-suppression";
}

/// What is wrong with a comment, as detected; [`render`] words it.
enum Invalid<'a> {
    NoRuleId,
    FileWideAfterCode,
    UnknownRule {
        id: &'a str,
        suggestion: Option<&'a str>,
    },
}

impl Rule for InvalidSuppression {
    fn id(&self) -> &'static str {
        Self::ID
    }

    /// Suppression comments in text files (`# backlint-ignore` in YAML, `.env`…) are checked
    /// when the scan reads those files for another rule.
    fn wants_text_files(&self) -> bool {
        true
    }

    fn applies(&self, file: &FileCtx<'_>) -> bool {
        !file.suppressions().is_empty()
    }

    fn check_file(&self, ctx: &FileCtx<'_>, sink: &mut Sink) {
        for comment in ctx.suppressions() {
            let whole = (comment.span.start_byte, comment.span.end_byte);
            let mut found: Vec<((usize, usize), Invalid<'_>)> = Vec::new();
            match comment.problem {
                Some(SuppressionProblem::NoRuleId) => found.push((whole, Invalid::NoRuleId)),
                Some(SuppressionProblem::FileWideAfterCode) => {
                    found.push((whole, Invalid::FileWideAfterCode))
                }
                None => {}
            }
            for r in comment.rules.iter().filter(|r| !r.known) {
                found.push((
                    (r.start_byte, r.end_byte),
                    Invalid::UnknownRule {
                        id: &r.id,
                        suggestion: r.suggestion.as_deref(),
                    },
                ));
            }
            for ((start, end), invalid) in found {
                let (message, help) = render(comment, &invalid);
                sink.report_range(start, end, message).help(help);
            }
        }
    }
}

fn render(comment: &SuppressionComment, invalid: &Invalid<'_>) -> (String, String) {
    let directive = comment.directive();
    match invalid {
        Invalid::NoRuleId => (
            format!("`{directive}` names no rule, so it silences nothing"),
            format!(
                "name the rules it silences: `{directive} string-sql -- <why this is safe>` (`backlint rules` lists the ids)"
            ),
        ),
        Invalid::FileWideAfterCode => (
            "`backlint-ignore-file` after code silences nothing: it must be a comment line of its own".to_string(),
            "move it to a line of its own near the top of the file, or use `backlint-ignore` to silence this line only".to_string(),
        ),
        Invalid::UnknownRule {
            id,
            suggestion: Some(s),
        } => (
            format!("unknown rule `{id}` in {directive}; did you mean `{s}`?"),
            format!("write `{s}`; as written, the comment does not silence it"),
        ),
        Invalid::UnknownRule {
            id,
            suggestion: None,
        } => (
            format!("unknown rule `{id}` in {directive}: it silences nothing"),
            "name a rule id (`backlint rules` lists them); separate ids with commas and put the reason after ` -- `".to_string(),
        ),
    }
}
