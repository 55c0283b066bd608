//! The Adam step cases of the `adam_check` firmware and of its host test
//! (`tests/repo/firmware_adam.rs`), shared as source so both sides run the same cases: sizes
//! around the Cortex-M4F's write-first step (n ≤ 16, and 17 beyond it), special values (NaN,
//! ±∞, negative and −0 second moments, a gradient whose square overflows while (1 − β₂)·g·g
//! does not, steps that overflow θ or the update's quotient) at the first, middle and last
//! element, and valid random data, under configurations that take the write-first step
//! (plain Adam, β₁ = 0, maximize, AdamW without decay) and ones that must not (L2 decay,
//! decoupled decay, AMSGrad). `no_std`, the library's public API only.

use lossmap::optim::{adam_step, adamw_step, AdamBias, AdamConfig, AdamWConfig};

/// The sizes of the cases.
pub const SIZES: [usize; 8] = [1, 2, 3, 7, 8, 15, 16, 17];
/// The longest case.
pub const MAX_N: usize = 17;
/// Configurations per size.
pub const CONFIGS: usize = 9;
/// Special values (each at three positions).
pub const SPECIALS: usize = 24;
/// Random valid cases per size and configuration.
pub const RANDOM: usize = 6;
/// Cases per size and configuration.
pub const PER_CONFIG: usize = 3 * SPECIALS + RANDOM;
/// Every case.
pub const CASES: usize = SIZES.len() * CONFIGS * PER_CONFIG;

/// One case: the configuration, the entry point, the state and the inputs (first `n` used).
#[derive(Clone, Copy)]
pub struct Case {
    /// Through `adam_step` (`AdamConfig` from `cfg`'s common fields) rather than `adamw_step`.
    pub plain: bool,
    /// The configuration.
    pub cfg: AdamWConfig<f32>,
    /// Elements.
    pub n: usize,
    /// Steps taken before.
    pub t: u32,
    /// θ.
    pub x: [f32; MAX_N],
    /// The gradient.
    pub g: [f32; MAX_N],
    /// The first moment.
    pub m: [f32; MAX_N],
    /// The second moment.
    pub v: [f32; MAX_N],
    /// AMSGrad's running maximum.
    pub vm: [f32; MAX_N],
}

/// SplitMix64 (Steele, Lea, Flood 2014): the deterministic data of the cases.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        let u = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * u
    }
}

