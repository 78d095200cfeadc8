//! Sign-offs: which rows count as signed, which headings and columns are read, and how the
//! line form renders in the real mdBook.

mod common;

use mdbook_trd::analysis::chapter::Chapter;
use mdbook_trd::analysis::expand::expand_standalone;
use mdbook_trd::markdown::flavor::MarkdownFlavor;
use mdbook_trd::model::approvals::{self, is_approval_section};
use mdbook_trd::model::sections::outline::heading_key;
use mdbook_trd::render::mode::RenderMode;
use proptest::prelude::*;

use common::{Mdbook, build};

/// `(role, signed)` for every sign-off in `markdown`.
fn read(markdown: &str) -> Vec<(String, bool)> {
    approvals::parse(markdown, MarkdownFlavor::default().options())
        .into_iter()
        .map(|s| {
            let signed = s.is_signed();
            (s.role, signed)
        })
        .collect()
}

const ROLES: [&str; 6] = [
    "Tech Lead",
    "Architect",
    "Product Owner",
    "Security Review",
    "Engineering Lead",
    "SRE On-call",
];

const REAL_NAMES: [&str; 12] = [
    "Ada Lovelace",
    "Grace Hopper",
    "Priya Raman",
    "Jonas Berg",
    "Henrik Solberg",
    "Amara Osei",
    "Zoë Ångström",
    "Seán O'Brien",
    "Jean-Luc Picard",
    "李小龍",
    "Ng",
    "Dr. Tanaka",
];

/// Words and marks people write where a name is not (yet) given.
const NOT_NAMES: [&str; 42] = [
    "",
    "TBD",
    "tbd",
    "TBA",
    "TBC",
    "TODO",
    "Pending",
    "pending",
    "n/a",
    "N/A",
    "NA",
    "-",
    "--",
    "—",
    "–",
    "?",
    "???",
    "✗",
    "✘",
    "x",
    "X",
    "None",
    "Nobody",
    "[Name]",
    "{name}",
    "(pending)",
    "Not signed",
    "not yet",
    "Unsigned",
    "Name",
    "...",
    "…",
    "Awaiting signature",
    "*TBD*",
    // Review: struck out, or marked as not signed.
    "~~Jane Doe~~",
    "~Jane Doe~",
    "~~*Jane Doe*~~",
    "Jane (pending)",
    "Ada Lovelace [TBD]",
    "Grace Hopper (not signed yet)",
    "Jonas Berg, pending",
    "(pending) Priya Raman",
];

/// Dates that are not calendar dates in the accepted form (YYYY-MM-DD, optionally with a time).
const NOT_DATES: [&str; 28] = [
    "",
    "TBD",
    "Pending",
    "n/a",
    "-",
    "✗",
    "?",
    "YYYY-MM-DD",
    "[Date]",
    "{date}",
    "2026-13-01",
    "2026-02-30",
    "2025-02-29",
    "1900-02-29",
    "2026-00-10",
    "2026-04-31",
    "2026-10-00",
    "2026-4-1",
    "26-10-21",
    "21/10/2026",
    "2026/10/21",
    "21 Oct 2026",
    "2026-10-21T25:00",
    "2026-10-21T10:60",
    "20261021",
    "2026-10-21x",
    "２０２６-10-21",
    "0000-01-01",
];

/// A name or a date, and whether it is real.
type Given = (String, bool);

/// One role's sign-off: the role (an index into [`ROLES`]), the name and the date.
type Row = (usize, Given, Given);

/// A real calendar date, sometimes with a time.
fn real_date() -> impl Strategy<Value = String> {
    (1970u32..2100, 1u32..=12, 1u32..=31, 0usize..5).prop_map(|(y, m, d, time)| {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let date = format!("{y:04}-{m:02}-{:02}", d.min(days));
        let time = ["", "T10:00", "T23:59:59Z", " 08:30", "T09:15+02:00"][time];
        format!("{date}{time}")
    })
}

/// A name (real or not) and whether it is real.
fn name() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        prop::sample::select(REAL_NAMES.to_vec()).prop_map(|n| (n.to_owned(), true)),
        prop::sample::select(NOT_NAMES.to_vec()).prop_map(|n| (n.to_owned(), false)),
    ]
}

