"""Assembly: a Sequence node as an OpenTimelineIO timeline, its EDL/OTIO/XML exports, imports and final render."""
