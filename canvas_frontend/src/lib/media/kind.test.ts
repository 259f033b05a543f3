import { describe, expect, it } from "vitest";
import { acceptList, fileKindOf, fileName, mediaKind } from "./kind";

describe("mediaKind", () => {
  it("reads the extension of a path or files URL, case-insensitively", () => {
    expect(mediaKind("03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.PNG")).toBe("image");
    expect(mediaKind("/api/v1/projects/p/files/06_Exports/final.mp4?x=1")).toBe("video");
    expect(mediaKind("01_Assets/Source_Media/voice.wav#t=2")).toBe("audio");
    expect(mediaKind("01_Assets/Source_Media/interview.m4a")).toBe("audio"); // uploads take m4a: so does the browser
  });

  it("is null for no extension, a dot in a folder name, or a non-media file", () => {
    expect(mediaKind("01_Assets/Generative_Assets/hero")).toBeNull();
    expect(mediaKind("01_Assets/v1.2/hero")).toBeNull();
    expect(mediaKind("04_Project_Files/EDLs/seq.edl")).toBeNull();
  });

  it("lists the extensions of a kind for a file picker", () => {
    expect(acceptList("audio")).toBe(".wav,.mp3,.flac,.ogg,.m4a");
    expect(acceptList("video").split(",")).toContain(".mov");
    expect(fileName("01_Assets/Source_Media/walk.mp4")).toBe("walk.mp4");
  });

  it("knows the kind of file an input takes from its socket type", () => {
    expect(fileKindOf("Mask")).toBe("image");
    expect(fileKindOf("Video")).toBe("video");
    expect(fileKindOf("String")).toBeNull();
    expect(fileKindOf(undefined)).toBeNull();
  });
});
