//! The built HTML in a real headless Chromium, in all five mdBook themes: badges are visible,
//! carry their text and have at least 4.5:1 contrast; hostile values are shown as text and run
//! nothing. Screenshots are saved under `target/browser/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Built, Mdbook, build};
use mdbook_trd::model::status::Color;
use serde_json::Value;

const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];

fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "Chromium not found at {}: run ./scripts/test, which installs Debian's chromium",
        path.display()
    );
    path
}

/// Chromium's window at desktop width; [`PHONE`] for a phone's.
const DESKTOP: &str = "1280,900";
/// A phone's window, 390 px wide (headless Chromium lays the page out somewhat wider: the
/// content column comes out at about 460 px, still a phone's).
const PHONE: &str = "390,1600";

fn chromium_command(profile: &Path, window: &str) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--window-size={window}"))
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Copies `page` next to itself with a probe script that switches the theme and reports what
/// the browser computed, then loads it in Chromium. Returns the probe's JSON.
fn probe(built: &Built, page: &str, theme: &str, screenshot: Option<&Path>) -> serde_json::Value {
    probe_in(built, page, theme, screenshot, DESKTOP)
}

/// [`probe`] in a window of `window` (`width,height`).
fn probe_in(
    built: &Built,
    page: &str,
    theme: &str,
    screenshot: Option<&Path>,
    window: &str,
) -> serde_json::Value {
    let html = built.html_page(page);
    let script = format!(
        r#"<script>
(function () {{
  var root = document.documentElement;
  {themes:?}.forEach(function (t) {{ root.classList.remove(t); }});
  root.classList.add("{theme}");
  var out = {{ theme: "{theme}", badges: [], pwned: window.__pwned || null }};
  document.querySelectorAll(".trd-badge").forEach(function (b) {{
    var s = getComputedStyle(b), r = b.getBoundingClientRect();
    out.badges.push({{ text: b.textContent, color: s.color, background: s.backgroundColor,
      width: r.width, height: r.height, visibility: s.visibility, display: s.display,
      border: s.borderTopColor, borderStyle: s.borderTopStyle, fontStyle: s.fontStyle,
      print: s.printColorAdjust || s.webkitPrintColorAdjust }});
  }});
  out.page = getComputedStyle(document.documentElement).backgroundColor;
  // Text kept out of search: what its ::before shows, its box and colour.
  // The background a text is drawn on: its nearest ancestor's that is not transparent.
  var backdrop = function (e) {{
    for (; e; e = e.parentElement) {{
      var b = getComputedStyle(e).backgroundColor;
      if (b !== "rgba(0, 0, 0, 0)" && b !== "transparent") return b;
    }}
    return out.page;
  }};
  // The frames that mark unwritten sections as template examples.
  out.examples = Array.prototype.map.call(document.querySelectorAll(".trd-example"), function (e) {{
    var s = getComputedStyle(e), label = getComputedStyle(e, "::before");
    return {{ label: label.content, style: s.borderLeftStyle, border: s.borderLeftColor,
      width: s.borderLeftWidth, text: e.innerText,
      opacity: e.firstElementChild ? parseFloat(getComputedStyle(e.firstElementChild).opacity) : 1,
      quiet: Array.prototype.map.call(e.querySelectorAll("[data-trd-text]"), function (q) {{
        return q.getAttribute("data-trd-text"); }}).join(" ") }};
  }});
  out.quiet = Array.prototype.map.call(document.querySelectorAll("[data-trd-text]"), function (q) {{
    var before = getComputedStyle(q, "::before"), r = q.getBoundingClientRect();
    return {{ text: q.getAttribute("data-trd-text"), before: before.content, color: before.color,
      own: getComputedStyle(q).color,
      guidance: q.parentElement.tagName === "EM",
      size: parseFloat(before.fontSize), around: parseFloat(getComputedStyle(q.parentElement).fontSize),
      background: backdrop(q), code: !!q.closest("code, pre"), width: r.width, height: r.height,
      faded: (function (e) {{ var o = 1; for (; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; }})(q),
      visibility: before.visibility }};
  }});
  var main = document.querySelector("main") || document.body;
  out.text = main.innerText;
  out.images = main.querySelectorAll("img").length;
  out.scripts = main.querySelectorAll("script").length;
  out.links = Array.prototype.map.call(main.querySelectorAll("a[href]"), function (a) {{ return a.getAttribute("href"); }});
  // Every table: its width against the content column's, and how many lines each cell's
  // text takes: the line boxes of its text nodes, one line per box that starts below the
  // last line's middle (a badge's padding or a <small> on the same line is not a new line).
  out.column = main.getBoundingClientRect().width;
  out.tables = Array.prototype.map.call(main.querySelectorAll("table"), function (t) {{
    var box = t.parentElement, r = t.getBoundingClientRect(), m = main.getBoundingClientRect();
    var lines = function (cell) {{
      var walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT), boxes = [], node;
      while ((node = walk.nextNode())) {{
        var range = document.createRange();
        range.selectNodeContents(node);
        Array.prototype.forEach.call(range.getClientRects(), function (l) {{
          if (l.width > 0) boxes.push(l);
        }});
      }}
      boxes.sort(function (a, b) {{ return a.top - b.top; }});
      var count = 0, middle = -Infinity;
      boxes.forEach(function (l) {{
        if (l.top >= middle) {{ count += 1; middle = l.top + l.height / 2; }}
      }});
      return count;
    }};
    return {{ width: r.width, left: r.left - m.left, right: m.right - r.right,
      scroll: box.scrollWidth, visible: box.clientWidth,
      headers: Array.prototype.map.call(t.querySelectorAll("thead th"), function (h) {{ return h.textContent; }}),
      columns: Array.prototype.map.call(t.querySelectorAll("thead th"), function (h) {{ return Math.round(h.getBoundingClientRect().width); }}),
      rows: Array.prototype.map.call(t.querySelectorAll("tbody tr"), function (row) {{
        return Array.prototype.map.call(row.querySelectorAll("td"), lines); }}) }};
  }});
  var pre = document.createElement("pre");
  pre.id = "trd-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}})();
</script>"#,
        themes = THEMES,
    );
    let Some(at) = html.rfind("</body>") else {
        panic!("{page}: no </body>");
    };
    let probed = format!("{}{script}{}", &html[..at], &html[at..]);
    let probe_name = format!("trd-probe-{theme}.html");
    let probe_path = built
        .html()
        .join(Path::new(page).with_file_name(&probe_name));
    std::fs::write(&probe_path, probed).unwrap();
    let url = format!("file://{}", probe_path.display());
    let profile = built.dir.path().join(format!("chromium-{theme}"));

    let dom = chromium_command(&profile, window)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let start =
        dom.find("<pre id=\"trd-probe\">").expect("the probe ran") + "<pre id=\"trd-probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");

    if let Some(shot) = screenshot {
        let status = chromium_command(&profile, window)
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url)
            .output()
            .unwrap();
        assert!(status.status.success());
        assert!(shot.is_file(), "no screenshot at {}", shot.display());
    }
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// The colour of a computed CSS value `rgb(r, g, b)` or `rgba(r, g, b, a)`.
fn rgb(css: &str) -> Color {
    let inner = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let parts: Vec<u8> = inner
        .split(',')
        .take(3)
        .map(|p| p.trim().parse().unwrap())
        .collect();
    Color([parts[0], parts[1], parts[2]])
}

/// `css` (`rgb(...)` or `rgba(...)`) drawn over the opaque `under`.
fn over(css: &str, under: &str) -> Color {
    let alpha: f64 = css
        .strip_prefix("rgba(")
        .and_then(|inner| inner.trim_end_matches(')').rsplit(',').next())
        .map_or(1.0, |a| a.trim().parse().unwrap());
    let (Color(top), Color(bottom)) = (rgb(css), rgb(under));
    Color(std::array::from_fn(|i| {
        (f64::from(top[i]) * alpha + f64::from(bottom[i]) * (1.0 - alpha)).round() as u8
    }))
}

/// `css` drawn with `opacity` over `under`.
fn fade(css: &str, opacity: f64, under: &str) -> Color {
    let (Color(top), Color(bottom)) = (over(css, under), rgb(under));
    Color(std::array::from_fn(|i| {
        (f64::from(top[i]) * opacity + f64::from(bottom[i]) * (1.0 - opacity)).round() as u8
    }))
}

/// The WCAG contrast of two computed CSS colours.
fn contrast(a: &str, b: &str) -> f64 {
    rgb(a).contrast(rgb(b))
}

fn screenshots() -> PathBuf {
    let dir = common::repo().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn badges_are_readable_in_every_theme() {
    let built = build("example-book", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    let mut page_backgrounds = Vec::new();
    for theme in THEMES {
        let shot = screenshots().join(format!("unified-search-{theme}.png"));
        let p = probe(&built, "designs/unified-search.html", theme, Some(&shot));
        let badges = p["badges"].as_array().unwrap();
        // Once: on the Status row of the header, with the completeness in the row under it.
        assert_eq!(badges.len(), 1, "{theme}: {p}");
        let text = p["text"].as_str().unwrap();
        assert!(
            text.contains(
                "Field\tValue\nNumber\t21\nStatus\tIn Review\nCompleteness\t5/25 sections written\n"
            ),
            "{theme}: {text}"
        );
        for b in badges {
            assert_eq!(b["text"], "In Review", "{theme}");
            assert!(
                b["width"].as_f64().unwrap() > 10.0 && b["height"].as_f64().unwrap() > 5.0,
                "{theme}: {b}"
            );
            assert_eq!(b["visibility"], "visible");
            let ratio = contrast(
                b["color"].as_str().unwrap(),
                b["background"].as_str().unwrap(),
            );
            assert!(ratio >= 4.5, "{theme}: contrast {ratio:.2} for {b}");
        }
        let text = p["text"].as_str().unwrap();
        assert!(
            text.contains("Supersedes: Shipment search index"),
            "{theme}: {text}"
        );
        assert!(
            p["links"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l == "search-index.html")
        );
        // The guidance and examples of unwritten sections, kept out of search, are drawn:
        // each element shows its text, has a box and reads on the theme's background.
        let quiet = p["quiet"].as_array().unwrap();
        assert!(quiet.len() > 100, "{theme}: {}", quiet.len());
        for q in quiet {
            let text = q["text"].as_str().unwrap();
            // CSS writes a line break in a string as `\a ` where JSON writes `\n`.
            assert_eq!(
                q["before"].as_str().unwrap().replace("\\a ", "\\n"),
                serde_json::to_string(text).unwrap(),
                "{theme}: {q}"
            );
            assert_eq!(q["visibility"], "visible", "{theme}: {q}");
            if !text.trim().is_empty() {
                assert!(q["width"].as_f64().unwrap() > 0.0, "{theme}: {q}");
            }
            // Drawn in the theme's colour for where it stands (a table header, a list), as
            // the same words written as text would be.
            assert_eq!(q["color"], q["own"], "{theme}: {q}");
            // Guidance (`*[...]*`) is set smaller than the italics around it.
            if q["guidance"] == true {
                assert!(
                    q["size"].as_f64().unwrap() < q["around"].as_f64().unwrap(),
                    "{theme}: {q}"
                );
            }
            // Where the theme draws text on its page background, it reads. (Code and table
            // headers keep the theme's own colours; the probe's switch of the theme's class
            // does not swap the highlighting stylesheet.)
            // Inside a muted example frame it is drawn faded: the contrast is the faded
            // colour's.
            if q["code"] == false && q["background"] == p["page"] {
                let background = q["background"].as_str().unwrap();
                let faded = fade(
                    q["color"].as_str().unwrap(),
                    q["faded"].as_f64().unwrap(),
                    background,
                );
                let ratio = faded.contrast(rgb(background));
                assert!(ratio >= 4.5, "{theme}: contrast {ratio:.2} for {q}");
            }
        }
        // Each unwritten section's example sits in a labelled dashed frame that shows on the
        // theme's page; written sections have none (the author's words are in no frame).
        let examples = p["examples"].as_array().unwrap();
        assert!(examples.len() >= 15, "{theme}: {}", examples.len());
        for e in examples {
            assert_eq!(
                e["label"], "\"Not written yet · template example\"",
                "{theme}: {e}"
            );
            assert_eq!(e["style"], "dashed", "{theme}: {e}");
            // Muted: its content drawn faded, so that no sample value reads like the
            // author's words; the frame and its label are not.
            assert!(e["opacity"].as_f64().unwrap() < 1.0, "{theme}: {e}");
            let seen = contrast(e["border"].as_str().unwrap(), p["page"].as_str().unwrap());
            assert!(seen >= 3.0, "{theme}: frame contrast {seen:.2}");
            // Template text only: every word inside is kept out of search, none is typed.
            assert!(
                e["text"].as_str().unwrap().trim().is_empty(),
                "{theme}: text in a frame: {e}"
            );
            assert!(!e["quiet"].as_str().unwrap().is_empty(), "{theme}: {e}");
        }
        page_backgrounds.push(p["page"].as_str().unwrap().to_owned());
    }
    // The themes really switched: five different page backgrounds.
    page_backgrounds.sort();
    page_backgrounds.dedup();
    assert_eq!(page_backgrounds.len(), 5, "{page_backgrounds:?}");

    // A custom status from book.toml, in its own colour.
    let p = probe(&built, "designs/eta-prediction.html", "coal", None);
    let badge = &p["badges"][0];
    assert_eq!(badge["text"], "Parked");
    assert_eq!(badge["background"], "rgb(92, 107, 18)");
}

#[test]
fn hostile_values_are_text_and_run_nothing() {
    let built = build("tests/books/hostile", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    for theme in ["light", "coal"] {
        let shot = screenshots().join(format!("hostile-{theme}.png"));
        let p = probe(&built, "hostile.html", theme, Some(&shot));
        assert_eq!(
            p["pwned"],
            serde_json::Value::Null,
            "{theme}: a value ran as script"
        );
        assert_eq!(p["images"], 0, "{theme}: a value became an <img>");
        assert_eq!(p["scripts"], 0, "{theme}: a value became a <script>");
        // mdBook's smart punctuation curls the quotes; everything else is shown as typed.
        let text = p["text"].as_str().unwrap().replace(['“', '”'], "\"");
        for shown in [
            "TRD-<b>7</b>: <script>window.__pwned=1</script>",
            "\"><img src=x onerror=\"window.__pwned=2\">",
            "javascript:window.__pwned=5",
        ] {
            assert!(
                text.contains(shown),
                "{theme}: {shown:?} not shown as text in:\n{text}"
            );
        }
        let badge = &p["badges"][0];
        assert_eq!(badge["text"], "<img src=y onerror=window.__pwned=3>");
        // The other pages: every attribute and book.toml value, heading attributes included.
        for page in ["second.html", "third.html", "index.html"] {
            let p = probe(&built, page, theme, None);
            assert_eq!(p["pwned"], serde_json::Value::Null, "{page}: a value ran");
            assert_eq!(p["images"], 0, "{page}: a value became an <img>");
            assert_eq!(p["scripts"], 0, "{page}: a value became a <script>");
            assert!(p["badges"].as_array().is_some_and(|b| !b.is_empty()));
        }
        let links = p["links"].as_array().unwrap();
        assert!(
            links
                .iter()
                .all(|l| !l.as_str().unwrap().starts_with("javascript:")),
            "{links:?}"
        );
    }
}

/// The tables of a probed page fit the content column: no wider than it, inside it, nothing
/// to scroll sideways. Returns the tables.
fn tables_fit<'a>(p: &'a Value, what: &str) -> &'a [Value] {
    let column = p["column"].as_f64().unwrap();
    let tables = p["tables"].as_array().unwrap();
    assert!(!tables.is_empty(), "{what}: no table");
    for t in tables {
        let width = t["width"].as_f64().unwrap();
        assert!(
            width <= column + 0.5,
            "{what}: a table {width:.0} px wide in a {column:.0} px column: {t}"
        );
        assert!(
            t["left"].as_f64().unwrap() >= -0.5 && t["right"].as_f64().unwrap() >= -0.5,
            "{what}: a table outside the column: {t}"
        );
        assert!(
            t["scroll"].as_f64().unwrap() <= t["visible"].as_f64().unwrap(),
            "{what}: a table scrolls sideways: {t}"
        );
    }
    tables
}

/// The number of lines each cell of `column` takes, row by row.
fn lines_in(table: &Value, column: &str) -> Vec<u64> {
    let headers = table["headers"].as_array().unwrap();
    let Some(at) = headers.iter().position(|h| h == column) else {
        panic!("no {column} column in {table}");
    };
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row[at].as_u64().unwrap())
        .collect()
}

/// Issue 12, defect 13: the default index was 869 px wide in mdBook's 750 px content column
/// (so it scrolled sideways and hid its last column), with dates broken at their hyphens.
#[test]
fn the_index_fits_the_content_column_in_every_theme() {
    for mdbook in Mdbook::ALL {
        let built = build("example-book", mdbook, "");
        assert!(built.succeeded(), "{}", built.stderr());
        for theme in THEMES {
            let shot = screenshots().join(format!("design-index-{theme}.png"));
            let shot = matches!(mdbook, Mdbook::V05).then_some(shot.as_path());
            let p = probe(&built, "design-index.html", theme, shot);
            let what = format!("{mdbook:?} {theme}");
            // The window is wide enough for the sidebar and the whole 750 px column.
            let column = p["column"].as_f64().unwrap();
            assert!((740.0..=750.0).contains(&column), "{what}: column {column}");
            let tables = tables_fit(&p, &what);
            let default = &tables[0];
            assert_eq!(
                default["headers"],
                serde_json::json!(["No.", "Title", "Status", "Updated", "Approvals", "Written"]),
                "{what}"
            );
            for t in tables {
                let headers = t["headers"].as_array();
                if headers.is_some_and(|h| h.iter().any(|h| h == "Updated")) {
                    assert!(
                        lines_in(t, "Updated").iter().all(|&n| n == 1),
                        "{what}: a date on two lines: {t}"
                    );
                }
            }
            assert!(
                lines_in(default, "Title").iter().all(|&n| n <= 2),
                "{what}: a title on three lines: {default}"
            );
        }
    }
}

/// The default index of a book with the widest values people write (numbers like
/// `TRD-2026-117` and `PLATFORM-INFRA-2026-0042`, long titles, the longest built-in statuses
/// and a long custom one, four roles missing) still fits the column, its dates and short
/// statuses and numbers on one line.
///
/// Review N5: a custom status "Awaiting Security Architecture Review" next to the number
/// `PLATFORM-INFRA-2026-0042` made the table 768 px wide in the 750 px column. Review 2: a
/// title of one long German word made it 952 px, a role `Informationssicherheitsbeauftragter`
/// 772 px.
#[test]
fn an_index_of_wide_values_fits_the_content_column() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Wide\"\n\n[preprocessor.trd]\nmin-completeness = 0\n\n\
         [preprocessor.trd.statuses.\"Awaiting Security Architecture Review\"]\n\
         color = \"#9a6700\"\norder = 25\n\n\
         [preprocessor.trd.approvals]\n\
         default = [\"Engineering Lead\", \"Security Review\", \"Product Owner\", \"Architect\", \
         \"Informationssicherheitsbeauftragter\"]\n",
    )
    .unwrap();
    let docs = [
        (
            "TRD-2026-117",
            "Partner API rate limiting for public carrier endpoints",
            "Implemented",
        ),
        (
            "TRD-2026-9a",
            "Shipment event ingestion and replay",
            "In Progress",
        ),
        (
            "RFC-0042",
            "Multi-region failover of the tracking database",
            "Superseded",
        ),
        ("ADR-0118", "Observability", "Deprecated"),
        // Review 2: one word longer than the column can hold.
        (
            "TRD-1",
            "Zahlungswiederholungsmechanismusarchitektur",
            "Approved",
        ),
        (
            "PLATFORM-INFRA-2026-0042",
            "Zero-downtime rotation of the platform's service-mesh certificates",
            "Awaiting Security Architecture Review",
        ),
    ];
    let mut summary = "# Summary\n\n- [Index](index.md)\n".to_owned();
    for (i, (number, title, status)) in docs.iter().enumerate() {
        std::fs::write(
            src.join(format!("d{i}.md")),
            format!(
                "<<#trd tdd title=\"{title}\" number=\"{number}\" status=\"{status}\"\n   \
                 author=\"Maximiliane Oberhuber-Castellanos\" date=\"2026-12-31\" updated=\"2027-01-15\">>\n"
            ),
        )
        .unwrap();
        summary.push_str(&format!("- [{title}](d{i}.md)\n"));
    }
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();
    std::fs::write(src.join("index.md"), "# Index\n\n<<#trd index>>\n").unwrap();
    let built = build(dir.path().to_str().unwrap(), Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    for theme in THEMES {
        let shot = screenshots().join(format!("wide-index-{theme}.png"));
        let p = probe(&built, "index.html", theme, Some(&shot));
        let tables = tables_fit(&p, theme);
        let default = &tables[0];
        assert!(
            lines_in(default, "Updated").iter().all(|&n| n == 1),
            "{theme}: a date on two lines: {default}"
        );
        // Short statuses stay whole; only a long one wraps, between its words.
        let statuses = lines_in(default, "Status");
        for (i, (_, _, status)) in docs.iter().enumerate() {
            let words = status.split(' ').count() as u64;
            let most = if status.len() <= 16 { 1 } else { words };
            assert!(
                statuses[i] <= most,
                "{theme}: {status} on {} lines: {default}",
                statuses[i]
            );
        }
    }
}

/// Review of issue 16: on a phone, TRD-14's header table ran past the screen's edge, pushed
/// wide by its related ADR's address; a long link in a table cell now wraps.
#[test]
fn the_header_fits_a_phone() {
    let built = build("example-book", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    let p = probe_in(&built, "designs/rate-limiting.html", "light", None, PHONE);
    let column = p["column"].as_f64().unwrap();
    assert!(column < 500.0, "not a phone's column: {column}");
    let header = &p["tables"][0];
    assert_eq!(header["headers"][0], "Field", "{header}");
    let width = header["width"].as_f64().unwrap();
    assert!(
        width <= column + 0.5,
        "header {width:.0} px wide in {column:.0} px: {header}"
    );
    assert!(
        header["scroll"].as_f64().unwrap() <= header["visible"].as_f64().unwrap(),
        "the header scrolls sideways: {header}"
    );
}

/// An element a section leaves open (`<noscript>`, a hidden custom element) stays with its
/// section, after the template's sections, so the browser shows those; a `<details>` around a
/// section's sub-section moves with it, and the sections after it merge (review N1, N2).
#[test]
fn sections_after_an_element_left_open_are_shown() {
    let built = build("tests/books/unbalanced", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    for page in ["noscript.html", "widget.html"] {
        let p = probe(&built, page, "light", None);
        let text = p["text"].as_str().unwrap();
        for shown in ["Open Questions", "Approval", "Slow."] {
            assert!(text.contains(shown), "{page}: {shown:?} hidden in:\n{text}");
        }
    }
    let p = probe(&built, "details.html", "light", None);
    let text = p["text"].as_str().unwrap();
    assert!(text.contains("Why a queue"), "{text}");
    assert!(text.contains("Ada Lovelace"), "{text}");
    assert!(text.contains("Open Questions"), "{text}");
    // The author's Proposed Solution fills the skeleton's: one heading, not two.
    assert_eq!(text.matches("Proposed Solution").count(), 1, "{text}");
    // Only the two pages that leave an element open are warned about.
    assert!(
        !built.stderr().contains("src/details.md:"),
        "{}",
        built.stderr()
    );
}

#[test]
fn every_status_has_its_own_colour_stays_visible_and_prints() {
    let built = build("tests/books/lifecycle", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    for theme in THEMES {
        let shot = screenshots().join(format!("lifecycle-{theme}.png"));
        let p = probe(&built, "index.html", theme, Some(&shot));
        let page = p["page"].as_str().unwrap();
        let badges = p["badges"].as_array().unwrap();
        // The count per status above the table, and one badge per doc in it.
        assert_eq!(badges.len(), 20, "{theme}: {p}");
        let mut known = Vec::new();
        for b in badges {
            let background = b["background"].as_str().unwrap();
            let text = contrast(b["color"].as_str().unwrap(), background);
            assert!(text >= 4.5, "{theme}: text contrast {text:.2} for {b}");
            // Seen against the page: its fill, or the rim around it (WCAG's 3:1 for shapes).
            let fill = contrast(background, page);
            let rim = over(b["border"].as_str().unwrap(), page).contrast(rgb(page));
            assert!(
                fill.max(rim) >= 3.0,
                "{theme}: fill {fill:.2}, rim {rim:.2} for {b}"
            );
            // Colours survive printing.
            assert_eq!(b["print"], "exact", "{theme}: {b}");
            // The whole status: "In Review" and "In Progress" must not share a colour.
            let name = b["text"].as_str().unwrap().trim();
            if name == "Sleeping" {
                assert_eq!(b["borderStyle"], "dashed", "{theme}: {b}");
                assert_eq!(b["fontStyle"], "italic", "{theme}: {b}");
            } else {
                assert_eq!(b["borderStyle"], "solid", "{theme}: {b}");
                known.push((name.to_owned(), background.to_owned()));
            }
        }
        // Nine statuses, nine colours; and the unknown one looks like none of them.
        known.sort();
        known.dedup();
        let mut colours: Vec<&String> = known.iter().map(|(_, c)| c).collect();
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), known.len(), "{theme}: {known:?}");
        let unknown = badges
            .iter()
            .find(|b| b["text"].as_str().unwrap().starts_with("Sleeping"))
            .unwrap();
        assert!(
            !colours.contains(&&unknown["background"].as_str().unwrap().to_owned()),
            "{theme}: {unknown}"
        );
    }
}
