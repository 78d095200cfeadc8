//! `mdbook-trd templates`: list the templates, or print one.

use crate::model::template::Templates;

/// The listing: name, where it comes from, what it is for.
pub fn list(templates: &Templates) -> String {
    let width = templates.names().map(str::len).max().unwrap_or(0);
    let mut out = String::new();
    for t in templates.iter() {
        let origin = match t.origin() {
            None => "built-in".to_owned(),
            Some(path)
                if crate::model::template::BUILT_IN
                    .iter()
                    .any(|(n, _, _)| *n == t.name()) =>
            {
                format!("{} (overrides the built-in)", path.display())
            }
            Some(path) => path.display().to_string(),
        };
        let summary = if t.origin().is_some() {
            ""
        } else {
            t.summary()
        };
        out.push_str(&format!("{:width$}  {origin}", t.name()));
        if !summary.is_empty() {
            out.push_str(&format!(": {summary}"));
        }
        out.push('\n');
    }
    out
}
