//! Tour section: reading the landscape from the Hessian.

use lossmap::landscape::Curvature;
use lossmap::landscape::{
    classify_at, convex_over_box, epsilon_sharpness, hutchinson_trace_n, noisy_loss, slice_2d,
    top_eigen_n, Convexity, Identifiability, Tolerance,
};
use lossmap::testfn::{Himmelblau, Rastrigin, Rosenbrock, SixHumpCamel, TwoRate};
use lossmap::Objective;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

pub fn show() {
    println!("\nCritical points, classified from the Hessian (relative zero tolerance 1.5e-6):");
    println!(
        "{:<12} {:<26} {:<14} {:>22}",
        "function", "point", "kind", "Hessian eigenvalues"
    );
    let tol = Tolerance::default();
    let mut rows: Vec<(&str, [f64; 2], &mut dyn Objective<f64, 2>)> = Vec::new();
    let (mut h1, mut h2, mut h3, mut h4) = (Himmelblau, Himmelblau, Himmelblau, Himmelblau);
    let (mut c1, mut c2) = (SixHumpCamel, SixHumpCamel);
    rows.push(("Himmelblau", Himmelblau::MINIMA[1], &mut h1));
    rows.push(("Himmelblau", Himmelblau::SADDLES[0], &mut h2));
    rows.push(("Himmelblau", Himmelblau::MAXIMUM, &mut h3));
    rows.push(("Himmelblau", [1.0, 1.0], &mut h4));
    rows.push(("six-hump", [0.0, 0.0], &mut c1));
    rows.push(("six-hump", SixHumpCamel::MINIMA[0], &mut c2));
    for (name, x, obj) in rows {
        match classify_at(obj, &x, &tol) {
            Ok((kind, c)) => {
                let label = match kind {
                    lossmap::landscape::CriticalPoint::Saddle { index } => {
                        format!("saddle ({index})")
                    }
                    k => k.name().to_string(),
                };
                println!(
                    "{name:<12} ({:>10.6}, {:>10.6})  {label:<14} {:>10.3} {:>10.3}",
                    x[0], x[1], c.eigen.values[0], c.eigen.values[1]
                );
            }
            Err(e) => println!("{name:<12} error: {e}"),
        }
    }

    println!("\nIdentifiability: y = exp(−(k₁+k₂)t) fitted at 8 times; the data pin only the sum.");
    let Ok(mut two_rate) = TwoRate::<f64>::new(TwoRate::<f64>::DEFAULT_SUM) else {
        return;
    };
    if let Ok(c) = Curvature::at(&mut two_rate, &[0.4, 0.9]) {
        if let Ok(id) = Identifiability::of_hessian(&c.hessian, 1e-5) {
            let flat = id.flat.iter().map(|d| (d, "NOT determined"));
            for (d, verdict) in flat.chain(id.determined.iter().map(|d| (d, "determined"))) {
                println!(
                    "  {:+.4}·k₁ {:+.4}·k₂   curvature {:>10.3e}   {verdict}",
                    d.vector[0], d.vector[1], d.curvature
                );
            }
        }
    }

    println!("\nFlatness of the Rosenbrock minimum (1, 1):");
    let mut rng = XorShiftRng::seed_from_u64(7);
    if let Ok(s) = epsilon_sharpness(&mut Rosenbrock, &[1.0, 1.0], 0.01, 100, &mut rng) {
        println!(
            "  ε-sharpness (ε = 0.01): rise {:.6}   (½·λ_max·ε² = {:.6})",
            s.rise,
            0.5 * 1001.6 * 1e-4
        );
    }
    for sigma in [0.001, 0.01, 0.05] {
        if let Ok(r) = noisy_loss(&mut Rosenbrock, &[1.0, 1.0], sigma, 4000, &mut rng) {
            println!(
                "  noise σ = {sigma:<5}: E[f] sampled {:.3e} ± {:.1e}, second order f + σ²/2·tr H = {:.3e}",
                r.sampled, r.std_error, r.second_order
            );
        }
    }
    if let (Ok(t), Ok(top)) = (
        hutchinson_trace_n(&mut Rosenbrock, &[1.0, 1.0], 64, &mut rng),
        top_eigen_n::<f64, _, _, 2, 1>(&mut Rosenbrock, &[1.0, 1.0], &mut rng, 200, 1e-12),
    ) {
        println!(
            "  from Hessian–vector products only: trace {:.2} ± {:.2} (64 probes, exact 1002), top eigenvalue {:.4} ({} products)",
            t.trace, t.std_error, top.values[0], top.products
        );
    }

    println!("\nConvexity of Rastrigin over boxes (200 sampled Hessians):");
    for r in [1.0, 0.2] {
        match convex_over_box(&mut Rastrigin::<2>, &[-r, -r], &[r, r], 200, &mut rng, 1e-6) {
            Ok(Convexity::Convex { samples }) => println!("  [−{r}, {r}]²: convex at all {samples} samples"),
            Ok(Convexity::NotConvex { point, direction, curvature }) => println!(
                "  [−{r}, {r}]²: NOT convex: at ({:.3}, {:.3}) curvature {:.2} along ({:.3}, {:.3})",
                point[0], point[1], curvature, direction[0], direction[1]
            ),
            Err(e) => println!("  error: {e}"),
        }
    }

    heat_map();
}

/// Himmelblau over [−5, 5]², 2-D slice along the axes, as characters by log-loss.
fn heat_map() {
    const ROWS: usize = 21;
    const COLS: usize = 51;
    let mut out = [0.0f64; ROWS * COLS];
    let mut point = [0.0; 2];
    let mut f = |p: &[f64]| Himmelblau.value(&[p[0], p[1]]);
    // Rows run over y from +5 (top) to −5, columns over x from −5 to 5.
    if slice_2d(
        &mut f,
        &[0.0, 0.0],
        &[0.0, 1.0],
        &[1.0, 0.0],
        (5.0, -5.0),
        (-5.0, 5.0),
        ROWS,
        &mut point,
        &mut out,
    )
    .is_err()
    {
        return;
    }
    // The minimum-energy path between (3, 2) and (3.584, −1.848), 9 images, climbing image.
    let band = lossmap::landscape::neb::<f64, _, 2, 9>(
        &mut Himmelblau,
        &Himmelblau::MINIMA[0],
        &Himmelblau::MINIMA[3],
        &lossmap::landscape::NebConfig::default(),
    );
    // Grid cell (row, column) of each image.
    let cell = |p: &[f64; 2]| {
        (
            ((5.0 - p[1]) / 10.0 * (ROWS - 1) as f64).round() as usize,
            ((p[0] + 5.0) / 10.0 * (COLS - 1) as f64).round() as usize,
        )
    };
    let path: Vec<(usize, usize)> = band
        .map(|b| b.path.iter().map(cell).collect())
        .unwrap_or_default();
    let minima: Vec<(usize, usize)> = Himmelblau::MINIMA.iter().map(cell).collect();
    println!("\nHimmelblau over [−5, 5]² (slice_2d, log scale; 'o' minima, 'X' the NEB path from (3, 2) to (3.58, −1.85)):");
    let shades = [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];
    for (i, row) in out.chunks(COLS).enumerate() {
        let line: String = row
            .iter()
            .enumerate()
            .map(|(j, &v)| {
                if minima.contains(&(i, j)) {
                    'o'
                } else if path.contains(&(i, j)) {
                    'X'
                } else {
                    let level = ((v + 1.0).log10() / 3.0 * 9.0).clamp(0.0, 9.0) as usize;
                    shades[level]
                }
            })
            .collect();
        println!("  |{line}|");
    }
}
