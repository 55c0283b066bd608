//! The pictures in the README (`docs/plots/*.svg`) are what the tour's plotting code
//! (`examples/tour/pictures.rs`) draws now, byte for byte, and every tour picture is
//! well-formed SVG. All pictures are also written to `target/lossmap-plots/` (under
//! `$CARGO_TARGET_DIR` when set).
//!
//! After a deliberate change to the pictures, regenerate the committed copies with
//! `LOSSMAP_BLESS=1 cargo test --features capi,std --test plot_docs`.

mod common;
#[path = "../examples/tour/pictures.rs"]
mod pictures;

use common::{repo_root, reports_dir, xml};

/// The pictures the README shows.
const COMMITTED: [&str; 2] = ["rosenbrock.svg", "himmelblau-neb.svg"];

#[test]
fn committed_pictures_are_current() {
    let all = pictures::all();
    // Beside the test reports: `<target dir>/lossmap-plots`.
    let out = reports_dir()
        .parent()
        .map(|t| t.join("lossmap-plots"))
        .expect("target dir");
    std::fs::create_dir_all(&out).expect("create target/lossmap-plots");
    for (name, svg) in &all {
        xml::well_formed(svg);
        std::fs::write(out.join(name), svg).expect("write picture");
    }
    let bless = std::env::var_os("LOSSMAP_BLESS").is_some_and(|v| v == "1");
    let docs = repo_root().join("docs").join("plots");
    for name in COMMITTED {
        let (_, svg) = all.iter().find(|(n, _)| *n == name).expect("picture");
        let path = docs.join(name);
        if bless {
            std::fs::create_dir_all(&docs).expect("create docs/plots");
            std::fs::write(&path, svg).expect("write docs picture");
            continue;
        }
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            committed == *svg,
            "{} is stale: regenerate with `LOSSMAP_BLESS=1 cargo test --features capi,std --test plot_docs`",
            path.display()
        );
    }
}
