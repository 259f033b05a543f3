// A file of the authenticated files route as a blob: URL for <img>/<video>/<audio>, following a changing
// source and handing the blob back (lib/api releaseMedia) when the source changes or the component goes.
import { mediaUrl, releaseMedia } from "../api";

export class AuthedMedia {
  url = $state<string | null>(null);
  failed = $state(false);

  /** Create during component initialisation: it lives as long as the component. */
  constructor(source: () => string | null | undefined) {
    $effect(() => {
      const wanted = source();
      this.url = null;
      this.failed = false;
      if (!wanted) return;
      let live = true;
      mediaUrl(wanted).then(
        (url) => {
          if (live) this.url = url;
        },
        () => {
          if (live) this.failed = true;
        },
      );
      return () => {
        live = false;
        releaseMedia(wanted);
      };
    });
  }
}