/// A date (real or not) and whether it is real.
fn date() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        real_date().prop_map(|d| (d, true)),
        prop::sample::select(NOT_DATES.to_vec()).prop_map(|d| (d.to_owned(), false)),
    ]
}

/// Sign-offs for distinct roles.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    (
        Just((0..ROLES.len()).collect::<Vec<_>>()).prop_shuffle(),
        prop::collection::vec((name(), date()), 1..=ROLES.len()),
    )
        .prop_map(|(roles, signs)| {
            signs
                .into_iter()
                .zip(roles)
                .map(|((n, d), r)| (r, n, d))
                .collect()
        })
}

const ROLE_HEADERS: [&str; 6] = ["Role", "role", "Approver Role", "Title", "Position", "ROLE"];
const NAME_HEADERS: [&str; 9] = [
    "Name",
    "Approver",
    "Signatory",
    "Reviewer",
    "Signed by",
    "Approved By",
    "Approver name",
    "Full Name",
    "Signer",
];
const DATE_HEADERS: [&str; 10] = [
    "Date",
    "Date signed",
    "Date Signed",
    "Signed on",
    "Approved on",
    "Sign-off date",
    "Approval Date",
    "Date of approval",
    "When",
    "Signed",
];
const OTHER_HEADERS: [&str; 4] = ["Signature", "Initials", "Notes", "Comments"];

/// The columns of a table: which kind each is, and its header.
fn columns() -> impl Strategy<Value = Vec<(char, &'static str)>> {
    (
        prop::sample::select(ROLE_HEADERS.to_vec()),
        prop::sample::select(NAME_HEADERS.to_vec()),
        prop::sample::select(DATE_HEADERS.to_vec()),
        prop::option::of(prop::sample::select(OTHER_HEADERS.to_vec())),
    )
        .prop_map(|(r, n, d, o)| {
            let mut cols = vec![('r', r), ('n', n), ('d', d)];
            cols.extend(o.map(|o| ('o', o)));
            cols
        })
        .prop_shuffle()
}

/// A cell's text: `|` would end the cell, so it is escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn table(cols: &[(char, &str)], rows: &[Row]) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(cols.iter().map(|(_, h)| h.to_string()).collect()));
    out.push_str(&line(cols.iter().map(|_| "---".to_owned()).collect()));
    for (role, (name, _), (date, _)) in rows {
        out.push_str(&line(
            cols.iter()
                .map(|(kind, _)| match kind {
                    'r' => ROLES[*role].to_owned(),
                    'n' => cell(name),
                    'd' => cell(date),
                    _ => "TBD".to_owned(),
                })
                .collect(),
        ));
    }
    out
}

/// The line form: `**Role:** Name - Date`, one per line (hard breaks, soft breaks, paragraphs
/// or list items).
fn lines(rows: &[Row], sep: &str, end: &str) -> String {
    let list = end == "list";
    let mut out = String::new();
    for (role, (name, _), (date, _)) in rows {
        if list {
            out.push_str("- ");
        }
        out.push_str(&format!("**{}:** {name}{sep}{date}", ROLES[*role]));
        out.push_str(if list { "\n" } else { end });
    }
    out
}

