//! `random::Rng09` and `random::Rng06`: generators of rand_core 0.9 (`rand_xorshift` 0.4) and 0.6
//! (`rand_xorshift` 0.3) drive lossmap's stochastic routines through the wrappers. Each wrapper
//! is checked against the wrapped generator called directly, and against `rand_xorshift` 0.5 (the
//! same xorshift128 algorithm and the same `seed_from_u64` on rand_core 0.10), so a HAL's 0.9 or
//! 0.6 RNG gives exactly the stream it gives without lossmap.

use lossmap::global::{Annealer, AnnealingConfig, Bounds, ProjectedGradient};
use lossmap::random::{normal, Rng06, Rng09};
use lossmap::testfn::Rastrigin;
use rand_core::{Rng, SeedableRng};

type Xs10 = rand_xorshift::XorShiftRng;
type Xs09 = rand_xorshift_0_4::XorShiftRng;
type Xs06 = rand_xorshift_0_3::XorShiftRng;

fn xs09(seed: u64) -> Xs09 {
    rand_core_0_9::SeedableRng::seed_from_u64(seed)
}

fn xs06(seed: u64) -> Xs06 {
    rand_core_0_6::SeedableRng::seed_from_u64(seed)
}

/// Draws of every width (and byte fills of lengths that are not multiples of 4 or 8), in one
/// interleaved order, from a 0.10 generator.
fn draws<R: Rng + ?Sized>(rng: &mut R) -> Vec<u64> {
    let mut v = Vec::new();
    for len in [0usize, 1, 3, 4, 7, 8, 9, 16, 17] {
        v.push(rng.next_u64());
        v.push(u64::from(rng.next_u32()));
        let mut bytes = vec![0u8; len];
        rng.fill_bytes(&mut bytes);
        v.extend(bytes.into_iter().map(u64::from));
    }
    v
}

#[test]
fn rng09_forwards_the_0_9_stream_unchanged() {
    use rand_core_0_9::RngCore as _;
    for seed in [0u64, 1, 42, u64::MAX] {
        let mut direct = xs09(seed);
        let mut expected = Vec::new();
        for len in [0usize, 1, 3, 4, 7, 8, 9, 16, 17] {
            expected.push(direct.next_u64());
            expected.push(u64::from(direct.next_u32()));
            let mut bytes = vec![0u8; len];
            direct.fill_bytes(&mut bytes);
            expected.extend(bytes.into_iter().map(u64::from));
        }
        assert_eq!(draws(&mut Rng09(xs09(seed))), expected, "seed {seed}");
    }
}

#[test]
fn rng06_forwards_the_0_6_stream_unchanged() {
    use rand_core_0_6::RngCore as _;
    for seed in [0u64, 1, 42, u64::MAX] {
        let mut direct = xs06(seed);
        let mut expected = Vec::new();
        for len in [0usize, 1, 3, 4, 7, 8, 9, 16, 17] {
            expected.push(direct.next_u64());
            expected.push(u64::from(direct.next_u32()));
            let mut bytes = vec![0u8; len];
            direct.fill_bytes(&mut bytes);
            expected.extend(bytes.into_iter().map(u64::from));
        }
        assert_eq!(draws(&mut Rng06(xs06(seed))), expected, "seed {seed}");
    }
}

#[test]
fn the_same_xorshift_gives_the_same_stream_on_every_rand_core() {
    for seed in [0u64, 7, 2024] {
        let native = draws(&mut Xs10::seed_from_u64(seed));
        assert_eq!(draws(&mut Rng09(xs09(seed))), native, "0.9, seed {seed}");
        assert_eq!(draws(&mut Rng06(xs06(seed))), native, "0.6, seed {seed}");
    }
}

#[test]
fn a_borrowed_generator_advances_and_dyn_works() {
    use rand_core_0_9::RngCore as _;
    let mut hal = xs09(3);
    let mut twin = hal.clone();
    {
        let mut wrapped = Rng09(&mut hal);
        let d: &mut dyn Rng = &mut wrapped;
        let _: f64 = normal(d);
    }
    // Box–Muller drew two 64-bit words from the borrowed generator, no more.
    twin.next_u64();
    twin.next_u64();
    assert_eq!(hal.next_u64(), twin.next_u64());

    let mut hal06 = xs06(3);
    let _: f32 = normal(&mut Rng06(&mut hal06));
    let mut twin06 = xs06(3);
    rand_core_0_6::RngCore::next_u64(&mut twin06);
    rand_core_0_6::RngCore::next_u64(&mut twin06);
    assert_eq!(
        rand_core_0_6::RngCore::next_u64(&mut hal06),
        rand_core_0_6::RngCore::next_u64(&mut twin06)
    );
}

/// A whole stochastic run (simulated annealing on Rastrigin) reproduces bit for bit whichever
/// rand_core the same generator is written against.
#[test]
fn annealing_runs_identically_through_either_wrapper() {
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    let run = |rng: &mut dyn Rng| {
        let mut x = [4.0, -3.0];
        let r = Annealer::<f64, 2>::new(AnnealingConfig::default())
            .unwrap()
            .run(
                &mut Rastrigin,
                &mut ProjectedGradient::default(),
                &b,
                rng,
                &mut x,
            )
            .unwrap();
        (x, r.best_loss, r.evals())
    };
    let native = run(&mut Xs10::seed_from_u64(1));
    assert_eq!(run(&mut Rng09(xs09(1))), native);
    assert_eq!(run(&mut Rng06(xs06(1))), native);
}

/// `CryptoRng` passes through both wrappers.
#[test]
fn crypto_marker_passes_through() {
    struct Hw09;
    impl rand_core_0_9::RngCore for Hw09 {
        fn next_u32(&mut self) -> u32 {
            9
        }
        fn next_u64(&mut self) -> u64 {
            9
        }
        fn fill_bytes(&mut self, dst: &mut [u8]) {
            dst.fill(9)
        }
    }
    impl rand_core_0_9::CryptoRng for Hw09 {}
    struct Hw06;
    impl rand_core_0_6::RngCore for Hw06 {
        fn next_u32(&mut self) -> u32 {
            6
        }
        fn next_u64(&mut self) -> u64 {
            6
        }
        fn fill_bytes(&mut self, dst: &mut [u8]) {
            dst.fill(6)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), rand_core_0_6::Error> {
            dst.fill(6);
            Ok(())
        }
    }
    impl rand_core_0_6::CryptoRng for Hw06 {}
    fn crypto<R: rand_core::CryptoRng>(r: &mut R) -> u32 {
        r.next_u32()
    }
    assert_eq!(crypto(&mut Rng09(Hw09)), 9);
    assert_eq!(crypto(&mut Rng06(Hw06)), 6);
}