/// Case `i < CASES`.
pub fn case(i: usize) -> Case {
    let size = i / (CONFIGS * PER_CONFIG);
    let config = i / PER_CONFIG % CONFIGS;
    let within = i % PER_CONFIG;
    let n = SIZES[size % SIZES.len()];
    let mut r = Mix(0x5eed_0000 + i as u64);
    let d = AdamWConfig::<f32>::default();
    let mut cfg = AdamWConfig {
        weight_decay: 0.0,
        decoupled: 0,
        ..d
    };
    let mut plain = false;
    match config {
        0 => plain = true,
        1 => {}
        2 => cfg.beta1 = 0.0,
        3 => {
            plain = true;
            cfg.maximize = 1;
        }
        4 => cfg.weight_decay = 0.01,
        5 => cfg.amsgrad = 1,
        6 => {
            cfg.decoupled = 1;
            cfg.weight_decay = 0.01;
        }
        7 => {
            cfg.decoupled = 1;
            cfg.lr = 0.05;
            cfg.beta2 = 0.99;
        }
        _ => {
            cfg.maximize = 1;
            cfg.beta1 = 0.5;
            cfg.eps = 1e-3;
        }
    }
    let mut c = Case {
        plain,
        cfg,
        n,
        t: (r.next() % 6) as u32,
        x: [0.0; MAX_N],
        g: [0.0; MAX_N],
        m: [0.0; MAX_N],
        v: [0.0; MAX_N],
        vm: [0.0; MAX_N],
    };
    for j in 0..MAX_N {
        c.x[j] = r.uniform(-2.0, 2.0);
        c.g[j] = r.uniform(-1.0, 1.0);
        c.m[j] = r.uniform(-0.5, 0.5);
        c.v[j] = r.uniform(0.0, 1.0);
        c.vm[j] = c.v[j] + r.uniform(0.0, 0.5);
    }
    if within >= 3 * SPECIALS {
        return c;
    }
    let p = match within % 3 {
        0 => 0,
        1 => n / 2,
        _ => n - 1,
    };
    let (inf, nan) = (f32::INFINITY, f32::NAN);
    match within / 3 {
        0 => c.x[p] = nan,
        1 => c.x[p] = inf,
        2 => c.x[p] = -inf,
        3 => c.g[p] = nan,
        4 => c.g[p] = inf,
        5 => c.g[p] = -inf,
        // g² overflows (2^128), (1 − β₂)·g·g does not: the gradient limit refuses it.
        6 => c.g[p] = 1.8446744e19,
        // Just below the gradient limit 2^63: accepted, v' near its bound.
        7 => c.g[p] = -9.0e18,
        8 => c.m[p] = nan,
        9 => c.m[p] = -inf,
        10 => c.v[p] = nan,
        11 => c.v[p] = -1.0,
        // −0: valid, but fails the write-first flag (sign bit): restored, then accepted.
        12 => c.v[p] = -0.0,
        13 => c.v[p] = inf,
        14 => c.v[p] = f32::from_bits(0xffc0_0000),
        15 => c.vm[p] = nan,
        // A step that overflows θ.
        16 => {
            c.cfg.lr = 1e38;
            c.x[p] = -3.0e38;
            c.g[p] = 1.0;
            c.m[p] = 1.0;
        }
        // The update's quotient m'/d overflows (d = ε).
        17 => {
            c.cfg.eps = 1e-30;
            c.m[p] = 1e30;
            c.g[p] = 0.0;
            c.v[p] = 0.0;
            c.vm[p] = 0.0;
        }
        // Large but valid values: θ near MAX, v near MAX.
        18 => c.x[p] = 3.0e38,
        19 => c.v[p] = 3.0e38,
        20 => c.m[p] = -3.0e38,
        // A slightly negative v whose new v' is positive: refused (v < 0); only the sign
        // bit of the write-first flag sees it.
        22 => {
            c.v[p] = -1e-9;
            c.g[p] = 1.0;
        }
        // Just above the gradient limit 2^63, every new value finite: refused; only the
        // write-first flag's bound on Σv' sees it.
        23 => c.g[p] = 9.5e18,
        // A subnormal ε and a tiny second moment.
        _ => {
            c.cfg.eps = 1e-40;
            c.v[p] = 1e-44;
            c.g[p] = 0.0;
        }
    }
    c
}

/// The step of case `c` on buffers of `len ≥ c.n` elements (beyond `n`: zeros, which no
/// check refuses and which stay finite): the status (0 or the error code), the step count
/// after, and the buffers after in `out` (θ, m, v, v_max).
pub fn run(c: &Case, len: usize, out: &mut [[f32; 2 * MAX_N]; 4]) -> (i32, u32) {
    let [x, m, v, vm] = out;
    *x = [0.0; 2 * MAX_N];
    *m = [0.0; 2 * MAX_N];
    *v = [0.0; 2 * MAX_N];
    *vm = [0.0; 2 * MAX_N];
    let mut g = [0.0f32; 2 * MAX_N];
    x[..c.n].copy_from_slice(&c.x[..c.n]);
    m[..c.n].copy_from_slice(&c.m[..c.n]);
    v[..c.n].copy_from_slice(&c.v[..c.n]);
    vm[..c.n].copy_from_slice(&c.vm[..c.n]);
    g[..c.n].copy_from_slice(&c.g[..c.n]);
    let mut t = c.t;
    let mut bias = AdamBias::EMPTY;
    let (x, m, v, vm, g) = (
        &mut x[..len],
        &mut m[..len],
        &mut v[..len],
        &mut vm[..len],
        &g[..len],
    );
    let r = if c.plain {
        let cfg = AdamConfig {
            lr: c.cfg.lr,
            beta1: c.cfg.beta1,
            beta2: c.cfg.beta2,
            eps: c.cfg.eps,
            weight_decay: c.cfg.weight_decay,
            maximize: c.cfg.maximize,
        };
        adam_step(&cfg, &mut t, &mut bias, m, v, x, g)
    } else {
        adamw_step(&c.cfg, &mut t, &mut bias, m, v, vm, x, g)
    };
    (r.err().map_or(0, |e| e.code()), t)
}

