import { describe, expect, it, vi } from "vitest";
import type { Port } from "../types/contracts";
import { storedFile } from "./fixtures";
import { uploadForInput } from "./uploads";

const voice: Port = { name: "source_audio", type: "Audio", label: "Reference voice", widget: "file" };

describe("uploadForInput", () => {
  it("gives the stored file's project path", async () => {
    const upload = vi.fn(async (file: File) => storedFile(`01_Assets/Source_Media/${file.name}`, "audio"));
    expect(await uploadForInput(voice, "source_audio", new File(["RIFF"], "voice.wav"), upload)).toEqual({
      path: "01_Assets/Source_Media/voice.wav",
    });
  });

  it("refuses a file of the wrong kind before and after uploading, and reports the server's sentence", async () => {
    const upload = vi.fn(async () => storedFile("01_Assets/Source_Media/clip.bin", "video"));
    expect(await uploadForInput(voice, "source_audio", new File(["x"], "walk.mp4"), upload)).toEqual({
      problem:
        "'walk.mp4' is a video file, but Reference voice takes an audio file: choose a file ending in .wav .mp3 .flac .ogg .m4a.",
    });
    expect(upload).not.toHaveBeenCalled();
    const decoded = await uploadForInput(voice, "source_audio", new File(["x"], "clip.bin"), upload);
    expect(decoded).toMatchObject({
      problem: expect.stringMatching(/'clip.bin' is a video file, but Reference voice/),
    });
    upload.mockRejectedValueOnce(new Error("'huge.wav' is 900 MB; uploads are limited to 500 MB."));
    expect(await uploadForInput(voice, "source_audio", new File(["x"], "huge.wav"), upload)).toEqual({
      problem: "'huge.wav' is 900 MB; uploads are limited to 500 MB.",
    });
  });

  it("says when the input takes no file, or nothing can be uploaded", async () => {
    const text: Port = { name: "text", type: "String" };
    expect(await uploadForInput(text, "text", new File(["x"], "a.wav"), vi.fn())).toEqual({
      problem: "This node has no file input 'text'.",
    });
    expect(await uploadForInput(voice, "source_audio", new File(["x"], "a.wav"), undefined)).toEqual({
      problem: "Uploading is not available here.",
    });
  });
});
