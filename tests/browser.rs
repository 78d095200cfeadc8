//! The built HTML in a real headless Chromium, in all five mdBook themes: badges are visible,
//! carry their text and have at least 4.5:1 contrast; hostile values are shown as text and run
//! nothing. Screenshots are saved under `target/browser/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Built, Mdbook, build};
use mdbook_trd::status::Color;

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

fn chromium_command(profile: &Path) -> Command {
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
        "--window-size=1280,900",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Copies `page` next to itself with a probe script that switches the theme and reports what
/// the browser computed, then loads it in Chromium. Returns the probe's JSON.
fn probe(built: &Built, page: &str, theme: &str, screenshot: Option<&Path>) -> serde_json::Value {
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
      width: r.width, height: r.height, visibility: s.visibility, display: s.display }});
  }});
  out.page = getComputedStyle(document.documentElement).backgroundColor;
  var main = document.querySelector("main") || document.body;
  out.text = main.innerText;
  out.images = main.querySelectorAll("img").length;
  out.scripts = main.querySelectorAll("script").length;
  out.links = Array.prototype.map.call(main.querySelectorAll("a[href]"), function (a) {{ return a.getAttribute("href"); }});
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

    let dom = chromium_command(&profile)
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
        let status = chromium_command(&profile)
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
        // One under the title, one on the Status field.
        assert_eq!(badges.len(), 2, "{theme}: {p}");
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
    assert_eq!(badge["background"], "rgb(130, 80, 223)");
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
