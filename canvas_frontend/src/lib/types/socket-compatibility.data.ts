/* Generated from schemas/socket-compatibility.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */
import type { SocketCompatibility } from "./contracts";

export const SOCKET_COMPATIBILITY: SocketCompatibility = {
  "schema_version": 1,
  "implicit": [
    {
      "source": "Mask",
      "target": "Image",
      "reason": "A mask is a grayscale image."
    },
    {
      "source": "ControlMap",
      "target": "Image",
      "reason": "A control map (depth, edges, pose) is an image."
    }
  ]
};
