//! Tour section: pictures. Writes the SVGs of `pictures.rs` (heat maps with trajectories, an
//! elastic band, convergence curves, a Hessian spectrum and a correlation map) to
//! `target/lossmap-plots/` (under `$CARGO_TARGET_DIR` when set).

use std::path::PathBuf;

#[path = "pictures.rs"]
mod pictures;

/// Where the pictures go.
pub fn out_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    };
    target.join("lossmap-plots")
}

pub fn show() {
    let t = std::time::Instant::now();
    let pictures = pictures::all();
    let dir = out_dir();
    println!("\nPictures (lossmap::plot, SVG) in {}:", dir.display());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        println!("  cannot create the directory: {e}");
        return;
    }
    for (name, svg) in &pictures {
        let path = dir.join(name);
        match std::fs::write(&path, svg) {
            Ok(()) => println!("  {name:<24} {:>7} bytes", svg.len()),
            Err(e) => println!("  {name:<24} not written: {e}"),
        }
    }
    println!(
        "  ({} pictures drawn in {:.0} ms)",
        pictures.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
}
