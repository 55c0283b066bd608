//! The README's limits table, measured: for every first-order optimizer with its default
//! hyperparameters, the largest gradient magnitude its first step accepts (from a fresh state at
//! `x = 0`), found by bisection on the bit patterns of the floating-point type. The test fails if
//! the README's table does not state what the code does.

use lossmap::optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, Optimizer, RmsProp,
    RmsPropConfig, Sgd, SgdConfig,
};
use lossmap::Real;

/// Whether a fresh optimizer's first step accepts the gradient `g` at `x = 0`.
type Probe<T> = fn(T) -> bool;

fn accepts<T: Real, P: Optimizer<T>>(mut p: P, g: T) -> bool {
    let mut x = [T::ZERO];
    let ok = p.step(&mut x, &[g]).is_ok();
    assert!(
        !ok || x[0].is_finite(),
        "an accepted step gave a non-finite x"
    );
    ok
}

fn sgd<T: Real>(g: T) -> bool {
    accepts(Sgd::<T, 1>::new(SgdConfig::default()).unwrap(), g)
}
fn momentum<T: Real>(g: T) -> bool {
    let c = SgdConfig {
        momentum: T::from_f64(0.9),
        ..SgdConfig::default()
    };
    accepts(Sgd::<T, 1>::new(c).unwrap(), g)
}
fn adagrad<T: Real>(g: T) -> bool {
    accepts(Adagrad::<T, 1>::new(AdagradConfig::default()).unwrap(), g)
}
fn rmsprop<T: Real>(g: T) -> bool {
    accepts(RmsProp::<T, 1>::new(RmsPropConfig::default()).unwrap(), g)
}
fn adam<T: Real>(g: T) -> bool {
    accepts(Adam::<T, 1>::new(AdamConfig::default()).unwrap(), g)
}
fn adamw<T: Real>(g: T) -> bool {
    accepts(AdamW::<T, 1>::new(AdamWConfig::default()).unwrap(), g)
}
fn amsgrad<T: Real>(g: T) -> bool {
    let c = AdamWConfig {
        amsgrad: 1,
        ..AdamWConfig::default()
    };
    accepts(AdamW::<T, 1>::new(c).unwrap(), g)
}

/// The largest positive `g` accepted, by bisection on the ordered bit patterns (the accepted
/// set is an interval `[0, limit]`; both ends are checked).
fn limit32(p: Probe<f32>) -> f32 {
    assert!(p(1.0), "a unit gradient must be accepted");
    if p(f32::MAX) {
        return f32::MAX;
    }
    let (mut lo, mut hi) = (1f32.to_bits(), f32::MAX.to_bits());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if p(f32::from_bits(mid)) {
            lo = mid
        } else {
            hi = mid
        }
    }
    assert!(
        p(-f32::from_bits(lo)) && !p(-f32::from_bits(hi)),
        "symmetric in sign"
    );
    f32::from_bits(lo)
}

fn limit64(p: Probe<f64>) -> f64 {
    assert!(p(1.0), "a unit gradient must be accepted");
    if p(f64::MAX) {
        return f64::MAX;
    }
    let (mut lo, mut hi) = (1f64.to_bits(), f64::MAX.to_bits());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if p(f64::from_bits(mid)) {
            lo = mid
        } else {
            hi = mid
        }
    }
    assert!(
        p(-f64::from_bits(lo)) && !p(-f64::from_bits(hi)),
        "symmetric in sign"
    );
    f64::from_bits(lo)
}

/// `(name, f32 limit, f64 limit)` as the README's table states them ("MAX" = any finite value).
fn readme_table() -> Vec<(String, String, String)> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("<!-- gradient-limits -->")
        .expect("README has the gradient limits table");
    readme[start..]
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let c: Vec<String> = l
                .split('|')
                .map(|s| s.trim().trim_matches('`').to_string())
                .collect();
            (c[1].clone(), c[2].clone(), c[3].clone())
        })
        .collect()
}

fn stated(v: f64, max: f64) -> String {
    if v == max {
        "MAX".into()
    } else {
        format!("{v:.3e}")
    }
}

#[test]
fn gradient_limits_are_as_documented() {
    let probes: [(&str, Probe<f32>, Probe<f64>); 7] = [
        ("SGD", sgd::<f32>, sgd::<f64>),
        ("SGD with momentum", momentum::<f32>, momentum::<f64>),
        ("AdaGrad", adagrad::<f32>, adagrad::<f64>),
        ("RMSProp", rmsprop::<f32>, rmsprop::<f64>),
        ("Adam", adam::<f32>, adam::<f64>),
        ("AdamW", adamw::<f32>, adamw::<f64>),
        ("AMSGrad", amsgrad::<f32>, amsgrad::<f64>),
    ];
    let measured: Vec<(String, String, String)> = probes
        .iter()
        .map(|&(name, p32, p64)| {
            (
                name.to_string(),
                stated(limit32(p32) as f64, f32::MAX as f64),
                stated(limit64(p64), f64::MAX),
            )
        })
        .collect();
    for (name, a, b) in &measured {
        println!("| {name} | `{a}` | `{b}` |");
    }
    assert_eq!(readme_table(), measured, "README's gradient limits table");
}