fn expected(rows: &[Row]) -> Vec<(String, bool)> {
    rows.iter()
        .map(|(r, (_, n), (_, d))| (ROLES[*r].to_owned(), *n && *d))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A row is signed exactly when it has a real name and a real calendar date, whatever the
    /// column order and spelling.
    #[test]
    fn a_table_row_is_signed_iff_real_name_and_real_date(cols in columns(), rows in rows()) {
        let md = table(&cols, &rows);
        prop_assert_eq!(read(&md), expected(&rows), "{}", md);
    }

    /// The same for the line form, with every separator and every way to end a line.
    #[test]
    fn a_line_is_signed_iff_real_name_and_real_date(
        rows in rows(),
        sep in prop::sample::select(vec![" - ", " – ", " — "]),
        end in prop::sample::select(vec!["\\\n", "  \n", "\n", "\n\n", "list"]),
    ) {
        let md = lines(&rows, sep, end);
        prop_assert_eq!(read(&md), expected(&rows), "{}", md);
    }

    /// Every usual spelling of an approval heading, numbered or not, is an approval section.
    #[test]
    fn usual_approval_headings_are_approval_sections(
        number in prop::sample::select(vec!["", "9. ", "9 ", "10.2 ", "12) ", "A. ", "IX. "]),
        emoji in prop::sample::select(vec!["", "✅ ", "📝 "]),
        phrase in prop::sample::select(vec![
            "Approval", "Approvals", "Sign-off", "Sign off", "Signoff", "Sign-offs", "Sign Offs",
            "Signoffs", "Sign‑off", "Approvals & Sign-off", "Approvals and Sign-off",
            "Approval and Sign-off", "Review & Approval", "Reviews and Approvals",
            "Approvals / Sign-off", "Sign-off & Approval", "Approvers", "Signatures",
            "Final Approval", "Stakeholder Sign-off", "Document Approval", "Approval & Signatures",
        ]),
        case in 0..3usize,
        colon in any::<bool>(),
    ) {
        let phrase = match case {
            0 => phrase.to_owned(),
            1 => phrase.to_uppercase(),
            _ => phrase.to_lowercase(),
        };
        let heading = format!("{number}{emoji}{phrase}{}", if colon { ":" } else { "" });
        prop_assert!(is_approval_section(&heading_key(&heading)), "{:?} -> {:?}", heading, heading_key(&heading));
    }
}

#[test]
fn headings_that_are_not_about_signing_are_not_approval_sections() {
    for heading in [
        "Overview",
        "Review",
        "Design Review",
        "Code Review and Testing",
        "Approval Workflow",
        "Approval workflow design",
        "Signing keys",
        "Sign-in flow",
        "Sign up",
        "Offboarding",
        "Security Review",
        "Open Questions",
        "",
        "9.",
        "and",
    ] {
        assert!(
            !is_approval_section(&heading_key(heading)),
            "{heading:?} read as an approval section"
        );
    }
}

#[test]
fn the_reviews_examples_do_not_count_as_signed() {
    let md = "**Engineering Lead:** TBD - TBD\\\n**Architect:** Pending - n/a\\\n\
              **Security Review:** ✗ - ✗\n\n**QA:** - - -\n\n**Ops:** — - —\n\n\
              **Product:** Ada Lovelace - 2026-13-45\n\n**Legal:** N/A - 2026-10-02\n";
    let read = read(md);
    assert_eq!(read.len(), 7, "{read:?}");
    assert!(read.iter().all(|(_, signed)| !signed), "{read:?}");
}

/// Review: `~~Jane~~ - 2026-01-02` and `Jane (pending) - 2026-01-02` counted as signed.
#[test]
fn struck_out_and_pending_names_are_not_signatures() {
    let md = "**Tech Lead:** ~~Jane~~ - 2026-01-02\\\n**Architect:** Jane (pending) - 2026-01-02\n\n\
              | Role | Name | Date |\n|---|---|---|\n| Product Owner | ~~Ada Lovelace~~ | 2026-01-02 |\n\
              | QA | Grace Hopper (TBD) | 2026-01-02 |\n| Ops | ~~Ada~~ Grace Hopper | 2026-01-02 |\n\
              | Legal | Jonas Berg | ~~2026-01-01~~ 2026-01-05 |\n| SRE | Amara Osei (approved) | 2026-01-02 |\n";
    assert_eq!(
        read(md),
        [
            ("Tech Lead".to_owned(), false),
            ("Architect".to_owned(), false),
            ("Product Owner".to_owned(), false),
            ("QA".to_owned(), false),
            // What is left after the struck-out part is read.
            ("Ops".to_owned(), true),
            ("Legal".to_owned(), true),
            ("SRE".to_owned(), true),
        ]
    );
}

