//! Nudged elastic band with a climbing image (stub; being written).
