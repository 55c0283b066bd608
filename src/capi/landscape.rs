//! C entry points for landscape analysis (being written).
