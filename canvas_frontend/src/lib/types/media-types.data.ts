/* Generated from schemas/media-types.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */
import type { MediaTypes } from "./contracts";

export const MEDIA_TYPES: MediaTypes = {
  "schema_version": 1,
  "kinds": {
    "image": {
      "socket_types": [
        "Image",
        "Mask",
        "ControlMap"
      ]
    },
    "video": {
      "socket_types": [
        "Video",
        "ControlMap"
      ]
    },
    "audio": {
      "socket_types": [
        "Audio"
      ]
    }
  },
  "extensions": {
    "png": {
      "kind": "image",
      "mime": "image/png",
      "demuxer": "png_pipe"
    },
    "jpg": {
      "kind": "image",
      "mime": "image/jpeg",
      "demuxer": "jpeg_pipe"
    },
    "jpeg": {
      "kind": "image",
      "mime": "image/jpeg",
      "demuxer": "jpeg_pipe"
    },
    "webp": {
      "kind": "image",
      "mime": "image/webp",
      "demuxer": "webp_pipe"
    },
    "mp4": {
      "kind": "video",
      "mime": "video/mp4",
      "demuxer": "mov"
    },
    "mov": {
      "kind": "video",
      "mime": "video/quicktime",
      "demuxer": "mov"
    },
    "webm": {
      "kind": "video",
      "mime": "video/webm",
      "demuxer": "matroska"
    },
    "mkv": {
      "kind": "video",
      "mime": "video/x-matroska",
      "demuxer": "matroska"
    },
    "wav": {
      "kind": "audio",
      "mime": "audio/wav",
      "demuxer": "wav"
    },
    "mp3": {
      "kind": "audio",
      "mime": "audio/mpeg",
      "demuxer": "mp3"
    },
    "flac": {
      "kind": "audio",
      "mime": "audio/flac",
      "demuxer": "flac"
    },
    "ogg": {
      "kind": "audio",
      "mime": "audio/ogg",
      "demuxer": "ogg"
    },
    "m4a": {
      "kind": "audio",
      "mime": "audio/mp4",
      "demuxer": "mov"
    }
  }
};
