//! Tour section: the barrier between two minima. Nudged elastic band with a climbing image
//! (default settings, analytic gradients, f64) between neighbouring minima of Himmelblau's
//! function and between the two global minima of the six-hump camel (8 images there: with 9,
//! the middle image of the straight band would start on the saddle, the origin); the climbing
//! image is classified from its Hessian, and the energy profile of one band is drawn.

use lossmap::landscape::{neb, CriticalPoint, Neb, NebConfig, Tolerance};
use lossmap::testfn::{Himmelblau, SixHumpCamel};
use lossmap::Objective;

fn point(p: &[f64; 2]) -> String {
    format!("({:>6.3}, {:>6.3})", p[0], p[1])
}

fn kind(k: CriticalPoint) -> String {
    match k {
        CriticalPoint::Saddle { index } => format!("saddle, index {index}"),
        other => other.name().to_string(),
    }
}

/// One table row; returns the band for the picture.
fn row<O: Objective<f64, 2> + Copy, const IMAGES: usize>(
    name: &str,
    mut obj: O,
    a: [f64; 2],
    b: [f64; 2],
) -> Option<Neb<f64, 2, IMAGES>> {
    match neb::<f64, _, 2, IMAGES>(&mut obj, &a, &b, &NebConfig::default()) {
        Ok(band) => {
            let r = band.report;
            let class = band
                .classify(&mut obj, &Tolerance::default())
                .map(|(k, _)| kind(k))
                .unwrap_or_else(|e| e.to_string());
            println!(
                "{name:<15} {} {} {IMAGES:>6} {:>6} {:>6}/{:<5} {}  {:>9.5} {:>9.5}  {:>7.1e}  {class}",
                point(&a),
                point(&b),
                r.iterations,
                r.value_evals,
                r.grad_evals,
                point(&band.saddle),
                r.barrier_from_a,
                r.barrier_from_b,
                r.max_force,
            );
            Some(band)
        }
        Err(e) => {
            println!("{name:<15} {} {}  error: {e}", point(&a), point(&b));
            None
        }
    }
}

/// Energy of each image as a bar, the climbing image marked.
fn profile<const IMAGES: usize>(band: &Neb<f64, 2, IMAGES>) {
    let top = band.energies[band.report.climbing];
    for (i, (x, &e)) in band.path.iter().zip(&band.energies).enumerate() {
        let bar = "#".repeat((40.0 * e / top).round().max(0.0) as usize);
        let mark = if i == band.report.climbing {
            " <- climbing image"
        } else {
            ""
        };
        println!("  {i:>2} {} {e:>9.4} |{bar}{mark}", point(x));
    }
}

pub fn show() {
    println!(
        "\nBarriers between minima: nudged elastic band with climbing image (default settings, f64)"
    );
    println!(
        "function        from             to               images  iters  f-evs/g-evs \
         saddle found      barrier a barrier b    force  classification"
    );
    let m = Himmelblau::MINIMA;
    let first = row::<_, 9>("Himmelblau", Himmelblau, m[0], m[3]);
    row::<_, 9>("Himmelblau", Himmelblau, m[0], m[1]);
    row::<_, 9>("Himmelblau", Himmelblau, m[2], m[3]);
    let c = SixHumpCamel::MINIMA;
    row::<_, 8>("six-hump camel", SixHumpCamel, c[0], c[1]);
    println!(
        "Listed saddles: Himmelblau {}, {}, {} (barriers 13.31193, 67.71915, 178.33724); \
         camel (0, 0), barrier 1.03163.",
        point(&Himmelblau::SADDLES[2]),
        point(&Himmelblau::SADDLES[0]),
        point(&Himmelblau::SADDLES[3]),
    );
    if let Some(band) = first {
        println!("\nEnergy along the relaxed band, Himmelblau (3, 2) -> (3.584, -1.848):");
        profile(&band);
    }
}
