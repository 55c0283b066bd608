//! Data losses, models, regularizers and objective combinators over caller-owned samples.