/// FNV-1a (32 bit) of the status, the step count and the bits of the first `n` elements of
/// θ, m, v, v_max.
pub fn hash(status: i32, t: u32, n: usize, out: &[[f32; 2 * MAX_N]; 4]) -> u32 {
    let mut h = 0x811c_9dc5u32;
    let mut eat = |w: u32| {
        for b in w.to_le_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    };
    eat(status as u32);
    eat(t);
    for buf in out {
        for e in &buf[..n] {
            eat(e.to_bits());
        }
    }
    h
}

/// Whether the first `n` elements of the buffers after an error are the case's inputs, bit
/// for bit.
pub fn unchanged(c: &Case, out: &[[f32; 2 * MAX_N]; 4]) -> bool {
    let same = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits());
    same(&out[0][..c.n], &c.x[..c.n])
        && same(&out[1][..c.n], &c.m[..c.n])
        && same(&out[2][..c.n], &c.v[..c.n])
        && same(&out[3][..c.n], &c.vm[..c.n])
}

/// The β pairs of the chains: β ∈ [½, 1) (the products need no shift), β < ½ (a shift of
/// 1…63 bits, and more), β = 0 and the smallest normal β.
pub const CHAIN_BETAS: [(f32, f32); 6] = [
    (0.9, 0.999),
    (0.5, 0.9999),
    (0.0, 0.3),
    (0.1, 0.45),
    (0.25, 1.0e-5),
    (f32::MIN_POSITIVE, 0.75),
];
/// Steps per chain.
pub const CHAIN_STEPS: u32 = 80;

/// FNV-1a (32 bit) of words.
fn fnv(h: &mut u32, w: u32) {
    for b in w.to_le_bytes() {
        *h ^= u32::from(b);
        *h = h.wrapping_mul(0x0100_0193);
    }
}

/// The hash of a cache's step count and powers: `t` and the four words of `c1`, `c2`.
pub fn chain_word(h: &mut u32, bias: &AdamBias<f32>) {
    fnv(h, bias.t);
    for w in bias.c1.iter().chain(&bias.c2) {
        fnv(h, w.to_bits());
    }
}

/// Chain `i`: [`CHAIN_STEPS`] plain steps of n = 8 from an empty cache with the β of
/// [`CHAIN_BETAS`]`[i]`; every step's status (0 when all succeed), the hash of the cache
/// after each step ([`chain_word`]) and the hash of θ, m, v after each step.
pub fn chain(i: usize) -> (i32, u32, u32) {
    let (beta1, beta2) = CHAIN_BETAS[i % CHAIN_BETAS.len()];
    let cfg = AdamConfig {
        beta1,
        beta2,
        ..AdamConfig::<f32>::default()
    };
    let mut r = Mix(0xc4a1_0000 + i as u64);
    let mut x = [0.0f32; 8];
    let (mut m, mut v) = ([0.0f32; 8], [0.0f32; 8]);
    for e in &mut x {
        *e = r.uniform(-2.0, 2.0);
    }
    let (mut t, mut bias, mut h) = (0u32, AdamBias::EMPTY, 0x811c_9dc5u32);
    let (mut status, mut hs) = (0, 0x811c_9dc5u32);
    for _ in 0..CHAIN_STEPS {
        let g: [f32; 8] = core::array::from_fn(|_| r.uniform(-1.0, 1.0));
        if let Err(e) = adam_step(&cfg, &mut t, &mut bias, &mut m, &mut v, &mut x, &g) {
            status = e.code();
        }
        chain_word(&mut h, &bias);
        for e in x.iter().chain(&m).chain(&v) {
            fnv(&mut hs, e.to_bits());
        }
    }
    (status, h, hs)
}
