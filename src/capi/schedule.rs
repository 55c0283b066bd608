//! C entry points (being written).