/// Review 2: HTML strike-through strikes out on the page just as `~~` does.
#[test]
fn html_struck_out_names_and_dates_are_not_signatures() {
    let md = "**Tech Lead:** <del>Ada Lovelace</del> - 2026-10-02\\\n\
              **Architect:** <S class=\"x\">Ada Lovelace</S> - 2026-10-02\\\n\
              **QA:** Ada Lovelace - <strike>2026-10-02</strike>\n\n\
              | Role | Name | Date |\n|---|---|---|\n| Ops | <s>Grace Hopper</s> | 2026-01-02 |\n\
              | Legal | <del>Ada</del> Grace Hopper | 2026-01-02 |\n\
              | SRE | <span>Amara Osei</span> | 2026-01-02 |\n";
    assert_eq!(
        read(md),
        [
            ("Tech Lead".to_owned(), false),
            ("Architect".to_owned(), false),
            ("QA".to_owned(), false),
            ("Ops".to_owned(), false),
            // What is left after the struck-out part is read; other tags are not strikes.
            ("Legal".to_owned(), true),
            ("SRE".to_owned(), true),
        ]
    );
}

#[test]
fn hard_breaks_soft_breaks_and_dateless_separators_are_read() {
    let md = "**Engineering Lead:** Priya Raman - 2026-10-01\\\n\
              **Architect:** Henrik Solberg - 2026-10-02  \n\
              **Security Review:** Amara Osei 2026-10-03\n\
              **QA:** Ada Lovelace, 2026-10-04\n";
    assert_eq!(
        read(md),
        [
            ("Engineering Lead".to_owned(), true),
            ("Architect".to_owned(), true),
            ("Security Review".to_owned(), true),
            ("QA".to_owned(), true),
        ]
    );
}

#[test]
fn bold_text_that_is_not_a_role_label_is_not_a_sign_off() {
    let md = "All roles below must sign; **do not** sign for someone else.\n\n\
              **Architect:** Grace Hopper - 2026-10-02\n";
    assert_eq!(read(md), [("Architect".to_owned(), true)]);
}

#[test]
fn columns_without_a_role_header_take_the_role_from_the_first_other_column() {
    // `Approver` holds the role when a `Name` column names the person.
    let md = "| Approver | Name | Date signed |\n|---|---|---|\n\
              | Tech Lead | Ada Lovelace | 2026-10-02 |\n| Architect | TBD | TBD |\n";
    assert_eq!(
        read(md),
        [
            ("Tech Lead".to_owned(), true),
            ("Architect".to_owned(), false)
        ]
    );
    let md = "| Area | Signed by | When |\n|---|---|---|\n| Security | Amara Osei | 2026-10-03 |\n";
    assert_eq!(read(md), [("Security".to_owned(), true)]);
    // `Sign-off` alone is the date when nothing says so more plainly; `Comments on` is not.
    let md = "| Role | Reviewer | Comments on scope | Sign-off |\n|---|---|---|---|\n\
              | Architect | Grace Hopper | fine | 2026-10-02 |\n";
    assert_eq!(read(md), [("Architect".to_owned(), true)]);
    // A table with neither a name nor a date column is not a sign-off table.
    let md = "| Item | Status |\n|---|---|\n| Threat model | Done |\n";
    assert_eq!(read(md), []);
}

/// A doc with its sign-offs under `heading`, as a table with a `Date signed` column.
fn signed_doc(heading: &str, date_header: &str) -> String {
    format!(
        "<<#trd trd-numbered title=\"Search\" status=\"Approved\">>\n\n{heading}\n\n\
         | Role | Name | {date_header} | Signature |\n|---|---|---|---|\n\
         | Tech Lead | Ada Lovelace | 2026-10-01 | AL |\n\
         | Architect | Grace Hopper | 2026-10-02 | GH |\n\
         | Product Owner | Priya Raman | 2026-10-03 | PR |\n"
    )
}

#[test]
fn fully_signed_tables_under_usual_headings_count_as_signed() {
    for (heading, date) in [
        ("## Sign off", "Date"),
        ("## 9. Approvals & Sign-off", "Date"),
        ("## Approval", "Date signed"),
        ("## Sign-offs", "Signed on"),
        ("## Review & Approval", "Approved on"),
    ] {
        let chapter = signed_doc(heading, date);
        let (_, analysis) = expand_standalone(
            Chapter {
                name: "Search",
                content: &chapter,
                file: None,
                path: None,
            },
            RenderMode::Plain,
        );
        let doc = analysis.doc.expect("a design doc");
        assert_eq!(
            doc.approvals.summary(),
            "3/3",
            "{heading} / {date}: {:?}",
            doc.approvals
        );
        assert!(doc.approvals.missing.is_empty());
    }
}

