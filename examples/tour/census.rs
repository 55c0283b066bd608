//! Tour section: a census of critical points on random quartic landscapes of growing
//! dimension, `f(x) = Σ aᵢxᵢ⁴ − Σ bᵢxᵢ² + ½xᵀCx` with `aᵢ, bᵢ ~ U[0.5, 1.5]` and a small
//! random symmetric coupling `Cᵢⱼ ~ U[−0.1, 0.1]` (zero diagonal). Uncoupled it has the `3^N`
//! critical points `xᵢ ∈ {0, ±√(bᵢ/2aᵢ)}`, of which `2^N` are minima; the weak coupling
//! keeps them. Then a Gaussian-random-field-like landscape, a sum of `3N + 3` random wells
//! in a weak bowl, `f(x) = ¼‖x‖² − Σₖ wₖ exp(−‖x − cₖ‖²/(2s²))` (`wₖ ~ U[0.5, 1.5]`,
//! `cₖ ~ U[−1.5, 1.5]^N`, `s = 0.4`), whose critical points are not known in advance. Prints
//! the fraction of minima among the distinct critical points found against `N` and how the
//! index grows with the loss (Spearman rank correlation, mean value per index), and draws both
//! into `target/lossmap-plots/`.

// Index loops read as the formulas.
#![allow(clippy::needless_range_loop)]

use lossmap::global::Bounds;
use lossmap::landscape::{Census, CensusConfig};
use lossmap::plot::{curves, Chart, Marks, Scale, Series};
use lossmap::random::uniform_in;
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// The random quartic, with analytic derivatives.
struct Quartic<const N: usize> {
    a: [f64; N],
    b: [f64; N],
    c: [[f64; N]; N],
}

impl<const N: usize> Quartic<N> {
    fn random(rng: &mut XorShiftRng) -> Self {
        let mut q = Quartic {
            a: [0.0; N],
            b: [0.0; N],
            c: [[0.0; N]; N],
        };
        for i in 0..N {
            q.a[i] = uniform_in(rng, 0.5, 1.5);
            q.b[i] = uniform_in(rng, 0.5, 1.5);
            for j in 0..i {
                let v = uniform_in(rng, -0.1, 0.1);
                q.c[i][j] = v;
                q.c[j][i] = v;
            }
        }
        q
    }
}

impl<const N: usize> Objective<f64, N> for Quartic<N> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let mut f = 0.0;
        for i in 0..N {
            f += self.a[i] * x[i].powi(4) - self.b[i] * x[i] * x[i];
            for j in 0..N {
                f += 0.5 * x[i] * self.c[i][j] * x[j];
            }
        }
        f
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        for i in 0..N {
            g[i] = 4.0 * self.a[i] * x[i].powi(3) - 2.0 * self.b[i] * x[i];
            for j in 0..N {
                g[i] += self.c[i][j] * x[j];
            }
        }
        Ok(0)
    }
    fn hessian(&mut self, x: &[f64; N], h: &mut [[f64; N]; N]) -> Result<usize, Error> {
        for i in 0..N {
            for j in 0..N {
                h[i][j] = self.c[i][j];
            }
            h[i][i] += 12.0 * self.a[i] * x[i] * x[i] - 2.0 * self.b[i];
        }
        Ok(0)
    }
}

/// The sum of Gaussian wells in a bowl, with analytic derivatives.
struct Wells<const N: usize> {
    w: Vec<f64>,
    c: Vec<[f64; N]>,
}

const WIDTH: f64 = 0.4;

impl<const N: usize> Wells<N> {
    fn random(rng: &mut XorShiftRng) -> Self {
        let m = 3 * N + 3;
        let mut q = Wells {
            w: Vec::with_capacity(m),
            c: Vec::with_capacity(m),
        };
        for _ in 0..m {
            q.w.push(uniform_in(rng, 0.5, 1.5));
            let mut c = [0.0; N];
            for v in &mut c {
                *v = uniform_in(rng, -1.5, 1.5);
            }
            q.c.push(c);
        }
        q
    }
    /// `wₖ exp(−‖x − cₖ‖²/(2s²))` for each well.
    fn bump(&self, k: usize, x: &[f64; N]) -> f64 {
        let d2: f64 = x.iter().zip(&self.c[k]).map(|(a, b)| (a - b).powi(2)).sum();
        self.w[k] * (-d2 / (2.0 * WIDTH * WIDTH)).exp()
    }
}

