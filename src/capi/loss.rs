//! C entry points for losses, models and regularizers.
