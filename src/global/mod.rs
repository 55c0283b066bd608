//! Global exploration: leave the first valley on a fixed memory budget (SPEC section E).
