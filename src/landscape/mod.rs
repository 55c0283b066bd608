//! Reading the geometry of a loss from its Hessian: curvature reports,
//! critical-point classification and a census of critical points of every index, identifiability (and pinning the flat valleys it finds),
//! spectral estimates from Hessian–vector products.
//!
//! Every analysis is a slice kernel over an `n×n` Hessian (or a gradient callback) with a
//! typed `[T; N]` wrapper taking any [`Objective`](crate::Objective); the C ABI calls the same
//! kernels.

mod census;
mod classify;
mod convexity;
mod curvature;
mod identify;
mod neb;
mod pin;
mod sharpness;
mod slices;
mod spectral;

pub use census::{
    census_slice, census_work_len, critical_point_slice, critical_work_len, find_critical, Census,
    CensusBuffers, CensusConfig, CensusEntry, CensusReport, CriticalArrays, CriticalConfig,
    CriticalReport, CriticalScratch,
};
pub use classify::{classify, classify_at, classify_at_slice, CriticalPoint, Tolerance};
pub use convexity::{
    convex_at, convex_at_slice, convex_over_box, convex_over_box_slice, convex_work_len, Convexity,
    HessianScratch,
};
pub use curvature::{curvature, Curvature, CurvatureSummary};
pub use identify::{flat_range, Direction, Identifiability};
#[allow(unused_imports)]
pub use neb::*;
pub use pin::{pin_hessian, pin_penalty, pin_weight, Pinned};
pub use sharpness::{
    curvature_stability, curvature_stability_slice, epsilon_sharpness, epsilon_sharpness_slice,
    noisy_loss, noisy_loss_slice, CurvatureStability, NoisyLoss, Sharpness,
};
pub use slices::{filter_normalize, random_direction, slice_1d, slice_2d};
pub use spectral::{
    hutchinson_trace, hutchinson_trace_n, power_iteration, top_eigen_n, TopEigen, TraceEstimate,
};
