//! The HTTP adapter of the timeline.

pub(super) mod feed;
