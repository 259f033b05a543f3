import { describe, expect, it } from "vitest";
import { dropFrames, exactRate, framesToSeconds, rateLabel, secondsToFrames, toTimecode } from "./timecode";

describe("toTimecode", () => {
  it("counts frames per second at whole rates, the studio's low ones included", () => {
    expect(toTimecode(0, 24)).toBe("00:00:00:00");
    expect(toTimecode(23, 24)).toBe("00:00:00:23");
    expect(toTimecode(24, 24)).toBe("00:00:01:00");
    expect(toTimecode(11, 12)).toBe("00:00:00:11");
    expect(toTimecode(12, 12)).toBe("00:00:01:00");
    expect(toTimecode(25 * 3661 + 7, 25)).toBe("01:01:01:07");
    expect(toTimecode(-30, 30)).toBe("-00:00:01:00");
  });

  it("counts 23.976 at 24 without dropping, and 29.97 and 59.94 drop-frame", () => {
    expect(toTimecode(24, 23.976)).toBe("00:00:01:00");
    expect(toTimecode(1439, 23.976)).toBe("00:00:59:23");
    expect(toTimecode(1799, 29.97)).toBe("00:00:59;29");
    expect(toTimecode(1800, 29.97)).toBe("00:01:00;02"); // ;00 and ;01 are skipped in minute 1
    expect(toTimecode(17982, 29.97)).toBe("00:10:00;00"); // but not in minute 10
    expect(toTimecode(3600, 59.94)).toBe("00:01:00;04");
  });
});

describe("rates", () => {
  it("knows the NTSC rates written short and labels rates as an NLE does", () => {
    expect(exactRate(29.97)).toBe(30000 / 1001);
    expect(exactRate(12)).toBe(12);
    expect(dropFrames(23.976)).toBe(0);
    expect(dropFrames(29.97)).toBe(2);
    expect(rateLabel(23.976)).toBe("23.976 fps");
    expect(rateLabel(29.97)).toBe("29.97 fps");
    expect(rateLabel(16)).toBe("16 fps");
  });

  it("turns media seconds into whole frames and back", () => {
    expect(framesToSeconds(48, 24)).toBe(2);
    expect(secondsToFrames(2, 24)).toBe(48);
    expect(secondsToFrames(47 / 24, 24)).toBe(47); // n/fps lands on frame n despite float rounding
    expect(secondsToFrames(framesToSeconds(1001, 29.97), 29.97)).toBe(1001);
  });
});