impl<const N: usize> Objective<f64, N> for Wells<N> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let bowl: f64 = 0.25 * x.iter().map(|v| v * v).sum::<f64>();
        bowl - (0..self.w.len()).map(|k| self.bump(k, x)).sum::<f64>()
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        for i in 0..N {
            g[i] = 0.5 * x[i];
        }
        let s2 = WIDTH * WIDTH;
        for k in 0..self.w.len() {
            let e = self.bump(k, x);
            for i in 0..N {
                g[i] += e * (x[i] - self.c[k][i]) / s2;
            }
        }
        Ok(0)
    }
    fn hessian(&mut self, x: &[f64; N], h: &mut [[f64; N]; N]) -> Result<usize, Error> {
        let s2 = WIDTH * WIDTH;
        for i in 0..N {
            for j in 0..N {
                h[i][j] = if i == j { 0.5 } else { 0.0 };
            }
        }
        for k in 0..self.w.len() {
            let e = self.bump(k, x);
            for i in 0..N {
                let di = (x[i] - self.c[k][i]) / s2;
                for j in 0..N {
                    let dj = (x[j] - self.c[k][j]) / s2;
                    h[i][j] += e * (if i == j { 1.0 / s2 } else { 0.0 } - di * dj);
                }
            }
        }
        Ok(0)
    }
}

/// Spearman's rank correlation of `(value, index)` pairs (average ranks for ties).
fn spearman(pts: &[(f64, f64)]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                r[k] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    }
    let (a, b): (Vec<f64>, Vec<f64>) = pts.iter().copied().unzip();
    let (ra, rb) = (ranks(&a), ranks(&b));
    let m = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (ma, mb) = (m(&ra), m(&rb));
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    // Undefined (NaN) when every point has the same value or index.
    cov / (va * vb).sqrt()
}