/// The paragraph of a page's HTML that holds `first`, up to its end.
fn paragraph<'a>(html: &'a str, first: &str) -> &'a str {
    let at = html
        .find(first)
        .unwrap_or_else(|| panic!("{first} not in:\n{html}"));
    let start = html[..at].rfind("<p>").unwrap_or(at);
    let end = html[at..].find("</p>").map_or(html.len(), |e| at + e);
    &html[start..end]
}

/// The sign-off lines of a paragraph: `<br>` (or `<br />`) between each.
fn assert_one_per_line(html: &str, labels: &[&str], what: &str) {
    let p = paragraph(html, labels[0]);
    for pair in labels.windows(2) {
        let between = p
            .split(pair[0])
            .nth(1)
            .and_then(|rest| rest.split(pair[1]).next())
            .unwrap_or_else(|| {
                panic!(
                    "{what}: {} and {} not in one paragraph: {p}",
                    pair[0], pair[1]
                )
            });
        assert!(
            between.contains("<br"),
            "{what}: no line break between {} and {}: {p}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn line_form_sign_offs_render_on_their_own_lines() {
    let labels = [
        "<strong>Engineering Lead:</strong>",
        "<strong>Architect:</strong>",
        "<strong>Security Review:</strong>",
    ];
    for mdbook in Mdbook::ALL {
        let built = build("example-book", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let html = built.html_page("designs/shipment-events.html");
        assert_one_per_line(&html, &labels, &format!("{mdbook:?} shipment-events"));
        assert!(html.contains("Henrik Solberg - 2026-10-02"));

        // A fresh `tdd` skeleton, and a chapter that signs it in the hard-break form.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("book.toml"),
            "[book]\ntitle = \"Sign\"\n\n[preprocessor.trd]\nmin-completeness = 0\n",
        )
        .unwrap();
        std::fs::write(
            root.join("src/SUMMARY.md"),
            "# Summary\n\n- [Bare](bare.md)\n- [Signed](signed.md)\n",
        )
        .unwrap();
        std::fs::write(root.join("src/bare.md"), "<<#trd tdd title=\"Bare\">>\n").unwrap();
        std::fs::write(
            root.join("src/signed.md"),
            "<<#trd tdd title=\"Signed\" status=\"Approved\">>\n\n## Approval\n\n\
             **Engineering Lead:** Priya Raman - 2026-10-01\\\n\
             **Architect:** Henrik Solberg - 2026-10-02\\\n\
             **Security Review:** Amara Osei - 2026-10-03\n\n<<#trd index>>\n",
        )
        .unwrap();
        let out = std::process::Command::new(mdbook.binary())
            .arg("build")
            .current_dir(root)
            .env("PATH", common::path_with_trd())
            .env("MDBOOK_TRD_STRICT", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Strict: a missing sign-off would fail the build.
        assert!(out.status.success(), "{mdbook:?}: {stderr}");
        let signed = common::read(&root.join("book/signed.html"));
        assert_one_per_line(&signed, &labels, &format!("{mdbook:?} signed"));
        // The bare skeleton's sign-off lines are the template's, shown but kept out of search.
        let quiet = labels.map(|l| {
            l.replace("<strong>", "<strong><span data-trd-text=\"")
                .replace(":</strong>", ":\"></span></strong>")
        });
        // (0.5 writes attributes in double quotes; 0.4 passes ours on in single ones.)
        let bare = common::read(&root.join("book/bare.html"))
            .replace("data-trd-text='", "data-trd-text=\"")
            .replace(":'></span>", ":\"></span>");
        assert_one_per_line(
            &bare,
            &quiet.each_ref().map(String::as_str),
            &format!("{mdbook:?} bare"),
        );
        let signed = common::read(&root.join("book/signed.html"));
        assert!(signed.contains(">3/3<"), "{mdbook:?}: {signed}");
    }
}
