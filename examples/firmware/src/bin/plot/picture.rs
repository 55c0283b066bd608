//! The firmware's picture (`plot.rs`), shared with the host test `tests/repo/firmware.rs`,
//! which draws it on the host too and compares the device's output byte for byte.

use core::fmt::Write;

use lossmap::optim::{Adam, AdamConfig, Optimizer};
use lossmap::plot::{
    heatmap_fn, ColourScale, GridSpec, HeatmapConfig, Levels, Overlays, Trajectory,
};
use lossmap::testfn::Rosenbrock;
use lossmap::{Error, Objective};

/// Grid points per axis.
pub const N: usize = 24;
/// Points kept of the Adam path (every `EVERY` steps).
pub const KEPT: usize = 31;
/// Adam steps between kept points.
pub const EVERY: usize = 100;

/// Adam (lr 0.02) on f32 Rosenbrock from (−1.2, 1) with analytic gradients: the start and the
/// point after every `EVERY` steps.
pub fn adam_path() -> Result<[[f32; 2]; KEPT], Error> {
    let mut adam = Adam::<f32, 2>::new(AdamConfig {
        lr: 0.02,
        ..AdamConfig::default()
    })?;
    let mut x = [-1.2f32, 1.0];
    let mut g = [0.0f32; 2];
    let mut path = [x; KEPT];
    for slot in path.iter_mut().skip(1) {
        for _ in 0..EVERY {
            Rosenbrock.gradient(&x, &mut g)?;
            adam.step(&mut x, &g)?;
        }
        *slot = x;
    }
    Ok(path)
}

/// Writes the picture to `w`.
pub fn draw<W: Write + ?Sized>(w: &mut W) -> Result<(), Error> {
    let path = adam_path()?;
    let paths = [Trajectory {
        label: "Adam (lr 0.02), every 100 steps",
        points: &path,
    }];
    let overlays = Overlays {
        trajectories: &paths,
        ..Overlays::default()
    };
    let config = HeatmapConfig {
        levels: Levels::Log {
            count: 6,
            decades: 3.0,
        },
        colour: ColourScale::Log { decades: 3.0 },
        ..HeatmapConfig::default()
    };
    let mut config = config;
    config.chart.title = "f32 Rosenbrock, drawn on a Cortex-M";
    config.chart.x_label = "x0";
    config.chart.y_label = "x1";
    let spec = GridSpec {
        nx: N,
        ny: N,
        x: (-2.0f32, 2.0),
        y: (-1.0f32, 3.0),
    };
    let mut row = [0.0f32; 2 * N];
    let mut f = |x: f32, y: f32| Rosenbrock.value(&[x, y]);
    heatmap_fn(w, &mut f, &spec, &mut row, &overlays, &config)
}
