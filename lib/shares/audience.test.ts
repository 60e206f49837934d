import { describe, expect, it } from "vitest";
import { describeShareAudience } from "@/lib/shares/audience";

const ME = "user-me";

describe("describeShareAudience", () => {
  it("says who can open the link, as its visibility decides", () => {
    expect(describeShareAudience({ mode: "VIEW", visibility: "PUBLIC", userId: ME }, ME)).toBe("Anyone with this link can view the conversation.");
    expect(describeShareAudience({ mode: "VIEW", visibility: "ORGANIZATION", userId: ME }, ME)).toBe(
      "Signed-in members of your organization with this link can view the conversation.",
    );
    expect(describeShareAudience({ mode: "VIEW", visibility: "PRIVATE", userId: ME }, ME)).toBe("Only you (signed in) can view the conversation.");
    expect(describeShareAudience({ mode: "VIEW", visibility: "PRIVATE", userId: "someone-else" }, ME)).toBe(
      "Only the member who created this link can view the conversation.",
    );
    expect(describeShareAudience({ mode: "VIEW", visibility: "PRIVATE", userId: null }, ME)).toBe(
      "Only your organization's owners and admins can view the conversation.",
    );
  });

  it("says a takeover or auto link can take over the chat", () => {
    expect(describeShareAudience({ mode: "TAKEOVER", visibility: "PUBLIC", userId: ME }, ME)).toBe(
      "Anyone with this link can view the conversation and take over the chat.",
    );
    expect(describeShareAudience({ mode: "AUTO", visibility: "PUBLIC", userId: ME }, ME)).toBe(
      "Anyone with this link can view the conversation and take over the chat until the link expires.",
    );
  });
});