/// Mean value of the points of index `i`, if any.
fn mean_at(points: &[(f64, f64)], i: usize) -> Option<f64> {
    let v: Vec<f64> = points
        .iter()
        .filter(|p| p.1 as usize == i)
        .map(|p| p.0)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

const INSTANCES: u64 = 3;
/// Room for every critical point of N = 6 (3⁶ = 729).
const K: usize = 800;

/// One row of the table: (N, mean distinct, minima fraction, Spearman ρ, points (value, index)).
struct Row {
    n: usize,
    distinct: f64,
    minima: f64,
    starts: usize,
    failed: usize,
    rho: f64,
    points: Vec<(f64, f64)>,
}

/// A census of `INSTANCES` random landscapes made by `make`, in `[−r, r]^N` from `starts`.
fn run<const N: usize, O: Objective<f64, N>>(
    make: fn(&mut XorShiftRng) -> O,
    r: f64,
    starts: usize,
) -> Row {
    let (lo, hi) = ([-r; N], [r; N]);
    let bounds = Bounds::new(&lo, &hi).expect("box");
    let cfg = CensusConfig {
        starts,
        ..CensusConfig::default()
    };
    let mut census = Box::new(Census::<f64, N, K>::new());
    let (mut distinct, mut minima, mut failed, mut rho) = (0.0, 0.0, 0, 0.0);
    let mut points = Vec::new();
    for seed in 0..INSTANCES {
        let mut rng = XorShiftRng::seed_from_u64(1000 * N as u64 + seed);
        let mut q = make(&mut rng);
        let r = census.run(&mut q, &bounds, &mut rng, &cfg).expect("census");
        distinct += r.distinct as f64;
        minima += census.minima_fraction();
        failed += r.failed;
        let pts: Vec<(f64, f64)> = census
            .entries
            .iter()
            .map(|e| (e.value, e.index as f64))
            .collect();
        rho += spearman(&pts);
        points.extend(pts);
    }
    let k = INSTANCES as f64;
    Row {
        n: N,
        distinct: distinct / k,
        minima: minima / k,
        starts: cfg.starts,
        failed,
        rho: rho / k,
        points,
    }
}

pub fn show() {
    let t = std::time::Instant::now();
    println!(
        "\nCensus of critical points (landscape::Census): random quartics Σaᵢxᵢ⁴ − Σbᵢxᵢ² + ½xᵀCx in [−1.5, 1.5]^N,"
    );
    println!(
        "{INSTANCES} instances per N, 10·3^N starts each; minima fraction of the distinct points vs (2/3)^N:"
    );
    println!(
        "{:>2} {:>7} {:>9} {:>8} {:>9} {:>8} {:>10}",
        "N", "starts", "distinct", "3^N", "minima", "(2/3)^N", "ρ(f, idx)"
    );
    // 10 starts per critical point of the uncoupled quartic.
    let q = |n: u32| 10 * 3usize.pow(n);
    let rows = [
        run::<1, _>(Quartic::<1>::random, 1.5, q(1)),
        run::<2, _>(Quartic::<2>::random, 1.5, q(2)),
        run::<3, _>(Quartic::<3>::random, 1.5, q(3)),
        run::<4, _>(Quartic::<4>::random, 1.5, q(4)),
        run::<5, _>(Quartic::<5>::random, 1.5, q(5)),
        run::<6, _>(Quartic::<6>::random, 1.5, q(6)),
    ];
    for r in &rows {
        println!(
            "{:>2} {:>7} {:>9.1} {:>8} {:>9.4} {:>8.4} {:>10.3}   ({} failed starts)",
            r.n,
            r.starts,
            r.distinct,
            3usize.pow(r.n as u32),
            r.minima,
            (2.0f64 / 3.0).powi(r.n as i32),
            r.rho,
            r.failed
        );
    }
    let last = &rows[rows.len() - 1];
    println!("Mean value per index, N = {} (all instances):", last.n);
    for idx in 0..=last.n {
        let v: Vec<f64> = last
            .points
            .iter()
            .filter(|p| p.1 as usize == idx)
            .map(|p| p.0)
            .collect();
        if !v.is_empty() {
            println!(
                "  index {idx}: {:>4} points, mean f = {:>7.3}",
                v.len(),
                v.iter().sum::<f64>() / v.len() as f64
            );
        }
    }

    println!(
        "Sum of 3N + 3 Gaussian wells in the bowl ¼‖x‖², in [−2.5, 2.5]^N, {INSTANCES} instances, 400·N starts:"
    );
    println!(
        "{:>2} {:>7} {:>9} {:>9} {:>10}  mean f per index 0, 1, 2, …",
        "N", "starts", "distinct", "minima", "ρ(f, idx)"
    );
    let wells = [
        run::<1, _>(Wells::<1>::random, 2.5, 400),
        run::<2, _>(Wells::<2>::random, 2.5, 800),
        run::<3, _>(Wells::<3>::random, 2.5, 1200),
        run::<4, _>(Wells::<4>::random, 2.5, 1600),
        run::<5, _>(Wells::<5>::random, 2.5, 2000),
        run::<6, _>(Wells::<6>::random, 2.5, 2400),
    ];
    for r in &wells {
        let means: Vec<String> = (0..=r.n)
            .filter_map(|i| mean_at(&r.points, i))
            .map(|m| format!("{m:.3}"))
            .collect();
        println!(
            "{:>2} {:>7} {:>9.1} {:>9.4} {:>10.3}  {}   ({} failed starts)",
            r.n,
            r.starts,
            r.distinct,
            r.minima,
            r.rho,
            means.join(", "),
            r.failed
        );
    }

    // Pictures.
    let ns: Vec<f64> = rows.iter().map(|r| r.n as f64).collect();
    let frac: Vec<f64> = rows.iter().map(|r| r.minima).collect();
    let wfrac: Vec<f64> = wells.iter().map(|r| r.minima).collect();
    let want: Vec<f64> = ns.iter().map(|&n| (2.0f64 / 3.0).powf(n)).collect();
    let chart = Chart {
        title: "Census: fraction of minima among the critical points",
        x_label: "dimension N",
        y_label: "minima / critical points",
        y_scale: Scale::Log10,
        ..Chart::default()
    };
    let mut a = String::new();
    curves(
        &mut a,
        &[
            Series {
                label: "census (random quartics)",
                x: Some(&ns),
                y: &frac,
                marks: Marks::Dots,
            },
            Series {
                label: "census (Gaussian wells)",
                x: Some(&ns),
                y: &wfrac,
                marks: Marks::Dots,
            },
            Series {
                label: "(2/3)^N (uncoupled quartic)",
                x: Some(&ns),
                y: &want,
                marks: Marks::None,
            },
        ],
        &chart,
    )
    .expect("curves");
    // Mean value per index: quartic and wells, N = 4 and 6.
    let per_index = |r: &Row| -> (Vec<f64>, Vec<f64>) {
        (0..=r.n)
            .filter_map(|i| mean_at(&r.points, i).map(|m| (i as f64, m)))
            .unzip()
    };
    let sets = [
        ("quartic, N = 4", per_index(&rows[3])),
        ("quartic, N = 6", per_index(&rows[5])),
        ("wells, N = 4", per_index(&wells[3])),
        ("wells, N = 6", per_index(&wells[5])),
    ];
    let series: Vec<Series<'_, f64>> = sets
        .iter()
        .map(|(label, (x, y))| Series {
            label,
            x: Some(x),
            y,
            marks: Marks::Dots,
        })
        .collect();
    let chart = Chart {
        title: "Census: mean loss of the critical points of each index",
        x_label: "index (negative Hessian eigenvalues)",
        y_label: "mean f",
        ..Chart::default()
    };
    let mut b = String::new();
    curves(&mut b, &series, &chart).expect("curves");
    let dir = super::plots::out_dir();
    if std::fs::create_dir_all(&dir).is_ok() {
        for (name, svg) in [("census_minima.svg", a), ("census_index_value.svg", b)] {
            match std::fs::write(dir.join(name), &svg) {
                Ok(()) => println!("  {name:<24} {:>7} bytes", svg.len()),
                Err(e) => println!("  {name:<24} not written: {e}"),
            }
        }
    }
    println!("  (census in {:.1} s)", t.elapsed().as_secs_f64());
}
