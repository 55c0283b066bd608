//! `lossmap::random::{Rng09, Rng06}`: rand_core 0.9 and 0.6 generators (tiny xorshifts on an
//! opaque seed, as a HAL's RNG would be) wrapped as the rand_core 0.10 `Rng`, owned and borrowed,
//! through the variates, a `dyn Rng`, and the wrappers' derives.

use super::{input, out, Fold, Sink};
use core::fmt::Write as _;
use lossmap::random::{below, normal, rademacher, uniform, uniform_in, Rng06, Rng09};
use lossmap::Real;
use rand_core::Rng;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Xs(u64);

impl Xs {
    fn step(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn fill(&mut self, d: &mut [u8]) {
        for b in d {
            *b = self.step() as u8;
        }
    }
}

impl rand_core_0_9::RngCore for Xs {
    fn next_u32(&mut self) -> u32 {
        self.step() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.step()
    }
    fn fill_bytes(&mut self, d: &mut [u8]) {
        self.fill(d)
    }
}

impl rand_core_0_6::RngCore for Xs {
    fn next_u32(&mut self) -> u32 {
        self.step() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.step()
    }
    fn fill_bytes(&mut self, d: &mut [u8]) {
        self.fill(d)
    }
    fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), rand_core_0_6::Error> {
        self.fill(d);
        Ok(())
    }
}

pub fn exercise<T: Real>() {
    let mut hal = Xs(input(0x2545_F491_4F6C_DD1D));
    variates::<T, _>(&mut Rng09(&mut hal));
    variates::<T, _>(&mut Rng06(&mut hal));
    let mut owned09 = Rng09(Xs(input(7)));
    let d: &mut dyn Rng = &mut owned09;
    variates::<T, dyn Rng>(d);
    let mut owned06 = Rng06(Xs(input(9)));
    variates::<T, _>(&mut owned06);
    derives(owned09);
    derives(owned06);
}

fn variates<T: Real, R: Rng + ?Sized>(r: &mut R) {
    out((r.next_u32(), r.next_u64()));
    let mut bytes = [0u8; 11];
    if let Some(b) = bytes.get_mut(..input(11usize)) {
        r.fill_bytes(b);
    }
    out(bytes);
    out(uniform::<T, R>(r));
    out(uniform_in(
        r,
        T::from_f64(input(-1.0)),
        T::from_f64(input(2.0)),
    ));
    out(rademacher::<T, R>(r));
    out(normal::<T, R>(r));
    out(below(r, input(7usize)));
}

fn derives<W: Clone + Default + PartialEq + Eq + core::hash::Hash + core::fmt::Debug>(w: W) {
    let t = core::hint::black_box(w.clone());
    out((w == t, w != W::default()));
    let mut h = Fold(0);
    w.hash(&mut h);
    out(h.0);
    let mut s = Sink(0);
    out(write!(s, "{w:?}"));
    out(s.0);
}
