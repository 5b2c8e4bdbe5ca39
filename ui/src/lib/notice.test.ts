import { describe, expect, it } from "vitest";
import { loadInto, type Loadable } from "./notice";

describe("loadInto", () => {
  it("applies the answer, clears the error and the loading flag", async () => {
    const state: Loadable = { loading: true, error: { code: "busy", message: "Busy." } };
    let got = 0;
    await loadInto(state, async () => 7, (v) => (got = v));
    expect(got).toBe(7);
    expect(state).toEqual({ loading: false, error: null });
  });

  it("keeps a failure as an IpcError in plain words and never rejects", async () => {
    const state: Loadable = { loading: true, error: null };
    await loadInto(
      state,
      () => Promise.reject({ code: "not_found", message: "Gone." }),
      () => {
        throw new Error("not applied");
      },
    );
    expect(state.error).toEqual({ code: "not_found", message: "Gone." });
    expect(state.loading).toBe(false);
    await loadInto(state, () => Promise.reject(new Error("boom")), () => {});
    expect(state.error?.code).toBe("internal");
  });
});
