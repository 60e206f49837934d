import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import ApiReferencePage from "@/app/(docs)/api-reference/page";

describe("the API reference page", () => {
  it("shows every endpoint with its statuses and a curl example, without signing in", () => {
    const html = renderToStaticMarkup(ApiReferencePage());

    for (const path of [
      "/api/v1/share",
      "/api/v1/share/{shareId}",
      "/api/peoples/conversation/share/{mode}/{user_id}/{duration}",
      "/api/v1/bots/{botId}/messages",
    ]) {
      expect(html).toContain(path);
    }
    for (const method of ["GET", "POST", "PATCH", "DELETE"]) expect(html).toContain(`>${method}<`);
    for (const status of ["201", "400", "401", "403", "404", "409", "422"]) expect(html).toContain(`>${status}<`);
    expect(html).toContain("curl -X POST");
    expect(html).toContain('id="schema-Share"');
    expect(html).toContain("expires_in_days");
  });
});
