//! Sensor calibration with Levenberg–Marquardt: a temperature probe's step response
//! `y = a (1 − e^{−b t}) + c` (a: rise in kelvin, b: rate in 1/s, c: offset) is fitted to 40
//! noisy samples, then the fit statistics give each parameter's standard error, their
//! correlations and the condition number. Runs in f64 and in f32 (what a microcontroller
//! without a double-precision FPU would use).
//!
//! ```text
//! cargo run --example calibrate
//! ```

use lossmap::nlls::{LevenbergMarquardt, LmConfig, Residuals};
use lossmap::{Error, Real};

const M: usize = 40;

/// The samples and the model, with its analytic Jacobian.
struct StepResponse<T> {
    t: [T; M],
    y: [T; M],
}

impl<T: Real> Residuals<T, M, 3> for StepResponse<T> {
    fn residuals(&mut self, p: &[T; 3], r: &mut [T; M]) {
        for ((ri, &t), &y) in r.iter_mut().zip(&self.t).zip(&self.y) {
            *ri = p[0] * (T::ONE - (-p[1] * t).exp()) + p[2] - y;
        }
    }
    fn jacobian(&mut self, p: &[T; 3], _r: &[T; M], j: &mut [[T; 3]; M]) -> Result<usize, Error> {
        for (row, &t) in j.iter_mut().zip(&self.t) {
            let e = (-p[1] * t).exp();
            *row = [T::ONE - e, p[0] * t * e, T::ONE];
        }
        Ok(0)
    }
}

/// Samples of `2.5 (1 − e^{−0.7 t}) + 0.3` plus deterministic pseudo-random noise (σ ≈ 0.02).
fn samples<T: Real>() -> StepResponse<T> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut t = [T::ZERO; M];
    let mut y = [T::ZERO; M];
    for i in 0..M {
        let mut u = 0.0;
        for _ in 0..12 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            u += (state >> 11) as f64 / (1u64 << 53) as f64;
        }
        let ti = 10.0 * i as f64 / (M - 1) as f64;
        t[i] = T::from_f64(ti);
        y[i] = T::from_f64(2.5 * (1.0 - (-0.7 * ti).exp()) + 0.3 + 0.02 * (u - 6.0));
    }
    StepResponse { t, y }
}

fn calibrate<T: Real>() -> Result<(), Error> {
    let mut data = samples::<T>();
    let mut lm = LevenbergMarquardt::<T, M, 3>::new(LmConfig::default());
    let mut p = [T::ONE, T::ONE, T::ZERO];
    let rep = lm.fit(&mut data, &mut p)?;
    let (mut cov, mut corr) = ([[T::ZERO; 3]; 3], [[T::ZERO; 3]; 3]);
    let st = lm.statistics(&mut data, &p, &mut cov, &mut corr)?;
    println!(
        "{}: {:?} after {} iterations, {} residual and {} Jacobian evaluations",
        T::NAME,
        rep.reason,
        rep.iterations,
        rep.residual_evals,
        rep.jacobian_evals
    );
    for (k, name) in ["a (rise, K)", "b (rate, 1/s)", "c (offset, K)"]
        .iter()
        .enumerate()
    {
        println!(
            "  {name:<14} = {:>9.5} ± {:.5}",
            p[k].to_f64(),
            st.stderr[k].to_f64()
        );
    }
    println!(
        "  residual σ = {:.4}, corr(a, c) = {:+.3}, κ(J) = {:.1}, rank {}",
        st.summary.sigma2.sqrt().to_f64(),
        corr[0][2].to_f64(),
        st.summary.condition.to_f64(),
        st.summary.rank
    );
    // The true parameters lie within four standard errors.
    let truth = [2.5, 0.7, 0.3];
    for k in 0..3 {
        if (p[k].to_f64() - truth[k]).abs() > 4.0 * st.stderr[k].to_f64() {
            return Err(Error::NoConvergence);
        }
    }
    Ok(())
}

fn main() -> Result<(), Error> {
    calibrate::<f64>()?;
    calibrate::<f32>()
}
