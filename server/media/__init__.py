"""Media files: what an extension is, ffmpeg runs that a cancel can stop, probes, thumbnails and content hashes.

A leaf: it imports nothing of the studio but its errors, so projects, takes and assembly all build on it.
"""
