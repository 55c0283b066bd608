//! Data losses, models, regularizers and objective combinators over caller-owned samples.
//!
//! **Data layout.** Samples are borrowed slices, never copied: features `x` are `m×d`
//! row-major (`x[i·d + j]`), regression targets `y` have `m` entries, class labels are `u32`
//! indices `< K`, logits are `m×K` row-major. Model parameters are one vector: the linear model
//! `(w₁ … w_d, b)`, the softmax-linear model `K` rows `(w_k, b_k)` of `d + 1`.
//!
//! | piece | formula | here |
//! |---|---|---|
//! | regression losses | MSE, MAE, Huber(δ) on `r = ŷ − y`, mean | [`Regression`] |
//! | classification losses | softmax cross-entropy, class-weighted, expected cost | [`Classification`] |
//! | models | `ŷ = w·x + b`, `z_k = w_k·x + b_k` | [`Linear`], [`SoftmaxLinear`] |
//! | model + loss + data | `θ ↦ L(model(θ; X), y)` | [`LinearFit`], [`SoftmaxFit`] |
//! | closed-form least squares | `(AᵀA/m)θ = Aᵀy/m`, `A = [X 1]` | [`least_squares`] |
//! | regularizers + prox | `½λ‖w‖²`, `λ‖w‖₁`, elastic net | [`Regularizer`] |
//! | smoothness | `λ Σ JS(pᵢ‖pᵢ₊₁)` | [`js_smoothness`], [`JsSmoothness`] |
//! | sums | `c_a A + c_b B` | [`WeightedSum`] |
//! | Δ-learning | fit `y − baseline(x)` | [`residual_targets`], [`LinearFit::with_baseline`] |
//! | constraints | `θ = exp α`, `θ = lo + (hi − lo)σ(α)` | [`Reparam`] |
//! | standardization | `x ← (x − μ)/s` | [`standardize`] |
//!
//! Each loss and penalty is a slice kernel returning the value and, on request, the gradient
//! (with respect to the predictions or logits for the data losses, to the parameters for the
//! models); the [`Objective`](crate::Objective) structs call the same kernels over `[T; N]`,
//! and the C ABI calls them with caller-owned buffers. Every kernel checks its input first and
//! writes nothing when it is bad (empty, mismatched lengths, NaN/Inf, labels `≥ K`, negative
//! weights or costs, non-positive hyperparameters). The formulas and their sources are in each
//! submodule.
//!
//! ```
//! use lossmap::loss::{Linear, LinearFit, Regression, Regularizer, WeightedSum};
//! use lossmap::optim::{minimize, Adam, AdamConfig, Stop};
//! // Ridge regression by Adam: MSE of y = 3x − 1 plus ½·0.01·w².
//! let x = [0.0f64, 1.0, 2.0, 3.0, 4.0];
//! let y = [-1.0, 2.0, 5.0, 8.0, 11.0];
//! let fit = LinearFit::<f64, 2>::new(Linear::new(1).unwrap(), Regression::Mse, &x, &y).unwrap();
//! let mut obj = WeightedSum::new(1.0, fit, 1.0, Regularizer::l2(0.01).unwrap().skip_bias(2)).unwrap();
//! let mut theta = [0.0, 0.0];
//! let mut adam = Adam::<f64, 2>::new(AdamConfig { lr: 0.05, ..AdamConfig::default() }).unwrap();
//! minimize(&mut obj, &mut theta, &mut adam, &Stop { grad_tol: 1e-9, max_iter: 50_000, ..Stop::default() }).unwrap();
//! // Shrunk slightly below 3: the normal equations of the ridge problem give w = 2.9925….
//! assert!(theta[0] < 3.0 && theta[0] > 2.99, "{theta:?}");
//! ```

mod classification;
mod combine;
mod fit;
mod js;
mod lstsq;
mod model;
mod penalty;
mod regression;
mod reparam;
mod residual;
mod standardize;

pub use classification::Classification;
pub use combine::WeightedSum;
pub use fit::{LinearFit, SoftmaxFit};
pub use js::{js_divergence, js_smoothness, JsSmoothness};
pub use lstsq::{design_gram, least_squares, least_squares_work_len};
pub use model::{Linear, SoftmaxLinear};
pub use penalty::{soft_threshold, Penalty, Regularizer};
pub use regression::Regression;
pub use reparam::{chain_rule, constrain, Reparam, Transform};
pub use residual::{baseline_from_fn, residual_targets};
pub use standardize::{destandardize_linear, standardize, standardize_with, unstandardize};
